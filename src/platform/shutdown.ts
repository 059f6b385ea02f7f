/**
 * Graceful shutdown: on SIGINT/SIGTERM run the registered closers in reverse order of
 * registration, each given what is left of a deadline; then exit. A second signal exits at once.
 */
import type { Logger } from './logger.js';

type Closer = { name: string; close: () => Promise<unknown> | unknown };

export class Shutdown {
  private readonly closers: Closer[] = [];
  private running: Promise<void> | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly deadlineMs = 10_000,
  ) {}

  add(name: string, close: Closer['close']): void {
    this.closers.push({ name, close });
  }

  /** Runs every closer once (idempotent); resolves when all finished or the deadline passed. */
  run(reason: string): Promise<void> {
    this.running ??= this.closeAll(reason);
    return this.running;
  }

  private async closeAll(reason: string): Promise<void> {
    const deadline = Date.now() + this.deadlineMs;
    this.logger.info({ reason }, 'shutting down');
    for (const c of [...this.closers].reverse()) {
      const left = deadline - Date.now();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise((resolve) => {
        timer = setTimeout(() => resolve('timeout'), Math.max(0, left));
      });
      try {
        const outcome = await Promise.race([Promise.resolve(c.close()).then(() => 'closed'), timeout]);
        if (outcome === 'timeout') this.logger.warn({ closer: c.name }, 'shutdown deadline passed');
      } catch (e) {
        this.logger.error({ closer: c.name, err: e }, 'close failed');
      } finally {
        clearTimeout(timer);
      }
    }
  }

  /** Installs the signal handlers. */
  installSignals(exit: (code: number) => void = process.exit): void {
    let signals = 0;
    const onSignal = (sig: string) => {
      signals += 1;
      if (signals > 1) exit(130);
      void this.run(sig).then(() => exit(0));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
}

/**
 * Process-level guards: an exception or rejection nobody handled is logged (never with request
 * bodies or key material: only the error) and the process keeps serving; each request's own
 * handler has already answered it with a 5xx. Ending the process here would turn one bad request
 * into an outage for every client.
 */
export function installProcessGuards(logger: Logger): void {
  process.on('uncaughtException', (err) => logger.error({ err }, 'uncaught exception (process keeps serving)'));
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection (process keeps serving)'));
}
