/**
 * Measured loss curves: one row per sample (time, range, elevation, loss and optionally its 1σ), as
 * a CSV file carries it (`parseMeasuredLoss`) and as the wire carries it (`MeasuredLossRowSchema`:
 * REST calibration, executed-pass outcomes).
 */
import { z } from 'zod';
import { err, ok, type Issue, type Result } from '../errors.js';
import { dataRows, rowIssue } from '../text-table.js';

export interface MeasuredLossRow {
  timeS: number;
  rangeKm: number;
  elevationDeg: number;
  lossDb: number;
  /** 1σ uncertainty of lossDb; when no row has one, σ is estimated from the residuals. */
  sigmaDb?: number;
}

export const MeasuredLossRowSchema = z.object({
  timeS: z.number(),
  rangeKm: z.number().positive().max(1e6),
  elevationDeg: z.number().gt(0).max(90),
  lossDb: z.number().min(0).max(400),
  sigmaDb: z.number().positive().optional(),
});

const COLUMNS = ['time_s', 'range_km', 'elevation_deg', 'loss_db', 'sigma_db'];

/** What is wrong with a measured-loss row, if anything. */
function measuredLossIssue(line: number, cells: string[], values: number[]): Issue | undefined {
  if (cells.length < 4) return rowIssue(line, 'expected time_s, range_km, elevation_deg, loss_db[, sigma_db]');
  const bad = values.findIndex((value) => !Number.isFinite(value));
  if (bad >= 0)
    return rowIssue(line, `${COLUMNS[bad]} is not a number: '${cells[bad]}'`, { index: bad + 1, name: COLUMNS[bad]! });
  const [, rangeKm, elevationDeg, , sigmaDb] = values;
  if (!(rangeKm! > 0)) return rowIssue(line, 'range_km must be > 0', { index: 2, name: 'range_km' });
  if (!(elevationDeg! > 0 && elevationDeg! <= 90))
    return rowIssue(line, 'elevation_deg must be in (0, 90]', { index: 3, name: 'elevation_deg' });
  if (sigmaDb !== undefined && !(sigmaDb > 0))
    return rowIssue(line, 'sigma_db must be > 0', { index: 5, name: 'sigma_db' });
  return undefined;
}

/** Parses `time_s, range_km, elevation_deg, loss_db[, sigma_db]` (`#` comments, optional header row). */
export function parseMeasuredLoss(text: string): Result<MeasuredLossRow[], Issue[]> {
  const rows: MeasuredLossRow[] = [];
  const issues: Issue[] = [];
  for (const { line, cells } of dataRows(text)) {
    const values = cells.slice(0, 5).map((cell) => (cell === '' ? Number.NaN : Number(cell)));
    const issue = measuredLossIssue(line, cells, values);
    if (issue) issues.push(issue);
    else {
      const [timeS, rangeKm, elevationDeg, lossDb, sigmaDb] = values as [
        number,
        number,
        number,
        number,
        number | undefined,
      ];
      rows.push({ timeS, rangeKm, elevationDeg, lossDb, ...(sigmaDb !== undefined ? { sigmaDb } : {}) });
    }
  }
  if (issues.length) return err(issues);
  if (rows.length === 0) return err([{ path: [], message: 'no data rows' }]);
  return ok(rows);
}
