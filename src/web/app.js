// qkdsat dashboard: plain ES module, talks only to the public REST API.
import { shadeLane, stationLabel, timeAxis } from './insight.js';
import { drawDemand, drawKeyHistory } from './key-charts.js';
import { getJson, getPaged, token } from './api.js';
import { drawLand, drawSatellites, drawStations } from './map.js';
import { showPass } from './pass-detail.js';
const $ = (sel) => document.querySelector(sel);
const el = (name, attrs = {}) => {
  const node = document.createElement(name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
};

const setStatus = (text) => {
  $('#status').textContent = text;
};

// The service's clock: real, or simulated (demo runs at the demo catalog's epoch, accelerated).
let clockOffsetMs = 0,
  clockSpeed = 1,
  clockRead = Date.now();
const serviceNow = () => clockRead + clockOffsetMs + (Date.now() - clockRead) * clockSpeed;

let currentStations = [];
let currentQkd = null;

let currentPreset = 'micius-xinglong';
const WINDOW_BEFORE_MS = 6 * 3_600_000,
  WINDOW_AFTER_MS = 18 * 3_600_000;
let timelineFrom = 0,
  timelineTo = 1;

/** Moves the current-time line with the (simulated) clock. */
function moveNowLine() {
  const line = document.querySelector('#timeline .now');
  if (line)
    line.style.left =
      `calc(var(--name-w) + (100% - var(--name-w)) * ` +
      `${Math.min(1, Math.max(0, (serviceNow() - timelineFrom) / (timelineTo - timelineFrom)))})`;
}

/**
 * Passes of satellites with a QKD terminal only (GET /v1/terminals; null = every satellite), 6 h back
 * and 18 h ahead: predicted (bar), booked (outlined), executed (filled); night shaded per station;
 * UTC axis on top and each station's local time in its lane. Click a pass for its detail.
 */
async function drawTimeline(stations, qkd) {
  const from = serviceNow() - WINDOW_BEFORE_MS,
    to = serviceNow() + WINDOW_AFTER_MS;
  timelineFrom = from;
  timelineTo = to;
  const box = $('#timeline');
  box.replaceChildren(timeAxis(from, to));
  const span = `from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`;
  const lanes = new Map();
  for (const s of stations) {
    const row = el('div', { class: 'row', 'data-station': s.id });
    const name = el('span', { title: `${s.name ?? s.id}; local time is mean solar time` });
    name.textContent = stationLabel(s);
    const lane = el('div', { class: 'lane' });
    shadeLane(lane, s, from, to);
    row.append(name, lane);
    box.append(row);
    lanes.set(s.id, { lane, station: s });
  }
  // One paged query for all stations: only satellites with a QKD terminal (a few pages at most).
  const [list, passes] = await Promise.all([
    getPaged(`/v1/bookings?${span}&limit=1000`).catch(() => []),
    getPaged(`/v1/passes?${span}&limit=1000${qkd ? '&terminalsOnly=true' : ''}`, 3).catch(() => []),
  ]);
  for (const p of passes) {
    const { lane, station: s } = lanes.get(p.stationId) ?? {};
    if (!lane || (qkd && !qkd.has(p.noradId))) continue;
    {
      const a = Date.parse(p.aos),
        b = Date.parse(p.los);
      const booking = list.find(
        (k) => k.stationId === s.id && k.noradId === p.noradId && Math.abs(Date.parse(k.start) - a) < 120_000,
      );
      const id = booking?.id ?? `pass_${s.id}_${p.noradId}_${a}`;
      const executed = booking?.state === 'COMPLETED';
      const bar = el('button', {
        type: 'button',
        class: 'pass' + (booking ? ' booked' : '') + (executed ? ' executed' : ''),
        'data-norad': String(p.noradId),
        'data-pass-id': id,
        title:
          `${p.noradId} ${p.aos} max ` +
          `${Number(p.maxElevationDeg).toFixed(1)}°${booking ? ` · ${booking.state}` : ' · predicted'}`,
        'aria-label': `pass of ${p.noradId} over ${s.id} at ${p.aos}`,
      });
      if (booking) bar.dataset.booked = 'true';
      bar.style.left = `${((a - from) / (to - from)) * 100}%`;
      bar.style.width = `${Math.max(0.3, ((b - a) / (to - from)) * 100)}%`;
      bar.addEventListener('click', () => {
        showPass({ pass: { ...p, id }, station: s, booking, others: list, preset: currentPreset, getJson }).catch((e) =>
          setStatus(String(e)),
        );
      });
      lane.append(bar);
    }
  }
  box.append(el('div', { class: 'now', title: 'now (service clock)' }));
  moveNowLine();
}

async function drawHistory() {
  const [{ pools = [] }, { events = [] }] = await Promise.all([
    getJson('/v1/keys/pools').catch(() => ({})),
    getJson('/v1/keys/events?limit=2000').catch(() => ({})),
  ]);
  drawKeyHistory(pools, events);
}

async function drawPools() {
  const body = $('#pools tbody');
  const { pools = [] } = await getJson('/v1/keys/pools').catch(() => ({}));
  body.replaceChildren(
    ...pools.map((p) => {
      const tr = el('tr');
      for (const v of [
        p.link,
        p.kind,
        p.storedBits,
        p.keyRateBps ?? '',
        p.oldestAgeS != null ? `${Math.round(p.oldestAgeS)} s` : '',
      ]) {
        const td = el('td');
        td.textContent = String(v ?? '');
        tr.append(td);
      }
      return tr;
    }),
  );
}

$('#token').value = token();
$('#plan-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const form = new FormData(ev.target);
  const hours = Number(form.get('hours'));
  if (form.get('token')) window.localStorage.setItem('qkdsat-token', String(form.get('token')));
  const start = new Date(serviceNow()).toISOString();
  $('#plan-out').textContent = 'planning…';
  try {
    let plan = await getJson('/v1/plans', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ start, horizonHours: hours }),
    });
    // Long horizons are planned by a worker: poll until done.
    for (let i = 0; i < 120 && plan.status === 'queued'; i += 1) {
      $('#plan-out').textContent = `queued (${plan.id})…`;
      await new Promise((r) => window.setTimeout(r, 1000));
      plan = await getJson(`/v1/plans/${plan.id}`);
    }
    const o = plan.plan?.objective;
    if (o) {
      window.localStorage.setItem('qkdsat.lastPlan', plan.id);
      drawDemand(plan);
    }
    $('#plan-out').textContent = o
      ? `${plan.booked} booked, ${plan.superseded} superseded; worst pair ` +
        `${(o.worstPairFraction * 100).toFixed(1)} %, demand met ${(o.demandMetBits / 1e3).toFixed(0)} ` +
        `kbit, key ${(o.totalKeyBits / 1e3).toFixed(0)} kbit (${plan.plan.solver} ${plan.plan.status})\n\n` +
        JSON.stringify(plan.plan.pairs, null, 2)
      : JSON.stringify(plan, null, 2);
    await drawTimeline(currentStations, currentQkd);
  } catch (e) {
    $('#plan-out').textContent = String(e);
  }
});

