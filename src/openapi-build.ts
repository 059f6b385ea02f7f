/**
 * The OpenAPI document of the composed service, built with a throw-away Redis prefix and the demo
 * config (for docs/openapi.json and its drift test).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { composeServices, type Services } from './compose.js';
import { openApiDocument } from './api/openapi.js';
import { realClock } from './platform/clock.js';
import { loadConfig, REPO_ROOT } from './platform/config.js';
import { createLogger } from './platform/logger.js';
import { createRedis } from './platform/redis.js';

export const VERSION = (JSON.parse(readFileSync(resolve(REPO_ROOT, 'package.json'), 'utf8')) as { version: string })
  .version;

/** Composes the services on a fresh prefix; `close` stops them and deletes the prefix's keys. */
export async function composeForDocs(): Promise<{ services: Services; close: () => Promise<void> }> {
  const prefix = `{docs${randomBytes(5).toString('hex')}}`;
  const varDir = mkdtempSync(join(tmpdir(), 'qkdsat-docs-'));
  const config = loadConfig(
    {
      QKDSAT_PREFIX: prefix,
      QKDSAT_VAR_DIR: varDir,
      QKDSAT_ADMIN_TOKEN: 'docs-token-docs-token',
      QKDSAT_CONFIG: resolve(REPO_ROOT, 'config/demo.json'),
    },
    {},
  );
  const redis = createRedis(config.env.REDIS_URL);
  const services = await composeServices({ config, logger: createLogger('silent'), clock: realClock(), redis });
  return {
    services,
    close: async () => {
      for (const c of [...services.closers].reverse()) await c.close();
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        if (keys.length) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
      redis.disconnect();
      rmSync(varDir, { recursive: true, force: true });
    },
  };
}

export async function buildOpenApiDocument(): Promise<object> {
  const { services, close } = await composeForDocs();
  try {
    return openApiDocument(services.api, VERSION);
  } finally {
    await close();
  }
}
