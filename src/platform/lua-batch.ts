/**
 * Script calls coalesced per event-loop turn. On the KME's hot path most CPU went to socket writes
 * (one write syscall to Redis per ETSI request, each waking Redis); calls made in the same turn are
 * here sent as one pipeline: one write for all of them, each still its own atomic script with its
 * own reply. Semantics are runLua's (src/platform/lua.ts): negative codes map to errors, connection
 * trouble is UNAVAILABLE, nothing is retried. ioredis's own auto-pipelining is not used: a failed
 * batch there can surface as an uncaught TypeError (ioredis#1931) and take the process down.
 */
import type { Redis } from 'ioredis';
import { runLua, scriptCall, scriptReply, unavailable, type LuaScript, type RunOptions } from './lua.js';

export type LuaRunner = (script: LuaScript, options: RunOptions) => Promise<unknown>;

interface PendingCall {
  script: LuaScript;
  options: RunOptions;
  resolve: (reply: unknown) => void;
  reject: (error: unknown) => void;
}

type PipelineWithScripts = Record<string, (...argv: (string | number)[]) => unknown>;

/** A runner whose calls made within one event-loop turn reach Redis as one pipeline. */
export function batchedLua(redis: Redis): LuaRunner {
  let pending: PendingCall[] = [];

  function flush(): void {
    const batch = pending;
    pending = [];
    if (batch.length === 1) {
      const [only] = batch as [PendingCall];
      runLua(redis, only.script, only.options).then(only.resolve, only.reject);
      return;
    }
    // Scripts are defined on the connection first: a pipeline copies the commands defined when it is made.
    const queued: { call: PendingCall; command: string; argv: (string | number)[] }[] = [];
    for (const call of batch) {
      try {
        queued.push({ call, ...scriptCall(redis, call.script, call.options) });
      } catch (e) {
        call.reject(e);
      }
    }
    const pipeline = redis.pipeline();
    for (const { command, argv } of queued) (pipeline as unknown as PipelineWithScripts)[command]!(...argv);
    pipeline.exec().then(
      (results) =>
        queued.forEach(({ call }, i) => {
          const [error, reply] = results?.[i] ?? [new Error('no reply in the pipeline'), undefined];
          if (error) call.reject(unavailable(error, `redis script ${call.script.name}`));
          else settleReply(call, reply);
        }),
      (e: unknown) => queued.forEach(({ call }) => call.reject(unavailable(e, `redis script ${call.script.name}`))),
    );
  }

  function settleReply(call: PendingCall, reply: unknown): void {
    try {
      call.resolve(scriptReply(call.script, reply, call.options.subject));
    } catch (e) {
      call.reject(e);
    }
  }

  return (script, options) =>
    new Promise((resolve, reject) => {
      if (pending.length === 0) setImmediate(flush);
      pending.push({ script, options, resolve, reject });
    });
}
