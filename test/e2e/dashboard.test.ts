import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { Redis } from 'ioredis';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findChromium } from '../support/chromium.js';
import { startService, type RunningService } from '../support/service.js';

describe('dashboard in a real browser', () => {
  let svc: RunningService;
  let browser: Browser;
  beforeAll(async () => {
    const executablePath = findChromium();
    svc = await startService();
    browser = await chromium.launch({
      executablePath,
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
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await svc?.stop();
    if (!svc) return;
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const keys = await redis.keys(`${svc.prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('shows the demo stations on the map and in the pass timeline, and the key pools', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`http://127.0.0.1:${svc.port}/`);

    await page.waitForSelector('body[data-ready="true"]', { timeout: 45_000 });
    const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1);
    const ready = await page.evaluate(() => performance.now());
    console.log(`dashboard: first contentful paint ${fcp.toFixed(0)} ms, ready ${ready.toFixed(0)} ms`);
    const stations = await page.locator('#map [data-station]').count();
    expect(stations).toBeGreaterThanOrEqual(8);
    expect(await page.locator('#timeline .row').count()).toBe(stations);
    expect(await page.locator('#timeline .pass').count()).toBeGreaterThan(0);
    // Only passes of satellites with a QKD terminal (the demo: Micius) are on the timeline.
    const terminals = (await (await fetch(`http://127.0.0.1:${svc.port}/v1/terminals`)).json()) as {
      terminals: { noradId: number }[];
    };
    expect(terminals.terminals.map((t) => t.noradId)).toEqual([41731]);
    expect(
      new Set(
        await page.locator('#timeline .pass').evaluateAll((bars) => bars.map((b) => b.getAttribute('data-norad'))),
      ),
    ).toEqual(new Set(['41731']));
    await expect.poll(() => page.locator('#qkd-sats').textContent()).toMatch(/^QKD satellites: MICIUS/);
    expect(await page.locator('#map .land').count()).toBe(1);
    expect(await page.locator('#map [data-satellite]').count()).toBeGreaterThan(0);
    // The plan button plans the horizon (a worker-free service plans 24 h synchronously) and reports it.
    await page.fill('#plan-form input[name="hours"]', '12');
    // Writes need a planner token: the one the service generated into its var/ directory.
    await page.fill('#token', readFileSync(join(svc.varDir, 'planner-token'), 'utf8').trim());
    await page.click('#plan-form button');
    await expect
      .poll(() => page.locator('#plan-out').textContent(), { timeout: 30_000 })
      .toMatch(/booked, \d+ superseded; worst pair/);
    await page.screenshot({ path: `${svc.varDir}/dashboard.png` });
    expect(errors).toEqual([]);
  }, 90_000);
});
