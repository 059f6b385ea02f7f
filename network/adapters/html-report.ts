/**
 * The simulation's HTML report: one self-contained page (Chart.js 4 inlined, no network access
 * needed) with delivered key per pair per month, cumulative delivered key, onboard storage level
 * per satellite and station utilisation.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { NetworkReport } from '../domain/index.js';

const require = createRequire(import.meta.url);
let chartJs: string | undefined;
// The package exports only its modules; the UMD build sits next to its CommonJS entry.
const chartSource = () =>
  (chartJs ??= readFileSync(join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'), 'utf8'));

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE = [
  'body{font:14px system-ui,sans-serif;margin:1.5em;max-width:1100px}',
  'canvas{max-height:360px}',
  'h2{margin-top:2em}',
  'td,th{padding:2px 8px;text-align:right}',
  'th:first-child,td:first-child{text-align:left}',
].join('');

/** Draws the four charts from the report in `r` (runs in the page, with Chart.js loaded). */
const CHARTS_SCRIPT = `
const pairName = (p) => p.a + ' ~ ' + p.b;
const months = [...new Set(r.pairs.flatMap((p) => p.monthly.map((m) => m.month)))].sort();
const monthBits = (p, m) => (p.monthly.find((x) => x.month === m)?.deliveredBits ?? 0) / 1e6;
const mbitAxis = (text) => ({ scales: { y: { title: { display: true, text } } } });
new Chart(document.getElementById('monthly'), {
  type: 'bar',
  data: {
    labels: months,
    datasets: r.pairs.map((p) => ({ label: pairName(p), data: months.map((m) => monthBits(p, m)) })),
  },
  options: mbitAxis('Mbit'),
});
new Chart(document.getElementById('cumulative'), {
  type: 'line',
  data: {
    labels: months,
    datasets: r.pairs.map((p) => {
      let s = 0;
      return { label: pairName(p), data: months.map((m) => (s += monthBits(p, m))) };
    }),
  },
  options: mbitAxis('Mbit'),
});
const days = Array.from({ length: r.days }, (_, i) => 'day ' + (i + 1));
new Chart(document.getElementById('storage'), {
  type: 'line',
  data: {
    labels: days,
    datasets: r.satellites.flatMap((s) => [
      { label: 'NORAD ' + s.noradId, data: s.storageDaily.map((b) => b / 1e6), pointRadius: 0 },
      { label: 'buffer ' + s.noradId, data: days.map(() => s.bufferBits / 1e6), borderDash: [4, 4], pointRadius: 0 },
    ]),
  },
  options: mbitAxis('Mbit on board'),
});
new Chart(document.getElementById('utilisation'), {
  type: 'bar',
  data: {
    labels: r.stations.map((g) => g.id),
    datasets: [
      { label: 'time tracking a satellite (%)', data: r.stations.map((g) => g.utilisation * 100), yAxisID: 'y' },
      {
        label: 'clear nights (%)',
        data: r.stations.map((g) => 100 * g.clearNights / Math.max(1, g.nights)),
        yAxisID: 'y1',
      },
    ],
  },
  options: {
    scales: {
      y: { position: 'left', title: { display: true, text: '% of time tracking' } },
      y1: {
        position: 'right',
        min: 0,
        max: 100,
        grid: { drawOnChartArea: false },
        title: { display: true, text: '% clear nights' },
      },
    },
  },
});`;

const mbit = (bits: number) => (bits / 1e6).toFixed(2);

const pairRow = (pair: NetworkReport['pairs'][number]) =>
  `<tr><td>${esc(pair.a)} ~ ${esc(pair.b)}</td><td>${mbit(pair.demandBits)}</td>` +
  `<td>${mbit(pair.deliveredBits)}</td><td>${pair.starvedDays}</td></tr>`;

export function renderHtmlReport(report: NetworkReport): string {
  // JSON inside <script>: escape '<' so no '</script>' can close the element.
  const data = JSON.stringify(report).replace(/</g, '\\u003c');
  const run = `${esc(report.start)}, ${report.days} days, seed ${report.seed}`;
  const worstP10Percent = (report.totals.worstPairP10MonthlyFraction * 100).toFixed(1);
  const planning = `solver ${report.solver}, planning ${report.planning}, ${report.replans} re-plans`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>qkdsat network simulation, ${run}</title>
<style>${STYLE}</style>
</head><body>
<h1>Network simulation</h1>
<p>${run}, ${planning}, run in ${report.runtimeMs} ms.
Delivered ${mbit(report.totals.deliveredBits)} Mbit;
worst pair's 10th-percentile monthly delivery ${worstP10Percent} % of demand.</p>
<table><tr><th>pair</th><th>demand (Mbit)</th><th>delivered (Mbit)</th><th>starved days</th></tr>
${report.pairs.map(pairRow).join('\n')}
</table>
<h2>Delivered key per pair per month</h2><canvas id="monthly"></canvas>
<h2>Cumulative delivered key</h2><canvas id="cumulative"></canvas>
<h2>Onboard key storage (daily peak)</h2><canvas id="storage"></canvas>
<h2>Station utilisation</h2><canvas id="utilisation"></canvas>
<script>${chartSource()}</script>
<script>
const r = ${data};${CHARTS_SCRIPT}
</script>
</body></html>
`;
}
