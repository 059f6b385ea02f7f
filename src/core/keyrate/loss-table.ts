/**
 * The SatQuMA loss-table layout (`time_s, elevation_rad, efficiency`, further columns ignored, `#`
 * comment lines): parsed from text here (pure); reading the file is the caller's job.
 */
import { err, ok, type Issue, type Result } from '../errors.js';
import { dataRows, rowIssue } from '../text-table.js';

export interface LossTable {
  timeS: Float64Array;
  elevationRad: Float64Array;
  /** Link efficiency η per 1 s slot, detector included. */
  efficiency: Float64Array;
}

const NAMES = ['time_s', 'elevation_rad', 'efficiency'];

/** What is wrong with a loss-table row, if anything. */
function lossTableIssue(line: number, cells: string[], nums: number[]): Issue | undefined {
  if (cells.length < 3)
    return rowIssue(line, `expected 3 columns time_s, elevation_rad, efficiency; got ${cells.length}`);
  for (let k = 0; k < 3; k++)
    if (cells[k] === '' || !Number.isFinite(nums[k]))
      return rowIssue(line, `${NAMES[k]} is not a number: '${cells[k]}'`, { index: k + 1, name: NAMES[k]! });
  if (!(nums[2]! >= 0 && nums[2]! <= 1))
    return rowIssue(line, `efficiency must be in [0, 1] (a negative loss is not physical): ${cells[2]}`, {
      index: 3,
      name: 'efficiency',
    });
  return undefined;
}

export function parseLossTable(text: string): Result<LossTable> {
  const issues: Issue[] = [];
  const t: number[] = [];
  const el: number[] = [];
  const eff: number[] = [];
  for (const { line, cells } of dataRows(text)) {
    const nums = cells.slice(0, 3).map(Number);
    const issue = lossTableIssue(line, cells, nums);
    if (issue) issues.push(issue);
    else {
      t.push(nums[0]!);
      el.push(nums[1]!);
      eff.push(nums[2]!);
    }
  }
  if (issues.length) return err(issues);
  if (t.length === 0) return err([{ path: ['rows'], message: 'no data rows' }]);
  return ok({ timeS: Float64Array.from(t), elevationRad: Float64Array.from(el), efficiency: Float64Array.from(eff) });
}
