/** Shared CLI plumbing: option parsing helpers and the exit-code policy (2 = bad input, 1 = failure). */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { QkdsatError } from '../core/errors.js';

export class UsageError extends Error {}

/** Runs a command body; prints a clear message and sets the exit code instead of crashing. */
export async function runCommand(body: () => Promise<void> | void): Promise<void> {
  try {
    await body();
  } catch (e) {
    if (
      e instanceof UsageError ||
      (e instanceof QkdsatError &&
        ['VALIDATION', 'TLE_FORMAT', 'TLE_CHECKSUM', 'WINDOW_TOO_LONG', 'NOT_FOUND', 'STALE_ELEMENT_SET'].includes(
          e.code,
        ))
    ) {
      process.stderr.write(`qkdsat: ${e.message}\n`);
      if (e instanceof QkdsatError && e.issues.length > 1) {
        for (const issue of e.issues.slice(0, 20)) {
          const where = issue.line ? ` (line ${issue.line}${issue.column ? `, column ${issue.column}` : ''})` : '';
          process.stderr.write(`  - ${[...issue.path].join('.')}${where}: ${issue.message}\n`);
        }
      }
      process.exitCode = 2;
    } else if (e instanceof QkdsatError) {
      process.stderr.write(`qkdsat: ${e.message}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`qkdsat: unexpected failure: ${(e as Error)?.stack ?? String(e)}\n`);
      process.exitCode = 1;
    }
  }
}

export function readTextFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`${what}: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export function readJsonFile<S extends z.ZodType>(path: string, what: string, schema: S): z.infer<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(readTextFile(path, what));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${what}: ${path} is not valid JSON: ${(e as Error).message}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw new UsageError(`${what}: ${path}: ${[what, ...first.path.map(String)].join('.')}: ${first.message}`);
  }
  return parsed.data;
}

export function parseNumberOption(
  value: string,
  name: string,
  check: (n: number) => boolean = Number.isFinite,
  rule = 'a finite number',
): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || !check(n))
    throw new UsageError(`${name}: expected ${rule}, got '${value}'`);
  return n;
}

export function writeJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** One stderr warning when results come from element sets beyond the staleness limit (never on stdout). */
export function warnStale(
  items: readonly { noradId: number; epochAgeDays: number; stale: boolean }[],
  staleDays = 14,
): void {
  const stale = items.filter((i) => i.stale);
  if (!stale.length) return;
  const bySat = new Map<number, number>();
  for (const i of stale) bySat.set(i.noradId, Math.max(bySat.get(i.noradId) ?? 0, Math.abs(i.epochAgeDays)));
  const list = [...bySat].map(([n, d]) => `${n} (${d.toFixed(0)} d)`).join(', ');
  process.stderr.write(
    `qkdsat: warning: ${stale.length} result(s) predicted from element sets more than ${staleDays} days ` +
      `from their epoch: ${list}; SGP4 errors grow by km a day, upload newer sets\n`,
  );
}
