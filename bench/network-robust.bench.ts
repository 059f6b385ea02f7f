/**
 * Robust vs expected-value planning on the demo network over a year (issue 13's trade-off bar):
 * for each seed, a year with `--planning expected` and with `--planning robust` (heuristic); per
 * pair, the 10th percentile (nearest rank) of its monthly delivered/demand pooled over seeds; the
 * worst pair's p10 and p50, and the mean total delivered key (the cost or gain in expected key).
 *   npx tsx bench/network-robust.bench.ts [--seeds 4] [--days 365]
 */
import { resolve } from 'node:path';
import { readNetworkConfigFile } from '../network/index.js';
import { quantile, type NetworkReport } from '../network/domain/index.js';
import { runNetworkSimulation } from '../src/network-run.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const seeds = opt('--seeds', 4),
  days = opt('--days', 365);
const { config, baseDir } = readNetworkConfigFile(resolve(import.meta.dirname, '../config/network-demo.json'));
const startMs = Date.UTC(2022, 7, 10);

const summary = (reports: NetworkReport[]) => {
  const fr = new Map<string, number[]>();
  for (const r of reports)
    for (const p of r.pairs) {
      const l = fr.get(`${p.a}~${p.b}`) ?? [];
      l.push(...p.monthly.map((m) => Math.min(1, m.deliveredBits / m.demandBits)));
      fr.set(`${p.a}~${p.b}`, l);
    }
  const per = [...fr].map(([pair, xs]) => ({
    pair,
    p10: quantile(xs, 0.1),
    p50: quantile(xs, 0.5),
    zeroMonths: xs.filter((x) => x === 0).length / xs.length,
  }));
  const worstP10 = Math.min(...per.map((p) => p.p10));
  const worstP50 = Math.min(...per.map((p) => p.p50));
  const delivered = reports.reduce((s, r) => s + r.totals.deliveredBits, 0) / reports.length;
  const ms = reports.reduce((s, r) => s + r.runtimeMs, 0) / reports.length;
  return { per, worstP10, worstP50, delivered, ms };
};

const out: Record<string, ReturnType<typeof summary>> = {};
for (const planning of ['expected', 'robust'] as const) {
  const reports: NetworkReport[] = [];
  for (let seed = 1; seed <= seeds; seed += 1)
    reports.push(
      (await runNetworkSimulation(config, baseDir, { startMs, days, seed, solver: 'heuristic', planning })).report,
    );
  const s = (out[planning] = summary(reports));
  console.log(
    `${planning.padEnd(8)} ${seeds} seeds x ${days} days: worst pair p10 monthly ` +
      `${(s.worstP10 * 100).toFixed(1)} %, p50 ${(s.worstP50 * 100).toFixed(1)} %; mean delivered ` +
      `${(s.delivered / 1e6).toFixed(1)} Mbit; ${(s.ms / 1000).toFixed(1)} s per run`,
  );
  for (const p of s.per)
    console.log(
      `         ${p.pair.padEnd(20)} p10 ${(p.p10 * 100).toFixed(1).padStart(5)} %, p50 ` +
        `${(p.p50 * 100).toFixed(1).padStart(5)} %, months with no key ${(p.zeroMonths * 100).toFixed(1)} %`,
    );
}
const e = out.expected!,
  r = out.robust!;
console.log(
  `robust / expected: worst-pair p10 ${(r.worstP10 * 100).toFixed(1)} % vs ` +
    `${(e.worstP10 * 100).toFixed(1)} %; expected total key ${((r.delivered / e.delivered - 1) * 100).toFixed(1)} %`,
);
