// Dashboard insight: time axis and night shading, pass detail (link budget, QBER, key, the reason in
// words), key pools over time, relay history, ETSI consumption and demand met. Charts: Chart.js
// (bundled UMD from node_modules, served at /vendor/chart.js; no CDN).
const DEG = Math.PI / 180;
const H = 3_600_000;
const fmtBits = (b) =>
  b >= 1e6 ? `${(b / 1e6).toFixed(2)} Mbit` : b >= 1e3 ? `${(b / 1e3).toFixed(1)} kbit` : `${Math.round(b)} bit`;
const pct = (x) => `${(x * 100).toFixed(1)} %`;
const el = (name, attrs = {}, text) => {
  const n = document.createElement(name);
  for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, String(v));
  if (text !== undefined) n.textContent = text;
  return n;
};

/** Sun elevation (deg) at a place and time: NOAA's low-precision solar position (~0.1 deg). */
function sunElevationDeg(latDeg, lonDeg, tMs) {
  const d = tMs / 86_400_000 + 2440587.5 - 2451545.0;
  const g = (357.529 + 0.98560028 * d) * DEG;
  const q = 280.459 + 0.98564736 * d;
  const L = (q + 1.915 * Math.sin(g) + 0.02 * Math.sin(2 * g)) * DEG;
  const e = (23.439 - 0.00000036 * d) * DEG;
  const ra = Math.atan2(Math.cos(e) * Math.sin(L), Math.cos(L));
  const dec = Math.asin(Math.sin(e) * Math.sin(L));
  const gmst = ((18.697374558 + 24.06570982441908 * d) % 24) * 15 * DEG;
  const ha = gmst + lonDeg * DEG - ra;
  const lat = latDeg * DEG;
  return Math.asin(Math.sin(lat) * Math.sin(dec) + Math.cos(lat) * Math.cos(dec) * Math.cos(ha)) / DEG;
}

/** Station local time as mean solar time rounded to the hour (stations carry no time zone). */
const localOffsetH = (s) => Math.round(s.longitudeDeg / 15);
const hhmm = (ms) => new Date(ms).toISOString().slice(11, 16);
const offsetLabel = (h) => `UTC${h >= 0 ? '+' : '−'}${Math.abs(h)}`;

/** The UTC axis above the lanes (a tick every 3 h). */
export function timeAxis(from, to) {
  const axis = el('div', { class: 'axis', 'aria-label': 'time axis, UTC' });
  axis.append(el('span', { class: 'axis-name' }, 'UTC'));
  const lane = el('div', { class: 'axis-lane' });
  for (let t = Math.ceil(from / (3 * H)) * 3 * H; t < to; t += 3 * H) {
    const tick = el('span', { class: 'tick', 'data-utc': new Date(t).toISOString() }, hhmm(t));
    tick.style.left = `${((t - from) / (to - from)) * 100}%`;
    lane.append(tick);
  }
  axis.append(lane);
  return axis;
}

/** Night (sun below -6 deg, civil twilight) as shaded spans in a station's lane, and its local-time ticks. */
export function shadeLane(lane, s, from, to) {
  const step = 10 * 60_000;
  let start;
  for (let t = from; t <= to; t += step) {
    const night = sunElevationDeg(s.latitudeDeg, s.longitudeDeg, t) < -6;
    if (night && start === undefined) start = t;
    if ((!night || t + step > to) && start !== undefined) {
      const span = el('div', { class: 'night', title: `night at ${s.id} (sun below −6°)` });
      span.style.left = `${((start - from) / (to - from)) * 100}%`;
      span.style.width = `${((t - start) / (to - from)) * 100}%`;
      lane.append(span);
      start = undefined;
    }
  }
  const off = localOffsetH(s) * H;
  for (let t = Math.ceil((from + off) / (6 * H)) * 6 * H - off; t < to; t += 6 * H) {
    const tick = el('span', { class: 'tick-local' }, hhmm(t + off));
    tick.style.left = `${((t - from) / (to - from)) * 100}%`;
    lane.append(tick);
  }
}

export const stationLabel = (s) => `${s.id} · ${offsetLabel(localOffsetH(s))}`;

/**
 * Why a pass yields what it yields, in words: below the elevation mask, daylight, a cloud draw at
 * execution, the terminal busy with another booking, QBER over the threshold, or a short window.
 */
