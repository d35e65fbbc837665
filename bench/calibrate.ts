/**
 * `npm run calibrate [-- --replications N] [--json]`: every rate rule on synthetic data with known truth (src/stats/calibration.ts).
 * Prints one row per (family, noise, design, claim) with the rate of each verdict and the coverage of the 95% interval.
 */
import { parseArgs } from 'node:util';
import { formulaSupportRate, runCase, standardCases } from '../src/stats/calibration.ts';

const { values } = parseArgs({ options: { replications: { type: 'string', default: '1000' }, json: { type: 'boolean', default: false } } });
const replications = Number(values.replications);
const start = performance.now();
const rows = standardCases().map((c) => runCase(c, replications));
const pct = (x: number) => `${(100 * x).toFixed(1)}`;
const formula = [
  { deviation: 0, relTol: 0.02, se: 0.005, exact: false },
  { deviation: 0.02, relTol: 0.02, se: 0.005, exact: false },
  { deviation: 0.03, relTol: 0.02, se: 0.005, exact: false },
  { deviation: 0, relTol: 0.02, se: 0.005, exact: true },
  { deviation: 0.01, relTol: 0.02, se: 0.005, exact: true },
].map((f) => ({ ...f, rates: formulaSupportRate({ ...f, replications }) }));
if (values.json) {
  console.log(JSON.stringify({ replications, rows, formula }, null, 1));
} else {
  console.log(`| family | noise | seeds x widths | claim | truth (tail) | claim true | supported % | refuted % | inconclusive % | 95% CI coverage % |`);
  console.log(`|---|---|---|---|---|---|---|---|---|---|`);
  for (const r of rows)
    console.log(`| ${r.family} | ${r.noise} ${r.spread} | ${r.design} | ${r.claim} | ${r.truth.toFixed(2)} (${r.truthTail.toFixed(2)}) | ${r.claimTrue ? 'yes' : 'no'} | ${pct(r.rates.supported)} | ${pct(r.rates.refuted)} | ${pct(r.rates.inconclusive)} | ${pct(r.coverage)} |`);
  console.log('');
  console.log(`| formula rule | relTol | se | true deviation | supported % | refuted % | inconclusive % |`);
  console.log(`|---|---|---|---|---|---|---|`);
  for (const f of formula) console.log(`| ${f.exact ? 'exact' : 'approximate'} | ${f.relTol} | ${f.se} | ${f.deviation} | ${pct(f.rates.supported)} | ${pct(f.rates.refuted)} | ${pct(f.rates.inconclusive)} |`);
  console.log(`\n${replications} replications per row, ${((performance.now() - start) / 1000).toFixed(1)} s`);
}
