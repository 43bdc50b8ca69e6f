import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordFilter } from '../../src/db/postings.ts';
import { call, createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';
import { takePayment } from '../support/fixtures.ts';
import { testEngine } from '../support/db.ts';

/**
 * Issue 18: the All view searched, in date order, takes its page from the search table
 * (migration 0034, searchedAllRecords) instead of reading every match's record to sort
 * them. The pages must hold exactly what the search always found, in the same order:
 * what recordFilter's EXISTS gives under ORDER BY date, id.
 */
describe(`the All view searched in date order reads its page from the search table on ${testEngine()}`, () => {
  let t: TestApp;
  let firm: TestFirm;
  let other: TestFirm;

  beforeAll(async () => {
    t = await startTestApp();
    firm = await createTestFirm(t, 'SRCHDATE');
    other = await createTestFirm(t, 'SRCHDAT2');
    // "0042" as a part of invoice and client numbers, as a last 4 and as an amount ($42.00);
    // several payments share an instant, so the id decides their order.
    for (let i = 0; i < 40; i += 1) {
      const at = new Date(Date.UTC(2026, 9, 1 + (i % 9), 10, 0, i % 3 === 0 ? 0 : i)).toISOString();
      await takePayment(t, firm, {
        payerName: i % 5 === 0 ? 'Baker Trust' : `Parker Holdings ${i}`,
        invoiceNumbers: [i % 4 === 0 ? `INV-${String(4200 + i).padStart(7, '0')}` : `INV-${1000 + i}`],
        clientNumber: i % 6 === 0 ? 'C000042' : `C${i}`,
        last4: i % 7 === 0 ? '0042' : '4242',
        amountCents: i % 8 === 0 ? 4200 : 10_000 + i,
        processedAt: at,
      });
    }
    await takePayment(t, other, { invoiceNumbers: ['INV-0042'], processedAt: '2026-10-03T10:00:00.000Z' });
  });
  afterAll(async () => t.close());

  /** What the search always found: recordFilter's EXISTS, ordered by date and id. */
  async function expected(firmId: string, q: string, order: 'asc' | 'desc'): Promise<string[]> {
    const direction = sql.raw(order);
    const rows = await sql<{ id: string }>`select r.id from posting_records r
      where r.firm_id = ${firmId} and ${recordFilter(firmId, { q }, {})}
      order by r.processed_at ${direction}, r.id ${direction}`.execute(t.conn.db);
    return rows.rows.map((r) => r.id);
  }

  /** Every page of GET /postings?view=all&q=…, by cursor. */
  async function paged(q: string, order: 'asc' | 'desc', limit: number): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await call(
        t,
        firm.accountant,
        'GET',
        `/postings?view=all&q=${encodeURIComponent(q)}&sort=${order}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json<{ items: { id: string }[]; nextCursor: string | null }>();
      ids.push(...body.items.map((i) => i.id));
      cursor = body.nextCursor;
    } while (cursor);
    return ids;
  }

  it('gives the same records in the same order, page by page, as the search always did', async () => {
    for (const q of ['0042', '$42.00', 'holdings', 'baker trust', 'C000042 / M', 'nothing like it']) {
      for (const order of ['desc', 'asc'] as const) {
        const want = await expected(firm.id, q, order);
        for (const limit of [1, 7, 50]) expect(await paged(q, order, limit), `${q} ${order} ${limit}`).toEqual(want);
      }
    }
    // The cases above are not empty: "0042" finds its invoice, client, last 4 and amount matches.
    expect((await expected(firm.id, '0042', 'desc')).length).toBeGreaterThan(10);
    expect((await expected(firm.id, 'nothing like it', 'desc')).length).toBe(0);
  });

  it("keeps every search row's date equal to its record's", async () => {
    const off = await sql<{ n: number }>`select count(*)::int as n from posting_records r
      left join posting_record_search s on s.firm_id = r.firm_id and s.record_id = r.id
      where s.processed_at is distinct from r.processed_at`.execute(t.conn.db);
    expect(off.rows[0]!.n).toBe(0);
    const rows = await sql<{
      n: number;
    }>`select count(*)::int as n from posting_record_search where firm_id = ${firm.id}`.execute(t.conn.db);
    expect(rows.rows[0]!.n).toBe(40);
  });
});
