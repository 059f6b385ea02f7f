/** `qkdsat relay --from ID --to ID --bits N`: asks the relay for N bits shared by two stations. */
import type { Command } from 'commander';
import { openRelay, type RelayCore } from '../../relay/index.js';
import { loadConfig, type Config } from '../platform/config.js';
import { createLogger } from '../platform/logger.js';
import { createRedis } from '../platform/redis.js';
import type { Redis } from 'ioredis';
import { parseNumberOption, runCommand, UsageError, writeJson } from './run.js';

const STATION = /^[a-z0-9_-]{1,32}$/;

export function registerRelay(program: Command): void {
  program
    .command('relay')
    .description('Relay key between two stations through trusted nodes; prints the route and outcome as JSON')
    .requiredOption('--from <id>', 'station ID')
    .requiredOption('--to <id>', 'station ID')
    .requiredOption('--bits <n>', 'key bits (a multiple of 8)')
    .action((o: { from: string; to: string; bits: string }) =>
      runCommand(async () => {
        const bits = parseNumberOption(
          o.bits,
          '--bits',
          (n) => Number.isInteger(n) && n >= 8 && n % 8 === 0 && n <= 8 * 1024 * 1024,
          'a multiple of 8 in [8, 8388608]',
        );
        for (const [name, v] of [
          ['--from', o.from],
          ['--to', o.to],
        ] as const) {
          if (!STATION.test(v)) throw new UsageError(`${name}: expected a station ID ([a-z0-9_-]), got '${v}'`);
        }
        if (o.from === o.to) throw new UsageError('--to: must differ from --from');
        const result = await withRelay((core) => core.relay.relay(o.from, o.to, bits));
        writeJson(result);
        if (result.outcome !== 'relayed') process.exitCode = 1;
      }),
    );
}

/** Opens the relay component on REDIS_URL for one CLI verb (keys, relay, audit) and closes it after. */
export async function withRelay<T>(body: (core: RelayCore, redis: Redis) => Promise<T>): Promise<T> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  // The verb reports what failed itself: connection errors are not logged.
  const redis = createRedis(
    config.env.REDIS_URL,
    'command',
    { enableOfflineQueue: true, retryStrategy: (attempts) => (attempts > 3 ? null : 200) },
    createLogger('silent'),
  );
  try {
    return await body(openRelay({ config, redis }), redis);
  } finally {
    redis.disconnect();
  }
}
