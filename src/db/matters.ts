import { sql } from 'kysely';
import type { z } from 'zod';
import type { matterOut } from '../contract/matters.ts';
import type { Db } from './connect.ts';

export type MatterHit = z.infer<typeof matterOut>;

/** The firm's synced matters with their client's name, by client and matter number; `pattern` (a LIKE pattern) narrows by either number, the name or the description. */
export async function searchMatterRows(
  db: Db,
  firmId: string,
  pattern: string | null,
  limit: number,
): Promise<MatterHit[]> {
  let q = db
    .selectFrom('matters as m')
    .innerJoin('clients as c', (j) =>
      j.onRef('c.firm_id', '=', 'm.firm_id').onRef('c.client_number', '=', 'm.client_number'),
    )
    .where('m.firm_id', '=', firmId)
    .select(['m.client_number', 'c.name as client_name', 'm.matter_number', 'm.description']);
  if (pattern !== null) {
    q = q.where(sql<boolean>`(lower(m.client_number) like ${pattern} or lower(c.name) like ${pattern}
      or lower(m.matter_number) like ${pattern} or lower(m.description) like ${pattern})`);
  }
  const rows = await q.orderBy('m.client_number', 'asc').orderBy('m.matter_number', 'asc').limit(limit).execute();
  return rows.map((r) => ({
    clientNumber: r.client_number,
    clientName: r.client_name,
    matterNumber: r.matter_number,
    description: r.description,
  }));
}
