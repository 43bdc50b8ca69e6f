import type { Engine } from '../db/connect.ts';
import type { Dataset } from './generate.ts';
import type { ServerHandle } from './server-handle.ts';
import type { Sizes } from './sizes.ts';

/** What every metric gets: the sizes, the generated firms and their tokens, the running server. */
export interface BenchContext {
  engine: Engine;
  sizes: Sizes;
  dataset: Dataset;
  server: ServerHandle;
  /** Progress for the person waiting, on stderr; the table alone goes to stdout. */
  log(message: string): void;
}

export function firmOf(ctx: BenchContext, code: string): { id: string; userToken: string; agentToken: string } {
  const firm = ctx.dataset.firms.get(code);
  const userToken = ctx.dataset.userTokens.get(code);
  const agentToken = ctx.dataset.agentTokens.get(code);
  if (!firm || !userToken || !agentToken) throw new Error(`the dataset has no firm ${code} with tokens`);
  return { id: firm.id, userToken, agentToken };
}
