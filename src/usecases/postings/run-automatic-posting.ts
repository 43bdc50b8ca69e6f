import type { Db } from '../../db/connect.ts';
import { claimDueAutoPosting } from '../../db/firms.ts';
import { SYSTEM_ACTOR } from '../../domain/actor.ts';
import { postRecords, type BatchSummary } from './post-records.ts';

/**
 * Automatic posting (SPEC §4): for each firm with the setting on whose interval has
 * passed, every pending record is batched as if someone clicked Post All. A firm is
 * claimed by moving its last_auto_post_at forward first, so two server instances
 * ticking at once post it once.
 */
export async function runAutomaticPosting(
  db: Db,
  now = new Date(),
): Promise<{ firmId: string; batch: BatchSummary | null }[]> {
  const due = await claimDueAutoPosting(db, now);
  const results: { firmId: string; batch: BatchSummary | null }[] = [];
  for (const id of due) {
    results.push({ firmId: id, batch: await postRecords(db, id, SYSTEM_ACTOR, { all: true }, now) });
  }
  return results;
}
