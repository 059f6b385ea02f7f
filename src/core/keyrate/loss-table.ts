/**
 * The SatQuMA loss-table layout (`time_s, elevation_rad, efficiency`, further columns ignored, `#`
 * comment lines): parsed from text here (pure); reading the file is the caller's job.
 */
import { err, ok, type Issue, type Result } from '../errors.js';

export interface LossTable {
  timeS: Float64Array;
  elevationRad: Float64Array;
  /** Link efficiency η per 1 s slot, detector included. */
  efficiency: Float64Array;
}

export function parseLossTable(text: string): Result<LossTable> {
  const issues: Issue[] = [];
  const t: number[] = [];
  const el: number[] = [];
  const eff: number[] = [];
  const lines = text.split(/\r?\n/);
  let seenLine = false;
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const isHeader = !seenLine && /^[A-Za-z_]/.test(line);
    seenLine = true;
    if (isHeader) return; // an optional uncommented header row
    const cells = line.split(',').map((s) => s.trim());
    const nums = cells.slice(0, 3).map(Number);
    const names = ['time_s', 'elevation_rad', 'efficiency'];
    if (cells.length < 3) {
      issues.push({
        path: ['row', i + 1],
        line: i + 1,
        message: `expected 3 columns time_s, elevation_rad, efficiency; got ${cells.length}`,
      });
      return;
    }
    for (let k = 0; k < 3; k++) {
      if (cells[k] === '' || !Number.isFinite(nums[k])) {
        issues.push({
          path: ['row', i + 1, names[k]!],
          line: i + 1,
          column: k + 1,
          message: `${names[k]} is not a number: '${cells[k]}'`,
        });
        return;
      }
    }
    if (!(nums[2]! >= 0 && nums[2]! <= 1)) {
      issues.push({
        path: ['row', i + 1, 'efficiency'],
        line: i + 1,
        column: 3,
        message: `efficiency must be in [0, 1] (a negative loss is not physical): ${cells[2]}`,
      });
      return;
    }
    t.push(nums[0]!);
    el.push(nums[1]!);
    eff.push(nums[2]!);
  });
  if (issues.length) return err(issues);
  if (t.length === 0) return err([{ path: ['rows'], message: 'no data rows' }]);
  return ok({ timeS: Float64Array.from(t), elevationRad: Float64Array.from(el), efficiency: Float64Array.from(eff) });
}
