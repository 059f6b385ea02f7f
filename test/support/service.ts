/** Starts the real service (`src/main.ts`) as a child process on free ports, for e2e and crash tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

export interface RunningService {
  child: ChildProcess;
  port: number;
  kmePort: number;
  prefix: string;
  varDir: string;
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<void>;
}

export async function startService(env: Record<string, string> = {}): Promise<RunningService> {
  const port = await freePort();
  const kmePort = await freePort();
  const prefix = env.QKDSAT_PREFIX ?? `{t${Math.random().toString(36).slice(2, 10)}}`;
  const varDir = env.QKDSAT_VAR_DIR ?? mkdtempSync(join(tmpdir(), 'qkdsat-'));
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      KME_PORT: String(kmePort),
      HOST: '127.0.0.1',
      QKDSAT_PREFIX: prefix,
      QKDSAT_VAR_DIR: varDir,
      QKDSAT_SPAWN_REDIS: 'never',
      QKDSAT_WORKERS: '0',
      LOG_LEVEL: 'info',
      // Metrics ports off unless a test asks (several services run side by side).
      METRICS_PORT: '0',
      KME_METRICS_PORT: '0',
      WORKER_METRICS_PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => {
    out += d;
  });
  child.stderr!.on('data', (d) => {
    out += d;
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`service exited ${child.exitCode}: ${out}`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/health/ready`);
      if (r.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`service not ready: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    child,
    port,
    kmePort,
    prefix,
    varDir,
    output: () => out,
    stop: (signal = 'SIGTERM') =>
      new Promise((r) => {
        if (child.exitCode !== null) return r();
        child.once('exit', () => r());
        child.kill(signal);
      }),
  };
}
