import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordFilter } from '../../src/db/postings.ts';
import { likePattern, searchKeyPatterns } from '../../src/domain/paging.ts';
import { call, createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';
import { paymentBody, syncBasicMms, takePayment } from '../support/fixtures.ts';

/** Issue 16: both lists sort by date, amount, payer and status on the server, page by keyset, and search amounts, last 4 digits and "client / matter". */

interface Row {
  id: string;
  processedAt: string;
  amountCents: number;
  payerName: string;
  status: string;
}

const SORTS = ['date', '-date', 'amount', '-amount', 'payer', '-payer', 'status', '-status'] as const;

/** The order the server promises: the key, then date, then id, all one way; the payer lower-cased, byte by byte. */
function expectedOrder(rows: Row[], sort: (typeof SORTS)[number]): string[] {
  const desc = sort.startsWith('-');
  const key = sort.replace('-', '');
  const value = (r: Row): string | number =>
    key === 'amount' ? r.amountCents : key === 'payer' ? r.payerName.toLowerCase() : key === 'status' ? r.status : '';
  const compare = (a: Row, b: Row) => {
    const [x, y] = [value(a), value(b)];
    if (x !== y) return x < y ? -1 : 1;
    if (a.processedAt !== b.processedAt) return a.processedAt < b.processedAt ? -1 : 1;
    return a.id < b.id ? -1 : 1;
  };
  return [...rows].sort((a, b) => (desc ? compare(b, a) : compare(a, b))).map((r) => r.id);
}

describe('list sorting, keyset paging and search (issue 16)', () => {
  let t: TestApp;
  let firm: TestFirm;

  /** Every page of a list, two rows at a time. */
  async function allPages(path: string): Promise<Row[]> {
    const rows: Row[] = [];
    let cursor: string | null = null;
    do {
      const res = await call(t, firm.viewer, 'GET', `${path}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      const page: { items: Row[]; nextCursor: string | null } = res.json();
      rows.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return rows;
  }

  const ids = async (path: string) =>
    ((await call(t, firm.viewer, 'GET', path)).json().items as Row[]).map((r) => r.id).sort();

  beforeAll(async () => {
    t = await startTestApp();
    firm = await createTestFirm(t, 'SORT');
    await syncBasicMms(t, firm);
    // Ties on amount and payer, mixed case, one trust receipt, one incomplete, one removed, one queued.
    const at = (minute: number) => new Date(Date.UTC(2026, 2, 1, 9, minute)).toISOString();
    await takePayment(t, firm, { payerName: 'bob Abbot', amountCents: 5000, processedAt: at(1) });
    await takePayment(t, firm, { payerName: 'Carla Diaz', amountCents: 125000, processedAt: at(2), last4: '9876' });
    await takePayment(t, firm, { payerName: 'Bob Baker', amountCents: 5000, processedAt: at(3) });
    await takePayment(t, firm, { payerName: 'alice Ames', amountCents: 7000, processedAt: at(4), invoiceNumbers: [] });
    await takePayment(t, firm, {
      payerName: 'Castle Trust',
      account: 'trust',
      amountCents: 9000,
      invoiceNumbers: [],
      clientNumber: 'C3',
      matterNumber: 'M9',
      processedAt: at(5),
    });
    const removed = await takePayment(t, firm, { payerName: 'Bob Baker', amountCents: 3000, processedAt: at(6) });
    await call(t, firm.accountant, 'POST', '/postings/remove', { ids: [removed.postingRecord.id] });
    const queued = await takePayment(t, firm, { payerName: 'Dana Ellis', amountCents: 5000, processedAt: at(7) });
    await call(t, firm.accountant, 'POST', '/postings/post', { ids: [queued.postingRecord.id] });
    await call(t, firm.accountant, 'POST', '/payments', paymentBody({ origin: 'quick_link', payerName: 'Eve Quick' }));
  });
  afterAll(async () => t.close());

  it('pages every order of Manage Postings and the Payment Manager by keyset, in the order promised', async () => {
    for (const list of ['/postings?view=all', '/payments?origin=connect', '/payments?q=']) {
      const everything: Row[] = (await call(t, firm.viewer, 'GET', `${list}&limit=500`)).json().items;
      expect(everything.length).toBeGreaterThanOrEqual(7);
      for (const sort of SORTS) {
        const paged = await allPages(`${list}&sort=${sort}`);
        expect(
          paged.map((r) => r.id),
          `${list} sort=${sort}`,
        ).toEqual(expectedOrder(everything, sort));
      }
    }
  });

  it('sorts a view of two statuses and keeps the first release’s asc and desc as the date orders', async () => {
    const open: Row[] = (await call(t, firm.viewer, 'GET', '/postings?view=pending_incomplete&limit=500')).json().items;
    expect(new Set(open.map((r) => r.status))).toEqual(new Set(['pending', 'incomplete']));
    expect((await allPages('/postings?view=pending_incomplete&sort=-amount')).map((r) => r.id)).toEqual(
      expectedOrder(open, '-amount'),
    );
    expect((await allPages('/postings?view=all&sort=asc')).map((r) => r.id)).toEqual(
      (await allPages('/postings?view=all&sort=date')).map((r) => r.id),
    );
    expect(open.map((r) => r.id)).toEqual(expectedOrder(open, '-date'));
  });

  it('refuses an unknown order, and a cursor of one order in another, naming the field', async () => {
    const bad = await call(t, firm.viewer, 'GET', '/postings?sort=fee');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/sort/);
    for (const list of ['/postings?view=all', '/payments?status=approved']) {
      const first = (await call(t, firm.viewer, 'GET', `${list}&sort=amount&limit=1`)).json();
      expect(first.nextCursor).toBeTruthy();
      for (const other of ['payer', 'date', 'desc']) {
        const res = await call(t, firm.viewer, 'GET', `${list}&sort=${other}&cursor=${first.nextCursor}`);
        expect(res.statusCode, `${list} ${other}`).toBe(400);
        expect(res.json().error.details.field).toBe('cursor');
      }
    }
  });

  it('finds an amount as the table shows it, the last 4 digits, and "client / matter", in both lists', async () => {
    const carla = await ids('/payments?q=carla');
    expect(carla).toHaveLength(1);
    for (const q of ['1,250.00', '1250', '$1,250', '1250.00', '9876']) {
      expect(await ids(`/payments?q=${encodeURIComponent(q)}`), q).toEqual(carla);
      const records = (await call(t, firm.viewer, 'GET', `/postings?view=all&q=${encodeURIComponent(q)}`)).json();
      expect(
        records.items.map((r: Row) => r.payerName),
        q,
      ).toEqual(['Carla Diaz']);
      const counts = (await call(t, firm.viewer, 'GET', `/postings/counts?q=${encodeURIComponent(q)}`)).json();
      expect(counts.all, q).toBe(1);
    }
    for (const q of ['C3 / M9', 'c3/m9', 'C3 / M']) {
      const records = (await call(t, firm.viewer, 'GET', `/postings?view=all&q=${encodeURIComponent(q)}`)).json();
      expect(
        records.items.map((r: Row) => r.payerName),
        q,
      ).toEqual(['Castle Trust']);
      const payments = (await call(t, firm.viewer, 'GET', `/payments?q=${encodeURIComponent(q)}`)).json();
      expect(
        payments.items.map((r: Row) => r.payerName),
        q,
      ).toEqual(['Castle Trust']);
    }
    expect(await ids('/payments?q=C3%20%2F%20M1')).toEqual([]);
    // Five thousand dollars is nobody's amount; 50.00 is three payments' (Bob, Bob, Dana).
    expect(await ids('/payments?q=5000')).toEqual([]);
    expect(await ids('/payments?q=50.00')).toHaveLength(3);
  });

  it('finds those forms through the indexed search text alone, which the trigram index answers', async () => {
    for (const q of ['1,250.00', '$1,250', '1250', '9876', 'C3 / M9']) {
      const query = t.conn.db
        .selectFrom('posting_records as r')
        .select('r.id')
        .where('r.firm_id', '=', firm.id)
        .where(recordFilter(firm.id, { q }, {}));
      const text = query.compile().sql;
      // One lookup in the search text: no read of the firm's payments, lines or amounts.
      expect(text, q).toContain('posting_record_search');
      expect(text, q).not.toMatch(/\b(payments|allocations)\b|amount_cents|last4/);
      expect((await query.execute()).length, q).toBe(1);
      // Every pattern of the lookup can be answered by the trigram index: with sequential scans off
      // and no firm to narrow by (this test's few rows would make the primary key cheaper), the
      // planner reads the patterns through it.
      const patterns = [likePattern(q), ...searchKeyPatterns(q)];
      const plan = await t.conn.db.transaction().execute(async (tx) => {
        await sql`set local enable_seqscan = off`.execute(tx);
        const like = sql.join(
          patterns.map((p) => sql`search_text like ${p}`),
          sql` or `,
        );
        return sql<Record<string, string>>`explain select record_id from posting_record_search where ${like}`.execute(
          tx,
        );
      });
      // The table is partitioned by firm (migration 0031): each partition's copy of the index.
      const planText = plan.rows.map((r) => Object.values(r).join(' ')).join('\n');
      expect(planText, q).toMatch(/Bitmap Index Scan on posting_record_search_\w*search_text_idx/);
      expect(planText, q).not.toContain('Seq Scan');
    }
    // Words never match a key: "1250" is not $12.50's amount, nor the last 4 of a card ending 0125.
    await takePayment(t, firm, { payerName: 'Key Check', amountCents: 1250, last4: '0125' });
    const found = (await call(t, firm.viewer, 'GET', '/postings?view=all&q=1250')).json();
    expect(found.items.map((r: Row) => r.payerName)).toEqual(['Carla Diaz']);
    const small = (await call(t, firm.viewer, 'GET', '/postings?view=all&q=12.50')).json();
    expect(small.items.map((r: Row) => r.payerName)).toEqual(['Key Check']);
  });

  it('refuses a reversed amount or date range with 400 naming the field', async () => {
    for (const path of ['/postings', '/postings/counts', '/payments']) {
      const amounts = await call(t, firm.viewer, 'GET', `${path}?minCents=500&maxCents=100`);
      expect(amounts.statusCode, path).toBe(400);
      expect(amounts.json().error.details.field).toBe('minCents');
      const days = await call(t, firm.viewer, 'GET', `${path}?from=2026-02-01&to=2026-01-01`);
      expect(days.statusCode, path).toBe(400);
      expect(days.json().error.details.field).toBe('from');
    }
  });

  it('counts what Post All posts per account, filtered or not', async () => {
    const pending: { amountCents: number; account: string }[] = (
      await call(t, firm.viewer, 'GET', '/postings?view=pending&limit=500')
    ).json().items;
    const share = (account: string) => {
      const of = pending.filter((r) => r.account === account);
      return { count: of.length, totalCents: of.reduce((sum, r) => sum + r.amountCents, 0) };
    };
    expect(share('trust').count).toBe(1);
    const expected = { operating: share('operating'), trust: share('trust') };
    // Unfiltered from the tallies; with a date filter by counting the records: the same answer.
    expect((await call(t, firm.viewer, 'GET', '/postings/counts')).json().pendingByAccount).toEqual(expected);
    expect((await call(t, firm.viewer, 'GET', '/postings/counts?from=2026-01-01')).json().pendingByAccount).toEqual(
      expected,
    );
  });

  it('reads "#" alone as no search, and finds words typed with or without "#"', async () => {
    for (const [list, all] of [
      ['/postings?view=all&limit=500', '/postings?view=all&limit=500'],
      ['/payments?limit=500', '/payments?limit=500'],
    ] as const) {
      const everything = await ids(all);
      for (const q of ['#', '##', ' # # ']) {
        // Every row, as with an empty box (the keys' "#" is in every row's search text: it is not looked for).
        expect(await ids(`${list}&q=${encodeURIComponent(q)}`), `${list} ${q}`).toEqual(everything);
      }
    }
    const counts = (await call(t, firm.viewer, 'GET', `/postings/counts?q=${encodeURIComponent('#')}`)).json();
    expect(counts).toEqual((await call(t, firm.viewer, 'GET', '/postings/counts')).json());
    const unit = await takePayment(t, firm, { payerName: 'Unit #4 Holdings', amountCents: 4100 });
    for (const q of ['unit #4', 'Unit 4', '#4 hold']) {
      expect(await ids(`/payments?q=${encodeURIComponent(q)}`), q).toEqual([unit.payment.id]);
      expect(await ids(`/postings?view=all&q=${encodeURIComponent(q)}`), q).toEqual([unit.postingRecord.id]);
    }
    // Other punctuation is looked for as typed: nobody's words hold "%".
    expect(await ids(`/payments?q=${encodeURIComponent('%')}`)).toEqual([]);
    // "#" before an amount's digits is nothing: "#41.00" is $41.00.
    expect(await ids(`/payments?q=${encodeURIComponent('#41.00')}`)).toEqual([unit.payment.id]);
  });
});