// Network simulation: a BullMQ job; poll its progress, then show its report (a finished run also by id or
// #netsim=<id>).
async function showNetsim(id) {
  for (let i = 0; i < 3600; i += 1) {
    const s = await getJson(`/v1/network-simulations/${id}`);
    if (s.state === 'completed') {
      const t = s.report.totals;
      $('#netsim-out').textContent =
        `${id}: ${s.report.days} days, delivered ${(t.deliveredBits / 1e6).toFixed(2)} Mbit, worst pair ` +
        `p10 monthly ${(t.worstPairP10MonthlyFraction * 100).toFixed(1)} % of demand (${s.report.runtimeMs} ms)\n` +
        s.report.pairs
          .map(
            (p) =>
              `${p.a} ~ ${p.b}: ${(p.deliveredBits / 1e6).toFixed(2)} / ` +
              `${(p.demandBits / 1e6).toFixed(2)} Mbit, ${p.starvedDays} starved days`,
          )
          .join('\n');
      const frame = $('#netsim-report');
      frame.src = `/v1/network-simulations/${id}/report.html`;
      frame.hidden = false;
      return;
    }
    if (s.state === 'failed') {
      $('#netsim-out').textContent = `${id} failed: ${s.error ?? ''}`;
      return;
    }
    $('#netsim-out').textContent = `${id}: ${s.state}, ${s.progress} %`;
    await new Promise((r) => window.setTimeout(r, 1000));
  }
}
$('#netsim-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const f = new FormData(ev.target);
  try {
    const id = String(f.get('id') ?? '').trim();
    if (id) {
      await showNetsim(id);
      return;
    }
    const body = {
      start: new Date(serviceNow()).toISOString(),
      days: Number(f.get('days')),
      seed: Number(f.get('seed')),
      planning: f.get('planning'),
    };
    const job = await getJson('/v1/network-simulations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    window.history.replaceState(null, '', `#netsim=${job.id}`);
    await showNetsim(job.id);
  } catch (e) {
    $('#netsim-out').textContent = String(e);
  }
});
const netsimHash = /netsim=(netsim_[0-9a-f-]+)/.exec(window.location.hash);
if (netsimHash)
  showNetsim(netsimHash[1]).catch((e) => {
    $('#netsim-out').textContent = String(e);
  });

