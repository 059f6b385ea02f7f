/** An instant: UTC milliseconds since the Unix epoch. The core never reads the wall clock. */
export type Instant = number;

/** ISO-8601 UTC with milliseconds, e.g. 2024-05-09T13:03:29.100Z. */
export const toIso = (instant: Instant): string => new Date(Math.round(instant)).toISOString();

/** Parses ISO-8601 with an explicit zone; returns NaN when it is not one. */
export function parseIso(text: string): Instant {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(text)) return Number.NaN;
  return Date.parse(text);
}
