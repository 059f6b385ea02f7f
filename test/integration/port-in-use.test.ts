/** A port in use ends the process with exit 1 and one line naming the port and its variable (REST and KME). */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, ROOT } from '../support/service.js';
import { deletePrefix } from '../../tle/adapters/index.js';
import { createRedis } from '../../src/platform/redis.js';

const prefixes: string[] = [];
afterAll(async () => {
  const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'command');
  for (const p of prefixes) await deletePrefix(redis, p);
  redis.disconnect();
});

function occupy(port: number): Promise<Server> {
  return new Promise((res) => {
    const s = createServer();
    s.listen(port, '127.0.0.1', () => res(s));
  });
}

function runMain(env: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const prefix = `{pu${Math.random().toString(36).slice(2, 8)}}`;
  prefixes.push(prefix);
  return new Promise((res) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main.ts')], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        QKDSAT_PREFIX: prefix,
        QKDSAT_VAR_DIR: mkdtempSync(join(tmpdir(), 'qkdsat-pu-')),
        QKDSAT_SPAWN_REDIS: 'never',
        QKDSAT_WORKERS: '0',
        QKDSAT_COMPUTE_THREADS: '1',
        LOG_LEVEL: 'warn',
        METRICS_PORT: '0',
        KME_METRICS_PORT: '0',
        ...env,
      },
    });
    let stderr = '',
      stdout = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      res({ code, stderr, stdout });
    });
  });
}

describe('port in use', () => {
  it(
    'REST port (PORT) or KME port (KME_PORT) in use: exit 1, one line naming the port and its ' +
      'variable, never "listening"',
    async () => {
      const [restPort, kmePort, free1, free2] = [
        await freePort(),
        await freePort(),
        await freePort(),
        await freePort(),
      ];
      const blockers = await Promise.all([occupy(restPort), occupy(kmePort)]);
      const [rest, kme] = await Promise.all([
        runMain({ PORT: String(restPort), KME_PORT: String(free1) }),
        runMain({ PORT: String(free2), KME_PORT: String(kmePort) }),
      ]);
      for (const b of blockers) b.close();
      expect(rest.code).toBe(1);
      expect(rest.stderr.trim().split('\n')).toEqual([
        `qkdsat: port ${restPort} on 127.0.0.1 is in use (PORT); stop the other process or set PORT to a free port`,
      ]);
      expect(rest.stdout).not.toMatch(/REST listening/);
      expect(kme.code).toBe(1);
      expect(kme.stderr.trim().split('\n')).toEqual([
        `qkdsat: port ${kmePort} on 127.0.0.1 is in use (KME_PORT); stop the other process or set ` +
          `KME_PORT to a free port`,
      ]);
    },
    60_000,
  );
});
