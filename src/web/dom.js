// Dashboard helpers shared by its views: number formats, DOM elements, and Chart.js charts
// (bundled UMD from node_modules, served at /vendor/chart.js; no CDN) replaced by id.
export const fmtBits = (bits) =>
  bits >= 1e6
    ? `${(bits / 1e6).toFixed(2)} Mbit`
    : bits >= 1e3
      ? `${(bits / 1e3).toFixed(1)} kbit`
      : `${Math.round(bits)} bit`;
export const pct = (fraction) => `${(fraction * 100).toFixed(1)} %`;
export const el = (name, attrs = {}, text) => {
  const n = document.createElement(name);
  for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, String(v));
  if (text !== undefined) n.textContent = text;
  return n;
};

const charts = new Map();
export function chart(id, config) {
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
