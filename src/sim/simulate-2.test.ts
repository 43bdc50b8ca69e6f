import { holdsOverSeeds, SEEDS } from './suite.ts';

// The second half of the seeds of simulate.test.ts, in a worker of its own.
holdsOverSeeds(Math.ceil(SEEDS / 2) + 1, SEEDS);
