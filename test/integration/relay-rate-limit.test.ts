import { afterAll, describe, expect, it } from 'vitest';
import { Api } from '../../src/api/route.js';
import { realClock } from '../../src/platform/clock.js';
import { createLogger } from '../../src/platform/logger.js';
import { startRelay, type KmeHandle } from '../../src/kme-compose.js';
import { closeAgents, etsi, fixture, type Fixture } from './relay-support.js';

describe('per-SAE rate limit (real Redis, mTLS)', () => {
  let f: Fixture;
  const relays: KmeHandle[] = [];
  afterAll(async () => {
    for (const r of relays) for (const c of r.closers) await c.close();
    closeAgents();
    await f.cleanup();
  });

  it(
    'holds across KME processes sharing one Redis: 5 per window in all, 503 with Retry-After beyond ' +
      '(ETSI 014 has no 429), other SAEs unaffected',
    async () => {
      // 1 request/s over 5 s windows: 5 per window, and a window long enough that a loaded CI machine cannot split the
      // burst.
      f = fixture({ rateLimit: { requestsPerSecond: 1, windowS: 5 } });
      for (let i = 0; i < 2; i += 1)
        relays.push(
          await startRelay({
            config: f.config,
            logger: createLogger('silent'),
            redis: f.redis,
            clock: realClock(),
            api: new Api(),
          }),
        );
      const ports = relays.map((r) => r.kmePort);
      const path = '/api/v1/keys/sae-matera-a/status';
      const replies = await Promise.all(
        Array.from({ length: 8 }, (_, i) => etsi(ports[i % 2]!, 'sae-graz-a', 'GET', path)),
      );
      const codes = replies.map((r) => r.status).sort();
      expect(codes).toEqual([200, 200, 200, 200, 200, 503, 503, 503]);
      const limited = replies.find((r) => r.status === 503)!;
      expect(limited.body).toEqual({ message: 'too many requests' });
      expect(limited.headers['retry-after']).toBe('5');
      // Another SAE has its own budget.
      expect((await etsi(ports[1]!, 'sae-graz-b', 'GET', path)).status).toBe(200);
      // The window passes (its key expires in Redis).
      await f.redis.del(...(await f.redis.keys(`${f.config.env.QKDSAT_PREFIX}:relay:rate:*`)));
      expect((await etsi(ports[0]!, 'sae-graz-a', 'GET', path)).status).toBe(200);
    },
  );
});
