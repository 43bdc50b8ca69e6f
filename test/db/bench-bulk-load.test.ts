import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asBulkLoad } from '../../src/bench/generate.ts';
import type { Connection, Db } from '../../src/db/connect.ts';
import { createFirm } from '../../src/usecases/auth/firms-and-users.ts';
import { createTestDb, testEngine } from '../support/db.ts';

/**
 * The bench fills its big tables with their secondary indexes dropped and their foreign
 * keys' row checks off (src/bench/generate.ts). What it hands the measurements must be
 * the schema the migrations made, and data the foreign keys would have let in.
 */

async function indexes(db: Db): Promise<string[]> {
  const found = await sql<{ d: string }>`select pg_get_indexdef(i.indexrelid) as d
    from pg_index i join pg_class t on t.oid = i.indrelid
    where t.relname in ('payments', 'payment_search', 'allocations') order by 1`.execute(db);
  return found.rows.map((r) => r.d);
}

async function triggersOff(db: Db): Promise<number> {
  const found = await sql<{
    n: number;
  }>`select count(*)::int as n from pg_trigger g join pg_class t on t.oid = g.tgrelid
    where t.relname in ('payments', 'allocations') and g.tgenabled = 'D'`.execute(db);
  return found.rows[0]!.n;
}

describe(`the bench's bulk load on ${testEngine()}`, () => {
  let conn: Connection;
  let firmId: string;
  const tables = ['payments', 'payment_search', 'allocations'];

  beforeAll(async () => {
    conn = await createTestDb();
    firmId = (await createFirm(conn.db, { code: 'BULK', name: 'Bulk LLP' })).id;
  }, 60_000);
  afterAll(async () => conn?.close());

  it("gives back the same indexes and triggers, and the tables' own triggers ran", async () => {
    const before = await indexes(conn.db);
    const during = await asBulkLoad(conn.db, tables, async () => {
      await sql`insert into payments (firm_id, processor_id, processed_at, amount_cents, surcharge_cents, method, account,
          payer_name, invoice_numbers, origin)
        select ${firmId}, 'bulk_' || g, now(), 1000, 0, 'card', 'operating', 'Bulk Payer', '{INV-1}', 'connect'
        from generate_series(1, 50) g`.execute(conn.db);
      return { indexes: await indexes(conn.db), off: await triggersOff(conn.db) };
    });
    // While filling: the secondary indexes gone, the foreign keys' checks off.
    expect(during.indexes.length).toBeLessThan(before.length);
    expect(during.off).toBeGreaterThan(0);
    expect(await indexes(conn.db)).toEqual(before);
    expect(await triggersOff(conn.db)).toBe(0);
    // payment_search is filled by the payments' own trigger, which stayed on.
    const searched = await sql<{
      n: number;
    }>`select count(*)::int as n from payment_search where firm_id = ${firmId}`.execute(conn.db);
    expect(searched.rows[0]!.n).toBe(50);
  });

  it('refuses data that breaks a foreign key, and leaves the checks on', async () => {
    await expect(
      asBulkLoad(conn.db, tables, async () => {
        await sql`insert into allocations (firm_id, record_id, line, invoice_number, amount_cents)
          values (${firmId}, gen_random_uuid(), 1, 'INV-1', 1000)`.execute(conn.db);
      }),
    ).rejects.toThrow(/1 rows of allocations that break its foreign key allocations_firm_id_record_id_fkey/);
    expect(await triggersOff(conn.db)).toBe(0);
    // The checks are on again: the same row is refused at once.
    await expect(
      sql`insert into allocations (firm_id, record_id, line, invoice_number, amount_cents)
        values (${firmId}, gen_random_uuid(), 2, 'INV-1', 1000)`.execute(conn.db),
    ).rejects.toThrow(/foreign key/);
  });
});
