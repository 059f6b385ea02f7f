// Dashboard key views: pools over time, relay history, ETSI consumption per pair, demand met.
import { chart, el, fmtBits } from './dom.js';

const H = 3_600_000;

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
