import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeFailure, openSimEnv, runSeed, type SeedOptions, type SimEnv } from './world.ts';

/**
 * The whole-loop simulation of issue 17 in `npm test`: 500 seeds, each a firm's short life
 * (payments of every origin, edits, posts, syncs, MMS refusals, reversals; the agent on the
 * file-drop or the procedure sink) under faults, then the invariants. The seeds are split
 * over two test files (simulate.test.ts, simulate-2.test.ts) so the two workers run
 * halves side by side. `npm run simulate -- --seeds 10000` is the nightly-sized run.
 */
export const SEEDS = Number(process.env.PAYBRIDGE_SIM_SEEDS ?? 500);
export const OPTIONS: SeedOptions = { maxSteps: 16, faultRate: 0.4 };

export const replayCommand = (seed: number) =>
  `npm run simulate -- --seed ${seed} --steps ${OPTIONS.maxSteps} --fault-rate ${OPTIONS.faultRate}`;

/** The environment one test file runs its seeds in: one PGlite, one server, opened once. */
export function simEnv(): () => SimEnv {
  let env: SimEnv | undefined;
  // Two PGlite databases and two servers: seconds alone, over a minute on a busy machine.
  beforeAll(async () => {
    env = await openSimEnv();
  }, 300_000);
  afterAll(async () => env?.close());
  return () => {
    if (!env) throw new Error('the simulation environment is not open');
    return env;
  };
}

/** Seeds first..last hold every invariant (the first three failures, each with its trace). */
export function holdsOverSeeds(first: number, last: number): void {
  describe(`the whole-loop simulation, seeds ${first} to ${last}`, () => {
    const env = simEnv();
    it(`holds every invariant over ${last - first + 1} seeds`, { timeout: 600_000 }, async () => {
      const failed: string[] = [];
      let faults = 0;
      for (let seed = first; seed <= last && failed.length < 3; seed += 1) {
        const result = await runSeed(env(), seed, OPTIONS);
        faults += result.faults;
        if (result.failures.length > 0) failed.push(describeFailure(result, replayCommand(seed)));
      }
      expect(failed.join('\n\n')).toBe('');
      expect(faults).toBeGreaterThan(last - first + 1);
    });
  });
}