setInterval(() => {
  $('#clock').textContent = new Date(serviceNow()).toISOString().slice(0, 19) + 'Z';
  moveNowLine();
}, 1000);

async function main() {
  const svg = $('#map');
  setStatus('loading…');
  const clock = await getJson('/v1/clock').catch(() => null);
  if (clock) {
    clockRead = Date.now();
    clockOffsetMs = Date.parse(clock.now) - clockRead;
    clockSpeed = clock.speed;
  }
  const terminals = await getJson('/v1/terminals').catch(() => ({ terminals: null }));
  // The map shows the QKD satellites (or the first dozen of the catalog): one small page, whatever the catalog's size.
  const [stations, satellites] = await Promise.all([
    getPaged('/v1/stations?limit=1000').catch(() => []),
    getJson(`/v1/satellites?limit=${terminals.terminals ? 100 : 12}${terminals.terminals ? '&terminalsOnly=true' : ''}`)
      .then((p) => p.items ?? [])
      .catch(() => []),
  ]);
  currentStations = stations;
  currentQkd = terminals.terminals ? new Set(terminals.terminals.map((t) => t.noradId)) : null;
  currentPreset = terminals.terminals?.[0]?.preset ?? terminals.preset ?? currentPreset;
  const names = new Map(satellites.map((s) => [s.noradId, s.name ?? String(s.noradId)]));
  $('#qkd-sats').textContent = currentQkd
    ? `QKD satellites: ${[...currentQkd].map((n) => names.get(n) ?? n).join(', ')}`
    : 'every satellite assumed QKD-capable';
  // The timeline first (first meaningful paint), then the map and the rest.
  await drawTimeline(stations, currentQkd);
  document.body.dataset.timeline = 'true';
  await drawLand(svg).catch(() => undefined);
  drawStations(svg, stations);
  const lastPlan = window.localStorage.getItem('qkdsat.lastPlan');
  await Promise.all([
    drawSatellites(svg, satellites, serviceNow()),
    drawPools(),
    drawHistory(),
    (lastPlan ? getJson(`/v1/plans/${lastPlan}`).catch(() => null) : Promise.resolve(null)).then(drawDemand),
  ]);
  setStatus(
    `${stations.length} stations, ` +
      `${currentQkd ? `${currentQkd.size} QKD satellites` : `${satellites.length} satellites shown`}`,
  );
  document.body.dataset.ready = 'true';
}
main().catch((e) => setStatus(String(e)));
