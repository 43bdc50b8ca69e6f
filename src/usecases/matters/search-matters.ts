import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import { likePattern } from '../paging.ts';

export interface MatterSearchQuery {
  q?: string | undefined;
  limit: number;
}

export interface MatterHit {
  clientNumber: string;
  clientName: string;
  matterNumber: string;
  description: string;
}

/**
 * Reallocate Payment's matter search for trust money: the firm's synced matters by client
 * number or name, or matter number or description. Only a synced matter can take trust
 * money (an unknown one is `unknown_matter`), so this is what the accountant picks from.
 */
export async function searchMatters(db: Db, firmId: string, query: MatterSearchQuery): Promise<{ items: MatterHit[] }> {
  let q = db
    .selectFrom('matters as m')
    .innerJoin('clients as c', (j) => j.onRef('c.firm_id', '=', 'm.firm_id').onRef('c.client_number', '=', 'm.client_number'))
    .where('m.firm_id', '=', firmId)
    .select(['m.client_number', 'c.name as client_name', 'm.matter_number', 'm.description']);
  if (query.q?.trim()) {
    const pattern = likePattern(query.q);
    q = q.where(sql<boolean>`(lower(m.client_number) like ${pattern} or lower(c.name) like ${pattern}
      or lower(m.matter_number) like ${pattern} or lower(m.description) like ${pattern})`);
  }
  const rows = await q.orderBy('m.client_number', 'asc').orderBy('m.matter_number', 'asc').limit(query.limit).execute();
  return {
    items: rows.map((r) => ({ clientNumber: r.client_number, clientName: r.client_name, matterNumber: r.matter_number, description: r.description })),
  };
}
