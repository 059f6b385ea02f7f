/**
 * Structured logs (pino). Key material never reaches a log: it travels in `KeyMaterial`-like
 * wrappers that print `[redacted]`, and these paths are redacted as a second line of defence.
 */
import { pino, type Logger, type DestinationStream } from 'pino';
import { logContext } from './log-context.js';

export type { Logger };

const REDACT_PATHS = [
  'key',
  'keys',
  'keyBytes',
  'keyMaterial',
  'secret',
  'kek',
  '*.key',
  '*.keys',
  '*.keyBytes',
  '*.keyMaterial',
  '*.secret',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.body',
  'req.body',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'qkdsat' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      // reqId / jobId of the request or job being served (log-context.ts); never bound twice.
      mixin: logContext,
    },
    destination,
  );
}
