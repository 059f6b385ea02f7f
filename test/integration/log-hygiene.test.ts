/**
 * Log hygiene (issue 11): one `component` per line, the request's ID on every line logged while
 * serving it (whichever component logs), and a clean shutdown (no error lines) of `npm start` with
 * a redis-server it spawned itself.
 */
import { Writable } from 'node:stream';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApp } from '../../src/api/app.js';
import { Api } from '../../src/api/route.js';
import { createLogger } from '../../src/platform/logger.js';
import { freePort, startService } from '../support/service.js';

const countOf = (line: string, key: string) => line.split(`"${key}":`).length - 1;

describe('log hygiene', () => {
  it('every line of a request carries its reqId once, and one component', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(c: Buffer, _e, cb) {
        lines.push(...c.toString().split('\n').filter(Boolean));
        cb();
      },
    });
    const logger = createLogger('info', stream).child({ process: 'api' });
    const component = logger.child({ component: 'planner' });
    const api = new Api();
    api.route({
      method: 'get',
      path: '/v1/t/log',
      summary: 't',
      response: z.object({ ok: z.boolean() }),
      handler: async () => {
        component.info('before await');
        await new Promise((r) => setTimeout(r, 5));
        component.child({ step: 'inner' }).warn({ bits: 8 }, 'after await');
        return { ok: true };
      },
    });
    const app = createApp({ logger, api, version: 'test' });
    const [a, b] = await Promise.all([request(app).get('/v1/t/log'), request(app).get('/v1/t/log')]);
    const ids = [a.headers['x-request-id'], b.headers['x-request-id']];
    expect(new Set(ids).size).toBe(2);
    await new Promise((r) => setTimeout(r, 20));
    for (const id of ids) {
      const mine = lines.filter((l) => l.includes(id as string));
      expect(mine.map((l) => JSON.parse(l).msg).sort()).toEqual(['after await', 'before await', 'request']);
    }
    for (const l of lines) {
      expect(countOf(l, 'reqId')).toBe(1);
      expect(countOf(l, 'component')).toBeLessThanOrEqual(1);
      expect(countOf(l, 'process')).toBe(1);
    }
  });

  it('npm start with a spawned redis-server shuts down without an error line', async () => {
    const [redisPort, apiMetrics, kmeMetrics] = [await freePort(), await freePort(), await freePort()];
    const svc = await startService({
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      QKDSAT_SPAWN_REDIS: 'auto',
      QKDSAT_KMES: '1',
      KME_PORT: '0',
      METRICS_PORT: String(apiMetrics),
      KME_METRICS_PORT: String(kmeMetrics),
    });
    try {
      expect(svc.output()).toContain('started redis-server as a child process');
      // Each process serves its own registry on its own open port: the KME's ETSI counters come from the KME process.
      const api = await (await fetch(`http://127.0.0.1:${apiMetrics}/metrics`)).text();
      expect(api).toMatch(/^qkdsat_process_cpu_seconds_total\{process="api"\}/m);
      let kme = '';
      for (let i = 0; i < 100 && !kme.includes('qkdsat_etsi_requests_total'); i += 1) {
        kme = await fetch(`http://127.0.0.1:${kmeMetrics}/metrics`).then(
          (r) => r.text(),
          () => '',
        );
        if (!kme) await new Promise((r) => setTimeout(r, 100));
      }
      expect(kme).toContain('# TYPE qkdsat_etsi_keys_total counter');
      expect(kme).toMatch(/^qkdsat_process_cpu_seconds_total\{process="kme"\}/m);
    } finally {
      await svc.stop('SIGTERM');
    }
    const lines = svc
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'));
    const bad = lines.filter((l) => (JSON.parse(l) as { level: number }).level >= 50);
    expect(bad).toEqual([]);
    for (const l of lines) expect(countOf(l, 'component')).toBeLessThanOrEqual(1);
    expect(lines.some((l) => l.includes('"shutting down"'))).toBe(true);
  }, 60_000);
});
