import type { Db } from '../../db/connect.ts';
import { foldTallies, sumTallies } from '../../db/tallies.ts';
import type { Tally } from '../../domain/view-counts.ts';

export type { Tally };

/**
 * How many signed changes a firm's tallies may pile up before a read folds them into one
 * row per group: enough that folding is rare, few enough that summing them stays cheap.
 */
export const FOLD_AFTER_PIECES = 500;

export { foldTallies };

/**
 * A firm's record counts per status, account and origin, from the tallies the triggers of
 * migration 0004 keep: a few dozen rows summed, however many records the firm has. When
 * the signed changes have piled up, they are folded together after reading.
 */
export async function readTallies(db: Db, firmId: string): Promise<Tally[]> {
  const rows = await sumTallies(db, firmId);
  const pieces = rows.reduce((sum, r) => sum + r.pieces, 0);
  if (pieces > rows.length + FOLD_AFTER_PIECES) await foldTallies(db, firmId);
  return rows
    .map((r) => ({ status: r.status, account: r.account, origin: r.origin, records: r.records, cents: r.cents }))
    .filter((t) => t.records !== 0 || t.cents !== 0n);
}