function passReasons({ pass, station, booking, others, sim, minElevationDeg }) {
  const out = [];
  const a = Date.parse(pass.aos),
    b = Date.parse(pass.los),
    mid = (a + b) / 2;
  if (pass.maxElevationDeg < minElevationDeg)
    out.push(
      `below the mask: the satellite peaks at ${pass.maxElevationDeg.toFixed(1)}°, under the ` +
        `${minElevationDeg}° elevation mask, so no key window opens.`,
    );
  const sun = sunElevationDeg(station.latitudeDeg, station.longitudeDeg, mid);
  if (sun > -6)
    out.push(
      `daylight: the sun is ${sun.toFixed(0)}° above the horizon at ${station.id}; scattered sunlight ` +
        `swamps the single-photon detectors` +
        (sim ? ` (background ${Math.round(sim.backgroundHz).toLocaleString('en')} counts/s)` : '') +
        ', so the error rate rises and no secure key survives.',
    );
  if (booking?.state === 'COMPLETED' && /cloud/.test(booking.reason ?? ''))
    out.push(
      `cloud draw: when the pass ran, the weather draw for ${station.id} was cloudy (clear-sky ` +
        `probability ${pct(booking.clearSkyProbability)}), so no photons got through.`,
    );
  if (!booking) {
    const busy = others.find(
      (k) =>
        (k.stationId === station.id || k.noradId === pass.noradId) &&
        Date.parse(k.start) < b &&
        Date.parse(k.end) > a &&
        ['SCHEDULED', 'PREPASS', 'PASS', 'COMPLETED'].includes(k.state),
    );
    if (busy)
      out.push(
        `terminal busy: ${busy.stationId === station.id ? `the station's telescope` : `the satellite's terminal`} ` +
          `is booked for ${busy.noradId} over ${busy.stationId} at ${busy.start.slice(11, 16)}Z.`,
      );
  }
  if (sim && sim.qber >= 0.11)
    out.push(
      `QBER ${pct(sim.qber)}: above the ~11 % that BB84 with one-way error correction tolerates; privacy ` +
        `amplification leaves nothing.`,
    );
  if (sim && sim.secureBits <= 0 && out.length === 0)
    out.push(
      `too few detections: ${fmtBits(sim.siftedBits)} sifted in the best window is under what the ` +
        `finite-key bound needs to leave a secure key.`,
    );
  return out;
}

const charts = new Map();
function chart(id, config) {
  window.Chart.defaults.color = '#f0ebd8';
  window.Chart.defaults.borderColor = 'rgba(116, 140, 171, .3)';
  charts.get(id)?.destroy();
  const c = new window.Chart(document.getElementById(id), {
    ...config,
    options: { animation: false, responsive: true, maintainAspectRatio: false, ...config.options },
  });
  charts.set(id, c);
  return c;
}

