/** A relay service process for the crash test: KME + REST on ports 0, configured from the environment. */
import { createApp } from '../../src/api/app.js';
import { Api } from '../../src/api/route.js';
import { realClock } from '../../src/platform/clock.js';
import { loadConfig } from '../../src/platform/config.js';
import { createLogger } from '../../src/platform/logger.js';
import { createRedis } from '../../src/platform/redis.js';
import { startRelay } from '../../src/kme-compose.js';

const config = loadConfig();
const logger = createLogger(config.env.LOG_LEVEL === 'info' ? 'warn' : config.env.LOG_LEVEL);
const redis = createRedis(config.env.REDIS_URL);
const api = new Api();
const relay = await startRelay({ config, logger, redis, clock: realClock(), api });
const server = createApp({ logger, api, version: 'crash-test' }).listen(0, '127.0.0.1', () => {
  const a = server.address();
  process.stdout.write(
    JSON.stringify({ kmePort: relay.kmePort, restPort: typeof a === 'object' && a ? a.port : 0 }) + '\n',
  );
});
process.on('SIGTERM', () => process.exit(0));
