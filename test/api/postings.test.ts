import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';
import { paymentBody, syncBasicMms, takePayment } from '../support/fixtures.ts';

describe('Manage Postings: intake, classification, views, actions', () => {
  let t: TestApp;
  let firm: TestFirm;
  beforeAll(async () => {
    t = await startTestApp();
    firm = await createTestFirm(t, 'POST');
    await syncBasicMms(t, firm);
  });
  afterAll(async () => t.close());

  it('classifies a clean single-invoice payment as pending with one allocation', async () => {
    const { postingRecord } = await takePayment(t, firm, {
      amountCents: 10300,
      surchargeCents: 300,
      invoiceNumbers: ['INV-101'],
    });
    expect(postingRecord.status).toBe('pending');
    expect(postingRecord.reasons).toEqual([]);
    expect(postingRecord.allocations).toEqual([
      { invoiceNumber: 'INV-101', clientNumber: 'C1', matterNumber: 'M1', amountCents: 10000 },
    ]);
  });

  it('is idempotent on processorId: the second intake answers the first record', async () => {
    const body = paymentBody({ invoiceNumbers: ['INV-101'] });
    const first = await call(t, firm.accountant, 'POST', '/payments', body);
    const second = await call(t, firm.accountant, 'POST', '/payments', body);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(200);
    expect(second.json().postingRecord.id).toBe(first.json().postingRecord.id);
    const count = await t.conn.db
      .selectFrom('payments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('processor_id', '=', body.processorId)
      .executeTakeFirstOrThrow();
    expect(count.n).toBe(1);
  });

  it('gives every conflict reason of SPEC §3.3', async () => {
    const cases: [Record<string, unknown>, string[]][] = [
      [{ invoiceNumbers: [] }, ['no_invoice_number']],
      [{ invoiceNumbers: ['NOPE-1'] }, ['invalid_invoice_number']],
      [{ invoiceNumbers: ['INV-100', 'INV-101'] }, ['multiple_invoice_numbers']],
      [{ invoiceNumbers: ['INV-105'], clientNumber: 'C2' }, ['invoice_closed']],
      [{ invoiceNumbers: ['INV-102'], amountCents: 100001 }, ['exceeds_balance']],
      [{ invoiceNumbers: ['INV-103'], clientNumber: 'C1' }, ['client_mismatch']],
    ];
    for (const [overrides, reasons] of cases) {
      const { postingRecord } = await takePayment(t, firm, overrides);
      expect(postingRecord.status, JSON.stringify(overrides)).toBe('incomplete');
      expect(postingRecord.reasons, JSON.stringify(overrides)).toEqual(reasons);
    }
  });

  it('counts what pending and queued records already apply to an invoice', async () => {
    const a = await takePayment(t, firm, { invoiceNumbers: ['INV-104'], clientNumber: 'C2', amountCents: 60000 });
    const b = await takePayment(t, firm, { invoiceNumbers: ['INV-104'], clientNumber: 'C2', amountCents: 50000 });
    expect(a.postingRecord.status).toBe('pending');
    expect(b.postingRecord.status).toBe('incomplete');
    expect(b.postingRecord.reasons).toEqual(['exceeds_balance']);
  });

  it('makes no posting record for enter_payment, payment_schedule or quick_link payments', async () => {
    for (const origin of ['enter_payment', 'payment_schedule', 'quick_link']) {
      const res = await call(t, firm.accountant, 'POST', '/payments', paymentBody({ origin }));
      expect(res.statusCode).toBe(201);
      expect(res.json().postingRecord).toBeNull();
      expect(res.json().payment.origin).toBe(origin);
    }
  });

  it('lists views with keyset paging and matching counts', async () => {
    const counts = (await call(t, firm.viewer, 'GET', '/postings/counts')).json();
    expect(counts.pending_incomplete).toBe(counts.pending + counts.incomplete);
    expect(counts.all).toBe(counts.pending + counts.incomplete + counts.queued + counts.posted + counts.removed);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/postings?view=pending_incomplete&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await call(t, firm.viewer, 'GET', query)).json();
      for (const item of page.items) {
        expect(['pending', 'incomplete']).toContain(item.status);
        seen.push(item.id);
      }
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(counts.pending_incomplete);
  });

  it('filters by text, amount, account, origin and dates', async () => {
    await takePayment(t, firm, {
      payerName: 'Zebulon Quayle',
      invoiceNumbers: ['INV-102'],
      amountCents: 777,
      processedAt: '2025-06-15T10:00:00Z',
    });
    const byText = (await call(t, firm.viewer, 'GET', '/postings?view=all&q=zebulon')).json();
    expect(byText.items.map((i: { payerName: string }) => i.payerName)).toEqual(['Zebulon Quayle']);
    const byAmount = (await call(t, firm.viewer, 'GET', '/postings?view=all&minCents=777&maxCents=777')).json();
    expect(byAmount.items).toHaveLength(1);
    const byDate = (await call(t, firm.viewer, 'GET', '/postings?view=all&from=2025-06-15&to=2025-06-15')).json();
    expect(byDate.items).toHaveLength(1);
    const trust = (await call(t, firm.viewer, 'GET', '/postings?view=all&account=trust')).json();
    expect(trust.items).toHaveLength(0);
    const wildcard = (await call(t, firm.viewer, 'GET', '/postings?view=all&q=%25')).json();
    expect(wildcard.items).toHaveLength(0);
    const filteredCounts = (await call(t, firm.viewer, 'GET', '/postings/counts?q=zebulon')).json();
    expect(filteredCounts.all).toBe(1);
  });

  it('counts give the total of the pending records, what Post All would post, under the same filters', async () => {
    const all: { status: string; amountCents: number }[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { status: string; amountCents: number }[]; nextCursor: string | null } = (
        await call(t, firm.viewer, 'GET', `/postings?view=pending&limit=500${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    const counts = (await call(t, firm.viewer, 'GET', '/postings/counts')).json();
    expect(all.length).toBe(counts.pending);
    expect(counts.pendingTotalCents).toBe(all.reduce((sum, r) => sum + r.amountCents, 0));
    expect(counts.pendingTotalCents).toBeGreaterThan(0);
    const none = (await call(t, firm.viewer, 'GET', '/postings/counts?q=no-such-payer-anywhere')).json();
    expect(none).toMatchObject({ pending: 0, pendingTotalCents: 0 });
    const zebulon = (await call(t, firm.viewer, 'GET', '/postings/counts?q=zebulon')).json();
    expect(zebulon.pendingTotalCents).toBe(777);
  });

  it('refuses a malformed cursor and a reversed date range with 400 naming the field', async () => {
    const bad = await call(t, firm.viewer, 'GET', '/postings?cursor=garbage');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.field).toBe('cursor');
    const range = await call(t, firm.viewer, 'GET', '/postings?from=2026-02-01&to=2026-01-01');
    expect(range.statusCode).toBe(400);
    const view = await call(t, firm.viewer, 'GET', '/postings?view=everything');
    expect(view.statusCode).toBe(400);
    expect(view.json().error.message).toMatch(/view/);
  });
});