/** Opens a pass: per-second geometry and link budget (simulated from the catalog), key, window, reasons. */
export async function showPass({ pass, station, booking, others, preset, getJson }) {
  const box = document.getElementById('pass-detail');
  box.hidden = false;
  box.dataset.passId = pass.id;
  document.getElementById('pass-title').textContent =
    `NORAD ${pass.noradId} over ${station.id}, ${pass.aos.slice(0, 16)}Z – ${pass.los.slice(11, 16)}Z, ` +
    `peak ${pass.maxElevationDeg.toFixed(1)}°`;
  const facts = document.getElementById('pass-facts');
  facts.replaceChildren(el('li', {}, 'simulating…'));
  let res;
  try {
    res = await getJson('/v1/simulations/pass', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        preset,
        noradId: pass.noradId,
        stationId: station.id,
        aos: pass.aos,
        includeSamples: true,
      }),
    });
  } catch (e) {
    facts.replaceChildren(el('li', {}, `simulation unavailable: ${e.message}`));
    return;
  }
  const samples = res.samples ?? [];
  const t0 = samples[0]?.tMs ?? Date.parse(pass.aos);
  const xs = samples.map((s) => Math.round((s.tMs - t0) / 1000));
  const bg = samples.reduce((m, s) => Math.max(m, s.budget.backgroundCountRateHz ?? 0), 0);
  const sim = { qber: res.key.qberX, secureBits: res.key.secureKeyBits, siftedBits: res.siftedBits, backgroundHz: bg };
  const w = res.key.window;
  const rows = [
    `QBER ${pct(res.key.qberX)} · sifted ${fmtBits(res.siftedBits)} · secure ` +
      `${fmtBits(Math.max(0, res.key.secureKeyBits))}`,
    w.startS === null
      ? 'window: none (no secure key in any window)'
      : `window chosen: ${w.startS} s to ${w.endS} s around the pass centre (${w.endS - w.startS} s of ` +
        `${Math.round(res.durationS)} s)`,
    booking
      ? `booked (${booking.state}): expectedSecureBits ${fmtBits(booking.expectedSecureBits)} if the sky ` +
        `is clear, expectedSecureBitsWeather ` +
        fmtBits(booking.expectedSecureBitsWeather ?? booking.expectedSecureBits * booking.clearSkyProbability) +
        ` with clear-sky probability ${pct(booking.clearSkyProbability)}` +
        (booking.deliveredBits !== undefined ? `; executed: ${fmtBits(booking.deliveredBits)}` : '')
      : 'not booked',
  ];
  const reasons = passReasons({ pass, station, booking, others, sim, minElevationDeg: station.minElevationDeg ?? 10 });
  facts.replaceChildren(...rows.map((r) => el('li', {}, r)));
  const why = document.getElementById('pass-why');
  why.replaceChildren(
    ...(reasons.length
      ? reasons
      : [
          sim.secureBits > 0
            ? `yields ${fmtBits(sim.secureBits)}: night sky, clear of the mask, QBER ${pct(sim.qber)} ` +
              `under the threshold.`
            : 'no key.',
        ]
    ).map((r) => el('li', { class: 'reason' }, r)),
  );
  chart('pass-geometry-chart', {
    type: 'line',
    data: {
      labels: xs,
      datasets: [
        {
          label: 'elevation (°)',
          data: samples.map((s) => s.elevationDeg),
          yAxisID: 'y',
          borderColor: '#1565c0',
          pointRadius: 0,
        },
        {
          label: 'range (km)',
          data: samples.map((s) => s.rangeKm),
          yAxisID: 'y1',
          borderColor: '#8e24aa',
          pointRadius: 0,
        },
      ],
    },
    options: {
      scales: {
        x: { title: { display: true, text: 's after AOS' } },
        y: { position: 'left' },
        y1: { position: 'right', grid: { drawOnChartArea: false } },
      },
    },
  });
  const term = (k, label, color) => ({
    label,
    data: samples.map((s) => s.budget[k]),
    borderColor: color,
    pointRadius: 0,
    yAxisID: 'y',
  });
  chart('pass-budget-chart', {
    type: 'line',
    data: {
      labels: xs,
      datasets: [
        term('geometricDb', 'geometric (dB)', '#1e88e5'),
        term('atmosphereDb', 'atmosphere (dB)', '#43a047'),
        term('pointingDb', 'pointing (dB)', '#fb8c00'),
        term('turbulenceDb', 'turbulence (dB)', '#6d4c41'),
        term('totalDb', 'total (dB)', '#f0ebd8'),
        {
          label: 'background (counts/s)',
          data: samples.map((s) => s.budget.backgroundCountRateHz),
          borderColor: '#e53935',
          borderDash: [4, 3],
          pointRadius: 0,
          yAxisID: 'y1',
        },
      ],
    },
    options: {
      scales: {
        x: { title: { display: true, text: 's after AOS' } },
        y: { title: { display: true, text: 'loss (dB)' } },
        y1: {
          type: 'logarithmic',
          position: 'right',
          grid: { drawOnChartArea: false },
          title: { display: true, text: 'background counts/s' },
        },
      },
    },
  });
}

/**
 * Pools over time rebuilt from the audit's key movements, ending at today's levels; relay history; ETSI use per pair.
 */
