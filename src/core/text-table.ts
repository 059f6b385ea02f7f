/** Comma-separated text tables (measured loss curves, loss tables): rows and row issues. */
import type { Issue } from './errors.js';

/**
 * The data rows of a comma-separated text: blank lines and `#` comments skipped, and the first
 * row too when it starts with a letter (an optional header). `line` is 1-based.
 */
export function dataRows(text: string): { line: number; cells: string[] }[] {
  const rows: { line: number; cells: string[] }[] = [];
  let seen = false;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const header = !seen && /^[A-Za-z_]/.test(line);
    seen = true;
    if (!header) rows.push({ line: i + 1, cells: line.split(',').map((cell) => cell.trim()) });
  });
  return rows;
}

/** An issue at a row (1-based line) and, when given, a column (1-based index and its name). */
export function rowIssue(line: number, message: string, column?: { index: number; name: string }): Issue {
  return column
    ? { path: ['row', line, column.name], line, column: column.index, message }
    : { path: ['row', line], line, message };
}
