/**
 * Property tests run on a fixed seed so that CI is reproducible (as Hypothesis's "derandomize" CI
 * profile); a failure prints its seed and path. `FC_SEED=random npm test` explores new cases,
 * `FC_SEED=<n>` replays one run.
 */
import fc from 'fast-check';

const seed = process.env.FC_SEED;
if (seed !== 'random') fc.configureGlobal({ seed: seed ? Number(seed) : 20_261_123 });
