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
  return new Promise((res) => { const s = createServer(); s.listen(port, '127.0.0.1', () => res(s)); });
}

function runMain(env: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const prefix = `{pu${Math.random().toString(36).slice(2, 8)}}`;
  prefixes.push(prefix);
  return new Promise((res) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main.ts')], {
      cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, HOST: '127.0.0.1', QKDSAT_PREFIX: prefix, QKDSAT_VAR_DIR: mkdtempSync(join(tmpdir(), 'qkdsat-pu-')), QKDSAT_SPAWN_REDIS: 'never', QKDSAT_WORKERS: '0', QKDSAT_COMPUTE_THREADS: '1', LOG_LEVEL: 'warn', ...env },
    });
    let stderr = '', stdout = '';
    child.stderr.on('data', (d) => { stderr += d; });
    child.stdout.on('data', (d) => { stdout += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
    child.on('exit', (code) => { clearTimeout(timer); res({ code, stderr, stdout }); });
  });
}

describe('port in use', () => {
  it('REST port (PORT): exit 1, one line naming the port and PORT, never "listening"', async () => {
    const port = await freePort();
    const blocker = await occupy(port);
    const r = await runMain({ PORT: String(port), KME_PORT: String(await freePort()) });
    blocker.close();
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([`qkdsat: port ${port} on 127.0.0.1 is in use (PORT); stop the other process or set PORT to a free port`]);
    expect(r.stdout).not.toMatch(/REST listening/);
  }, 60_000);
  it('KME port (KME_PORT): exit 1, one line naming KME_PORT, no stack trace', async () => {
    const port = await freePort();
    const blocker = await occupy(port);
    const r = await runMain({ PORT: String(await freePort()), KME_PORT: String(port) });
    blocker.close();
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([`qkdsat: port ${port} on 127.0.0.1 is in use (KME_PORT); stop the other process or set KME_PORT to a free port`]);
  }, 60_000);
});
