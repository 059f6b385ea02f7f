/**
 * Issue 11 in a real browser (playwright-core + Debian Chromium, never a downloaded one): the
 * dashboard loads with zero console errors, a booked pass opens its detail with the link-budget
 * chart, a daylight pass explains itself, /docs loads with zero console errors and lists every
 * path. Screenshots go to test/artefacts/ (ignored by git).
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startService, type RunningService } from '../support/service.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTEFACTS = resolve(ROOT, 'test/artefacts');
const ADMIN = 'ops-browser-admin-token-0123456789';
const PLANNER = 'planner-token-for-the-browser-test';

function watch(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${String(e)}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('requestfailed', (r) => errors.push(`requestfailed: ${r.url()}`));
  page.on('request', (r) => {
    if (!r.url().startsWith('http://127.0.0.1:') && !r.url().startsWith('data:'))
      errors.push(`left the host: ${r.url()}`);
  });
  return errors;
}

describe('operator and planner views in Chromium', () => {
  let svc: RunningService;
  let browser: Browser;
  beforeAll(async () => {
    mkdirSync(ARTEFACTS, { recursive: true });
    svc = await startService({
      METRICS_PORT: '0',
      KME_METRICS_PORT: '0',
      QKDSAT_KMES: '0',
      QKDSAT_ADMIN_TOKEN: ADMIN,
      QKDSAT_PLANNER_TOKEN: PLANNER,
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    // A plan, so that the timeline has booked passes.
    const now = ((await (await fetch(`http://127.0.0.1:${svc.port}/v1/clock`)).json()) as { now: string }).now;
    const plan = await fetch(`http://127.0.0.1:${svc.port}/v1/plans`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${PLANNER}` },
      body: JSON.stringify({ start: now, horizonHours: 18, async: false }),
    });
    expect(plan.status).toBe(201);
    // Key in two satellite pools and a relay between them, for the pools chart and the relay history.
    const post = (path: string, body: unknown, auth = false) =>
      fetch(`http://127.0.0.1:${svc.port}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${auth ? ADMIN : PLANNER}` },
        body: JSON.stringify(body),
      });
    for (const stationId of ['graz', 'xinglong'])
      expect((await post('/v1/admin/deposits', { stationId, noradId: 41731, bits: 65_536 }, true)).status).toBe(201);
    const relay = await post('/v1/relays', { from: 'graz', to: 'xinglong', bits: 8192 });
    expect(((await relay.json()) as { outcome: string }).outcome).toBe('relayed');
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await svc?.stop();
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const keys = await redis.keys(`${svc.prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it(
    'dashboard: zero console errors, a booked pass opens with its link-budget chart, a daylight ' +
      'pass explains itself',
    async () => {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      const errors = watch(page);
      const t0 = Date.now();
      await page.goto(`http://127.0.0.1:${svc.port}/`);
      await page.waitForSelector('body[data-timeline="true"]', { timeout: 30_000 });
      const paintMs = await page.evaluate(() => performance.now());
      const slowest = await page.evaluate(() =>
        performance
          .getEntriesByType('resource')
          .map((r) => `${r.name.replace(/^https?:\/\/[^/]+/, '')} ${Math.round(r.startTime)}+${Math.round(r.duration)}`)
          .slice(0, 12),
      );
      process.stdout.write(
        `dashboard: timeline drawn ${Math.round(paintMs)} ms after navigation start (${Date.now() - t0} ms ` +
          `wall); requests: ${slowest.join(', ')}\n`,
      );
      await page.waitForSelector('body[data-ready="true"]', { timeout: 45_000 });
      // Axis, night shading, local time, now line.
      expect(await page.locator('#timeline .axis .tick').count()).toBeGreaterThanOrEqual(7);
      expect(await page.locator('#timeline .night').count()).toBeGreaterThan(0);
      expect(await page.locator('#timeline .now').count()).toBe(1);
      await expect.poll(() => page.locator('#timeline .row').first().textContent()).toMatch(/UTC[+−]\d+/);
      const booked = page.locator('#timeline [data-pass-id][data-booked="true"]');
      expect(await booked.count()).toBeGreaterThan(0);
      expect(await page.locator('#timeline [data-pass-id]').count()).toBeGreaterThan(await booked.count());
      await booked.first().click();
      await page.waitForSelector('#pass-detail:not([hidden])');
      await expect.poll(() => page.locator('#pass-facts').textContent(), { timeout: 30_000 }).toMatch(/QBER [\d.]+ %/);
      expect(await page.locator('#pass-facts').textContent()).toMatch(
        /expectedSecureBits .* if the sky is clear, expectedSecureBitsWeather/,
      );
      // Runs in the page (strings, so the test needs no DOM typings): the Chart.js instance on the canvas.
      const budgetDrawn = await page.evaluate<string[]>(`(() => {
      const chart = window.Chart.getChart(document.getElementById('pass-budget-chart'));
      return chart ? chart.data.datasets.map((d) => d.label + ':' + d.data.length) : [];
    })()`);
      expect(budgetDrawn.map((d) => d.split(':')[0])).toEqual(
        expect.arrayContaining([
          'geometric (dB)',
          'atmosphere (dB)',
          'pointing (dB)',
          'turbulence (dB)',
          'background (counts/s)',
        ]),
      );
      expect(Number(budgetDrawn[0]!.split(':')[1])).toBeGreaterThan(10);
      await page.screenshot({ path: resolve(ARTEFACTS, 'dashboard-booked-pass.png'), fullPage: true });
      // A pass in daylight says so, in words.
      const ids = await page
        .locator('#timeline [data-pass-id]')
        .evaluateAll((bars) => bars.map((b) => b.getAttribute('data-pass-id')!));
      let daylight = '';
      for (const id of ids) {
        await page.locator(`[data-pass-id="${id}"]`).click();
        await expect
          .poll(() => page.locator('#pass-facts').textContent(), { timeout: 30_000 })
          .toMatch(/QBER|unavailable/);
        const why = (await page.locator('#pass-why').textContent()) ?? '';
        if (why.includes('daylight')) {
          daylight = why;
          break;
        }
      }
      expect(daylight).toMatch(/daylight: the sun is \d+° above the horizon/);
      await page.screenshot({ path: resolve(ARTEFACTS, 'dashboard-daylight-pass.png'), fullPage: true });
      const poolSeries = await page.evaluate<string[]>(`(() => {
      const chart = window.Chart.getChart(document.getElementById('pools-chart'));
      return chart ? chart.data.datasets.filter((d) => d.data.length > 1).map((d) => d.label) : [];
    })()`);
      expect(poolSeries).toEqual(expect.arrayContaining(['relayed:graz~xinglong', 'deposits and relays']));
      await expect
        .poll(() => page.locator('#relay-history tbody tr').first().textContent())
        .toMatch(/graz → xinglong.*8\.2 kbit.*relayed/);
      // The page's own JavaScript (scripts it loads, bundled Chart.js included) under 300 kB gzipped.
      const scripts = await page.evaluate(() =>
        performance
          .getEntriesByType('resource')
          .filter((r) => /\.js(\?|$)/.test(r.name))
          .map((r) => r.name),
      );
      let gz = 0;
      for (const url of scripts)
        gz += gzipSync(Buffer.from(await (await fetch(url)).arrayBuffer()), { level: 9 }).length;
      process.stdout.write(`dashboard: ${scripts.length} scripts, ${gz} bytes gzipped\n`);
      expect(gz).toBeLessThan(300_000);
      expect((await page.request.get(`http://127.0.0.1:${svc.port}/favicon.ico`)).status()).toBe(200);
      expect(errors).toEqual([]);
    },
    180_000,
  );

  it('/docs: zero console errors and every path listed', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors = watch(page);
    await page.goto(`http://127.0.0.1:${svc.port}/docs`);
    const doc = (await (await fetch(`http://127.0.0.1:${svc.port}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const operations = Object.values(doc.paths).reduce((n, p) => n + Object.keys(p).length, 0);
    await expect.poll(() => page.locator('.opblock').count(), { timeout: 30_000 }).toBe(operations);
    const listed = await page
      .locator('.opblock-summary-path')
      .evaluateAll((xs) => xs.map((x) => x.getAttribute('data-path')));
    expect(new Set(listed)).toEqual(new Set(Object.keys(doc.paths)));
    await page.screenshot({ path: resolve(ARTEFACTS, 'docs.png'), fullPage: false });
    expect(errors).toEqual([]);
  }, 60_000);
});