export function drawKeyHistory(pools, events) {
  const levels = new Map(pools.map((p) => [p.link, p.storedBits]));
  const delta = (e) => {
    const d = new Map();
    const add = (l, v) => d.set(l, (d.get(l) ?? 0) + v);
    if (e.type === 'deposit' && e.link) add(e.link, e.bits);
    if (e.type === 'expire' && e.link) add(e.link, -e.bits);
    for (const [l, v] of Object.entries(e.drawn ?? {})) add(l, -v);
    if (e.type === 'relay' && e.outcome === 'relayed') add(`relayed:${[e.from, e.to].sort().join('~')}`, e.bits);
    return d;
  };
  const series = new Map([...levels].map(([l, v]) => [l, [{ x: Date.now(), y: v }]]));
  const now = events.length ? events[events.length - 1].at + 1 : Date.now();
  for (const s of series.values()) s[0].x = now;
  for (let i = events.length - 1; i >= 0; i -= 1) {
    for (const [l, v] of delta(events[i])) {
      if (!series.has(l)) {
        series.set(l, [{ x: now, y: 0 }]);
        levels.set(l, 0);
      }
      series.get(l).push({ x: events[i].at, y: levels.get(l) });
      levels.set(l, levels.get(l) - v);
      series.get(l).push({ x: events[i].at - 1, y: levels.get(l) });
    }
  }
  const spanMs = events.length ? now - events[0].at : H;
  const palette = ['#1e88e5', '#43a047', '#fb8c00', '#8e24aa', '#e53935', '#00897b', '#6d4c41', '#3949ab'];
  const marks = events.filter((e) => e.type === 'deposit' || e.type === 'relay');
  chart('pools-chart', {
    type: 'line',
    data: {
      datasets: [
        ...[...series].map(([l, pts], i) => ({
          label: l,
          data: pts.reverse().map((p) => ({ x: p.x, y: p.y })),
          borderColor: palette[i % palette.length],
          pointRadius: 0,
          stepped: true,
        })),
        {
          label: 'deposits and relays',
          type: 'scatter',
          data: marks.map((e) => ({ x: e.at, y: 0 })),
          pointStyle: 'triangle',
          pointRadius: 5,
          borderColor: '#555',
          backgroundColor: marks.map((e) => (e.type === 'deposit' ? '#43a047' : '#8e24aa')),
        },
      ],
    },
    options: {
      parsing: false,
      scales: {
        // Key movements are stamped in wall-clock time (key lifetimes are real time, whatever the service clock).
        x: {
          type: 'linear',
          ticks: {
            maxTicksLimit: 8,
            callback: (v) => new Date(Number(v)).toISOString().slice(11, spanMs < 3 * H ? 19 : 16),
          },
          title: { display: true, text: 'UTC (wall clock)' },
        },
        y: { title: { display: true, text: 'bits' } },
      },
    },
  });
  const relays = events.filter((e) => e.type === 'relay' || (e.type === 'void' && e.from));
  document.querySelector('#relay-history tbody').replaceChildren(
    ...relays
      .slice(-20)
      .reverse()
      .map((e) => {
        const tr = el('tr');
        for (const v of [
          new Date(e.at).toISOString().slice(0, 19) + 'Z',
          `${e.from} → ${e.to}`,
          fmtBits(e.bits),
          e.outcome ?? 'voided',
          Object.keys(e.drawn ?? {}).join(', '),
        ])
          tr.append(el('td', {}, v));
        return tr;
      }),
  );
  if (!relays.length) document.querySelector('#relay-history tbody').append(el('tr', {}, ''));
  const pairs = new Map();
  for (const e of events.filter((x) => x.type === 'deliver'))
    pairs.set(`${e.master} → ${e.slave}`, (pairs.get(`${e.master} → ${e.slave}`) ?? 0) + e.bits);
  chart('etsi-chart', {
    type: 'bar',
    data: {
      labels: [...pairs.keys()],
      datasets: [{ label: 'bits delivered to SAEs (enc_keys)', data: [...pairs.values()], backgroundColor: '#3949ab' }],
    },
    options: { indexAxis: 'y', scales: { x: { title: { display: true, text: 'bits' } } } },
  });
}

/** A plan's demand met per pair against its demand. */
export function drawDemand(plan) {
  const pairs = plan?.plan?.pairs ?? [];
  document.getElementById('demand-note').textContent = pairs.length
    ? `plan ${plan.id}`
    : 'no plan yet: plan a horizon to compare';
  chart('demand-chart', {
    type: 'bar',
    data: {
      labels: pairs.map((p) => `${p.a} ~ ${p.b}`),
      datasets: [
        { label: 'demand (bits)', data: pairs.map((p) => p.demandBits), backgroundColor: '#b0bec5' },
        { label: 'planned delivery (bits)', data: pairs.map((p) => p.deliveredBits), backgroundColor: '#43a047' },
      ],
    },
  });
}
