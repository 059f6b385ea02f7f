/** Option checks several verbs share; each names the option and what it expected (exit 2). */
import { QkdsatError, type Issue, type Result } from '../core/errors.js';
import { findPreset, PRESETS } from '../core/presets/index.js';
import type { Preset } from '../core/presets/types.js';
import { SolverKindSchema, type SolverKind } from '../../scheduler/domain/index.js';
import { parseNumberOption, UsageError } from './run.js';

/** An integer in [min, max]; `rule` is how the message names that range. */
export function parseIntegerOption(
  value: string,
  name: string,
  range: { min: number; max?: number },
  rule: string,
): number {
  const max = range.max ?? Infinity;
  return parseNumberOption(value, name, (n) => Number.isInteger(n) && n >= range.min && n <= max, rule);
}

/** `--seed`: a 32-bit unsigned integer. */
export const parseSeedOption = (value: string): number =>
  parseIntegerOption(value, '--seed', { min: 0, max: 2 ** 32 - 1 }, 'an integer in 0..2^32-1');

export function parseSolverOption(value: string): SolverKind {
  const solver = SolverKindSchema.safeParse(value);
  if (!solver.success) throw new UsageError(`--solver: expected exact or heuristic, got '${value}'`);
  return solver.data;
}

/** `--format` of verbs whose only format is json (absent: their default). */
export function checkJsonFormat(format: string | undefined): void {
  if (format !== undefined && format !== 'json') throw new UsageError(`--format: expected json, got '${format}'`);
}

/** `--preset NAME`: a shipped preset, or a message listing the known ones. */
export function presetOption(name: string): Preset {
  const preset = findPreset(name);
  if (!preset)
    throw new UsageError(`--preset: unknown preset '${name}' (known: ${PRESETS.map((known) => known.id).join(', ')})`);
  return preset;
}

/** A parsed CSV file's rows, or VALIDATION naming the option, the file and the first bad line. */
export function tableRows<T>(parsed: Result<T, Issue[]>, option: string, path: string): T {
  if (parsed.ok) return parsed.value;
  const first = parsed.error[0]!;
  throw new QkdsatError(
    'VALIDATION',
    `${option}: ${path}${first.line ? ` line ${first.line}` : ''}: ${first.message}`,
    parsed.error,
  );
}

/** `--format` of verbs that print json or text. */
export function checkJsonOrTextFormat(format: string): void {
  if (format !== 'json' && format !== 'text') throw new UsageError(`--format: expected json or text, got '${format}'`);
}
