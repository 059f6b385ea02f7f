/**
 * Settles KME leases in batches, off the request path: each response reports whether it was
 * flushed (`sent`) or not (`unsent`); one kme-settle script call per batch writes the audit
 * entries. By default a batch goes on the next timer turn, so it joins the script calls of that
 * turn's requests in one pipeline write (lua-batch.ts); one batch is in flight at a time. When
 * Redis does not answer, the batch is kept and retried; leases a dead process never settles are
 * settled by the store's sweepLeases.
 */
import type { Logger } from '../../src/platform/logger.js';
import type { KmeLeaseStore, LeaseOutcome, LeaseRecord } from './kme-leases.redis.js';

export interface LeaseSettler {
  add(opId: string, outcome: LeaseOutcome, lease: LeaseRecord): void;
  /** Settles what is pending (shutdown). */
  drain(): Promise<void>;
}

export function leaseSettler(
  store: KmeLeaseStore,
  logger: Logger,
  options: { delayMs?: number; maxBatch?: number } = {},
): LeaseSettler {
  const delayMs = options.delayMs ?? 0,
    maxBatch = options.maxBatch ?? 256;
  let pending: { opId: string; outcome: LeaseOutcome; lease: LeaseRecord }[] = [];
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let failures = 0;

  const schedule = (ms: number) => {
    timer ??= setTimeout(() => {
      timer = undefined;
      void flush();
    }, ms);
  };

  async function flush(): Promise<void> {
    if (running) return running;
    const batch = pending.splice(0, maxBatch);
    if (batch.length === 0) return;
    running = store
      .settle(batch)
      .then(
        () => {
          failures = 0;
        },
        (e: unknown) => {
          pending = batch.concat(pending);
          failures += 1;
          if (failures === 1 || failures % 50 === 0)
            logger.warn({ err: (e as Error).message, leases: pending.length }, 'settling key leases failed; retrying');
        },
      )
      .finally(() => {
        running = undefined;
        if (pending.length) schedule(failures ? Math.min(1000, 20 * failures) : 0);
      });
    return running;
  }

  return {
    add(opId, outcome, lease) {
      pending.push({ opId, outcome, lease });
      schedule(pending.length >= maxBatch ? 0 : delayMs);
    },
    async drain() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      for (let i = 0; i < 20 && (pending.length || running); i += 1) {
        await (running ?? flush());
      }
    },
  };
}
