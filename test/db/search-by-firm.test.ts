import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordFilter } from '../../src/db/postings.ts';
import { searchMatch, searchPatterns } from '../../src/db/search.ts';
import { call, createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';
import { takePayment } from '../support/fixtures.ts';
import { testEngine } from '../support/db.ts';

/**
 * Issue 18: the search box's text search read, for each trigram, the rows of every firm
 * holding it (a two-column GIN keeps the firm and the trigrams as separate keys), so its
 * cost grew with the whole table and came with outliers. Migration 0031 partitions the
 * search table by firm: the plan of a firm's search reads one partition's index.
 */

/** The relations a plan reads, from EXPLAIN (FORMAT JSON). */
function relationsOf(node: Record<string, unknown>): string[] {
  const own = typeof node['Relation Name'] === 'string' ? [node['Relation Name']] : [];
  const children = (node.Plans as Record<string, unknown>[] | undefined) ?? [];
  return [...own, ...children.flatMap(relationsOf)];
}

describe(`a firm's search reads that firm's partition of the search index on ${testEngine()}`, () => {
  let t: TestApp;
  let a: TestFirm;
  let b: TestFirm;
  let parkerInA: string;
  let parkerPaymentInA: string;

  beforeAll(async () => {
    t = await startTestApp();
    a = await createTestFirm(t, 'SRCHA');
    b = await createTestFirm(t, 'SRCHB');
    const parker = await takePayment(t, a, { payerName: 'Parker Holdings 42' });
    parkerInA = parker.postingRecord.id;
    parkerPaymentInA = parker.payment.id;
    await takePayment(t, a, { payerName: 'Baker Holdings 42' });
    await takePayment(t, b, { payerName: 'Parker Holdings 42' });
  });
  afterAll(async () => t.close());

  async function planOf(firmId: string, q: string): Promise<string[]> {
    const where = recordFilter(firmId, { q }, {});
    const plan = await sql<Record<string, unknown>>`explain (format json)
      select r.id from posting_records r where r.firm_id = ${firmId} and ${where}`.execute(t.conn.db);
    const text = Object.values(plan.rows[0]!)[0];
    const json = (typeof text === 'string' ? JSON.parse(text) : text) as { Plan: Record<string, unknown> }[];
    return relationsOf(json[0]!.Plan).filter((name) => name.startsWith('posting_record_search'));
  }

  it('plans words, and words with an amount, on one partition of the search table', async () => {
    for (const q of ['parker holdings 42', 'holdings 250.00']) {
      const read = await planOf(a.id, q);
      expect(read, q).toHaveLength(1);
      expect(read[0], q).toMatch(/^posting_record_search_\d\d$/);
    }
  });

  it("finds the firm's own records and never another firm's sharing the words", async () => {
    const res = await call(
      t,
      a.accountant,
      'GET',
      `/postings?view=pending_incomplete&q=${encodeURIComponent('parker holdings 42')}`,
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toEqual([parkerInA]);
    const both = await call(t, a.accountant, 'GET', `/postings?view=pending_incomplete&q=holdings`);
    expect(both.json<{ items: unknown[] }>().items).toHaveLength(2);
  });

  it("plans the Payment Manager's search on one partition of the payments' search table, through its index", async () => {
    for (const q of ['parker holdings 42', '250.00', '4242', 'C1 / M']) {
      const where = searchMatch('payments', q)!;
      const plan = await sql<Record<string, unknown>>`explain (format json)
          select p.id from payments p where p.firm_id = ${a.id} and ${where}`.execute(t.conn.db);
      const text = Object.values(plan.rows[0]!)[0];
      const json = (typeof text === 'string' ? JSON.parse(text) : text) as { Plan: Record<string, unknown> }[];
      const read = relationsOf(json[0]!.Plan).filter((name) => name.startsWith('payment_search'));
      expect(read, q).toHaveLength(1);
      expect(read[0], q).toMatch(/^payment_search_\d\d$/);
      // Every pattern of the match can be read through the partition's trigram index: with
      // sequential scans off and no firm to narrow by (this test's few rows would make the
      // primary key cheaper), the planner reads them through it.
      const patterns = searchPatterns(q);
      expect(patterns.length, q).toBeGreaterThan(q === 'parker holdings 42' ? 0 : 1);
      const indexed = await t.conn.db.transaction().execute(async (tx) => {
        await sql`set local enable_seqscan = off`.execute(tx);
        const like = sql.join(
          patterns.map((p) => sql`search_text like ${p}`),
          sql` or `,
        );
        return sql<Record<string, string>>`explain select payment_id from payment_search where ${like}`.execute(tx);
      });
      const planText = indexed.rows.map((r) => Object.values(r).join(' ')).join('\n');
      expect(planText, q).toMatch(/Bitmap Index Scan on payment_search_\d\d_firm_id_search_text_idx/);
      expect(planText, q).not.toContain('Seq Scan');
    }
  });

  it("finds the firm's own payments and never another firm's sharing the words", async () => {
    const res = await call(t, a.accountant, 'GET', `/payments?q=${encodeURIComponent('parker holdings 42')}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toEqual([parkerPaymentInA]);
    expect(
      (await call(t, a.accountant, 'GET', `/payments?q=holdings`)).json<{ items: unknown[] }>().items,
    ).toHaveLength(2);
    expect((await call(t, b.accountant, 'GET', `/payments?q=baker`)).json<{ items: unknown[] }>().items).toEqual([]);
  });

  it('keeps the search text of a record the firm deletes out of the table, as the foreign key did', async () => {
    const [row] = (
      await sql<{ n: number }>`select count(*)::int as n from posting_record_search where firm_id = ${b.id}`.execute(
        t.conn.db,
      )
    ).rows;
    expect(row?.n).toBe(1);
    await sql`delete from posting_records where firm_id = ${b.id}`.execute(t.conn.db);
    const [after] = (
      await sql<{ n: number }>`select count(*)::int as n from posting_record_search where firm_id = ${b.id}`.execute(
        t.conn.db,
      )
    ).rows;
    expect(after?.n).toBe(0);
  });
});
