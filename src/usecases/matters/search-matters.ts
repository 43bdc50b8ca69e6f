import type { z } from 'zod';
import type { searchMattersEndpoint } from '../../contract/matters.ts';
import type { Db } from '../../db/connect.ts';
import { searchMatterRows, type MatterHit } from '../../db/matters.ts';
import { likePattern } from '../../domain/paging.ts';

export type MatterSearchQuery = z.output<typeof searchMattersEndpoint.query>;

/**
 * Reallocate Payment's matter search for trust money: the firm's synced matters by client
 * number or name, or matter number or description. Only a synced matter can take trust
 * money (an unknown one is `unknown_matter`), so this is what the accountant picks from.
 */
export async function searchMatters(db: Db, firmId: string, query: MatterSearchQuery): Promise<{ items: MatterHit[] }> {
  return { items: await searchMatterRows(db, firmId, query.q?.trim() ? likePattern(query.q) : null, query.limit) };
}
