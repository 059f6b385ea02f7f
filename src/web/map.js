// The dashboard's world map: land, stations and the next orbit of each satellite, as SVG.
import { getJson } from './api.js';

const W = 1000,
  H = 500;
const proj = (lonDeg, latDeg) => [((lonDeg + 180) / 360) * W, ((90 - latDeg) / 180) * H];
const svgNs = 'http://www.w3.org/2000/svg';
const svgEl = (name, attrs = {}) => {
  const node = document.createElementNS(svgNs, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
};

function ringPath(ring) {
  let d = '',
    prevX;
  for (const [lon, lat] of ring) {
    const [x, y] = proj(lon, lat);
    d += (prevX === undefined || Math.abs(x - prevX) > W / 2 ? 'M' : 'L') + x.toFixed(1) + ',' + y.toFixed(1);
    prevX = x;
  }
  return d + 'Z';
}

export async function drawLand(svg) {
  const topo = await getJson('/vendor/world-atlas/land-110m.json');
  const land = window.topojson.feature(topo, topo.objects.land);
  let d = '';
  for (const f of land.features ?? [land]) {
    const g = f.geometry ?? f;
    const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    for (const poly of polys) for (const ring of poly) d += ringPath(ring);
  }
  svg.append(svgEl('path', { d, class: 'land' }));
}

export function drawStations(svg, stations) {
  for (const s of stations) {
    const [x, y] = proj(s.longitudeDeg, s.latitudeDeg);
    const g = svgEl('g', { 'data-station': s.id });
    g.append(svgEl('circle', { cx: x, cy: y, r: 4, class: 'station' }));
    const t = svgEl('text', { x: x + 6, y: y - 4 });
    t.textContent = s.id;
    const title = svgEl('title', {});
    title.textContent = s.name ?? s.id;
    g.append(t, title);
    svg.append(g);
  }
}

export async function drawSatellites(svg, satellites, now) {
  for (const sat of satellites.slice(0, 12)) {
    try {
      const track = await getJson(
        `/v1/satellites/${sat.noradId}/track?from=${new Date(now).toISOString()}&minutes=95&stepS=60`,
      );
      const pts = track.points ?? [];
      if (!pts.length) continue;
      svg.append(
        svgEl('path', { d: ringPath(pts.map((p) => [p.longitudeDeg, p.latitudeDeg])).slice(0, -1), class: 'track' }),
      );
      const [x, y] = proj(pts[0].longitudeDeg, pts[0].latitudeDeg);
      const g = svgEl('g', { 'data-satellite': sat.noradId });
      g.append(svgEl('circle', { cx: x, cy: y, r: 3.5, class: 'sat' }));
      const t = svgEl('text', { x: x + 5, y: y + 12 });
      t.textContent = sat.name ?? String(sat.noradId);
      g.append(t);
      svg.append(g);
    } catch {
      /* a decayed or failing element set is simply not drawn */
    }
  }
}
