import { performance } from 'node:perf_hooks';
import { Command } from 'commander';
import { DEFAULT_OPTIONS, describeFailure, openSimEnv, runSeed } from './world.ts';

/**
 * `npm run simulate -- --seeds 10000`: the whole-loop simulation of issue 17, seed after
 * seed; a failing seed prints its trace and the command that replays it.
 */
const program = new Command('simulate')
  .option('--seeds <n>', 'how many seeds to run', '100')
  .option('--from <n>', 'the first seed', '1')
  .option('--seed <n>', 'replay one seed and print its trace')
  .option('--steps <n>', 'most steps per seed before the drain', String(DEFAULT_OPTIONS.maxSteps))
  .option('--fault-rate <p>', 'how often a step brings a fault (0..1)', String(DEFAULT_OPTIONS.faultRate))
  .option('--keep-going', 'run every seed even after a failure')
  .parse();

const opts = program.opts<{
  seeds: string;
  from: string;
  seed?: string;
  steps: string;
  faultRate: string;
  keepGoing?: boolean;
}>();
const options = { maxSteps: Number(opts.steps), faultRate: Number(opts.faultRate) };
const replay = (seed: number) =>
  `npm run simulate -- --seed ${seed}${opts.steps !== String(DEFAULT_OPTIONS.maxSteps) ? ` --steps ${opts.steps}` : ''}${opts.faultRate !== String(DEFAULT_OPTIONS.faultRate) ? ` --fault-rate ${opts.faultRate}` : ''}`;

const began = performance.now();
const env = await openSimEnv();
let failed = 0;
let ran = 0;
try {
  const seeds =
    opts.seed !== undefined
      ? [Number(opts.seed)]
      : Array.from({ length: Number(opts.seeds) }, (_, i) => Number(opts.from) + i);
  for (const seed of seeds) {
    const result = await runSeed(env, seed, options);
    ran += 1;
    if (result.failures.length > 0) {
      failed += 1;
      console.log(describeFailure(result, replay(seed)));
      if (!opts.keepGoing && opts.seed === undefined) break;
    } else if (opts.seed !== undefined) {
      console.log(result.trace.join('\n'));
      console.log(`seed ${seed} passed`);
    }
    if (ran % 100 === 0)
      console.log(`${ran} seeds, ${failed} failed, ${((performance.now() - began) / 1000).toFixed(1)} s`);
  }
} finally {
  await env.close();
}
const seconds = (performance.now() - began) / 1000;
console.log(`${ran} seeds run, ${failed} failed, in ${seconds.toFixed(1)} s (${(ran / seconds).toFixed(2)} seeds/s)`);
process.exitCode = failed > 0 ? 1 : 0;
