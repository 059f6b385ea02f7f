/**
 * The request or job a line of log belongs to. app.ts runs each request, and the scheduler's
 * workers each job, inside a context ({ reqId } or { jobId, queue }); the logger's mixin
 * (logger.ts) adds it to every line logged meanwhile, by any component's logger, so no component
 * needs to thread a child logger through. Never put secrets here: every line carries it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface LogContext {
  reqId?: string;
  jobId?: string;
  queue?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

export const withLogContext = <T>(ctx: LogContext, fn: () => T): T => storage.run(ctx, fn);

/** A copy (pino merges the line's own fields into the mixin's object). */
export const logContext = (): LogContext => {
  const c = storage.getStore();
  return c ? { ...c } : {};
};
