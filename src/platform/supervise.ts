/**
 * The child processes of `npm start` (the KME and the BullMQ workers), each its own event loop.
 * A child is stopped at shutdown; one that refuses to run (exit 1 or 2: a port in use, bad
 * configuration, no Redis; it has said why on stderr) ends the whole deployment with its code; one
 * that dies otherwise (a crash, a kill) is started again after RESTART_DELAY_MS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { REPO_ROOT } from './config.js';
import type { Logger } from './logger.js';
import type { Shutdown } from './shutdown.js';

const RESTART_DELAY_MS = 1000;

export interface ChildSpec {
  /** Name in logs and shutdown steps (`kme 0`, `worker 1`). */
  name: string;
  /** Entry file relative to the repository (`src/kme.ts`), run with tsx. */
  entry: string;
  /** Variables added to this process's environment. */
  env?: Record<string, string>;
}

export function superviseChild(spec: ChildSpec, logger: Logger, shutdown: Shutdown): void {
  let stopping = false;
  let child: ChildProcess;
  const run = () => {
    child = spawn(process.execPath, ['--import', 'tsx', resolve(REPO_ROOT, spec.entry)], {
      stdio: 'inherit',
      env: { ...process.env, ...spec.env },
    });
    logger.info({ pid: child.pid }, `started ${spec.name} process`);
    child.once('exit', (code, signal) => {
      if (stopping) return;
      if (code === 1 || code === 2) {
        stopping = true;
        void shutdown.run(`${spec.name} exited with code ${code}`).then(() => process.exit(code));
        return;
      }
      logger.warn({ code, signal }, `${spec.name} process ended; starting it again in 1 s`);
      setTimeout(() => {
        if (!stopping) run();
      }, RESTART_DELAY_MS).unref();
    });
  };
  run();
  shutdown.add(
    spec.name,
    () =>
      new Promise((resolveStopped) => {
        stopping = true;
        if (child.exitCode !== null || child.signalCode !== null) return resolveStopped(undefined);
        child.once('exit', () => resolveStopped(undefined));
        child.kill('SIGTERM');
      }),
  );
}

/** The n-th child's metrics port: the base port + n (0 stays off). */
export const nthMetricsPort = (basePort: number, childIndex: number): string =>
  String(basePort === 0 ? 0 : basePort + childIndex);
