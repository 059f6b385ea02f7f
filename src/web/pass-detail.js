// Dashboard pass detail: per-second geometry and link budget, QBER, key, window, and the reason
// a pass yields what it yields, in words.
import { chart, el, fmtBits, pct } from './dom.js';
import { sunElevationDeg } from './insight.js';

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
