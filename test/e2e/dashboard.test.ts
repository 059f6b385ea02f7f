import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { Redis } from 'ioredis';
import { startService, type RunningService } from '../support/service.js';

const CHROMIUM = '/usr/bin/chromium';

describe('dashboard in a real browser', () => {
  let svc: RunningService;
  let browser: Browser;
  beforeAll(async () => {
    svc = await startService();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await svc?.stop();
    const redis = new Redis();
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
    const stations = await page.locator('#map [data-station]').count();
    expect(stations).toBeGreaterThanOrEqual(8);
    expect(await page.locator('#timeline .row').count()).toBe(stations);
    expect(await page.locator('#timeline .pass').count()).toBeGreaterThan(0);
    expect(await page.locator('#map .land').count()).toBe(1);
    expect(await page.locator('#map [data-satellite]').count()).toBeGreaterThan(0);
    await page.screenshot({ path: `${svc.varDir}/dashboard.png` });
    expect(errors).toEqual([]);
  }, 90_000);
});
