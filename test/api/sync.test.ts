import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';
import { syncBasicMms, takePayment } from '../support/fixtures.ts';

describe('sync from the MMS', () => {
  let t: TestApp;
  let firm: TestFirm;
  beforeAll(async () => {
    t = await startTestApp();
    firm = await createTestFirm(t, 'SYN');
    await syncBasicMms(t, firm);
  });
  afterAll(async () => t.close());

  const counts = async () => ({
    clients: (await t.conn.db.selectFrom('clients').selectAll().where('firm_id', '=', firm.id).execute()).length,
    invoices: await t.conn.db
      .selectFrom('invoices')
      .selectAll()
      .where('firm_id', '=', firm.id)
      .orderBy('invoice_number')
      .execute(),
  });

  it('is harmless when repeated: nothing is counted as changed', async () => {
    const again = await syncBasicMms(t, firm);
    expect(again).toMatchObject({ clients: 0, matters: 0, invoices: 0, closed: 0 });
  });

  it('rejects the whole batch when one row is bad, naming its row and field, and writes nothing', async () => {
    const before = await counts();
    const res = await call(t, firm.agent, 'POST', '/agent/sync', {
      clients: [{ clientNumber: 'C9', name: 'New Client' }],
      invoices: [
        {
          invoiceNumber: 'INV-900',
          clientNumber: 'C1',
          matterNumber: 'M1',
          invoiceDate: '2026-04-01',
          totalCents: 100,
          balanceCents: 100,
          status: 'open',
        },
        {
          invoiceNumber: 'INV-901',
          clientNumber: 'C1',
          matterNumber: 'M1',
          invoiceDate: '2026-04-01',
          totalCents: 100,
          balanceCents: 200,
          status: 'open',
        },
      ],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('invoices.1.balanceCents');
    expect(await counts()).toEqual(before);

    const unknownMatter = await call(t, firm.agent, 'POST', '/agent/sync', {
      invoices: [
        {
          invoiceNumber: 'INV-902',
          clientNumber: 'C1',
          matterNumber: 'M404',
          invoiceDate: '2026-04-01',
          totalCents: 1,
          balanceCents: 1,
          status: 'open',
        },
      ],
    });
    expect(unknownMatter.statusCode).toBe(400);
    expect(unknownMatter.json().error.message).toContain('invoices.0.matterNumber');

    const badDate = await call(t, firm.agent, 'POST', '/agent/sync', {
      invoices: [
        {
          invoiceNumber: 'INV-903',
          clientNumber: 'C1',
          matterNumber: 'M1',
          invoiceDate: '2026-02-30',
          totalCents: 1,
          balanceCents: 1,
          status: 'open',
        },
      ],
    });
    expect(badDate.statusCode).toBe(400);
    expect(badDate.json().error.message).toContain('invoices.0.invoiceDate');
    expect(await counts()).toEqual(before);
  });

  it('moves an incomplete record to pending when a later sync brings its invoice', async () => {
    const rec = await takePayment(t, firm, { invoiceNumbers: ['INV-777'], amountCents: 5000 });
    expect(rec.postingRecord.reasons).toEqual(['invalid_invoice_number']);
    const closed = await takePayment(t, firm, { invoiceNumbers: ['INV-105'], clientNumber: 'C2', amountCents: 5000 });
    expect(closed.postingRecord.reasons).toEqual(['invoice_closed']);
    const res = await call(t, firm.agent, 'POST', '/agent/sync', {
      invoices: [
        {
          invoiceNumber: 'INV-777',
          clientNumber: 'C1',
          matterNumber: 'M1',
          invoiceDate: '2026-05-01',
          totalCents: 5000,
          balanceCents: 5000,
          status: 'open',
        },
        {
          invoiceNumber: 'INV-105',
          clientNumber: 'C2',
          matterNumber: 'M1',
          invoiceDate: '2026-01-12',
          totalCents: 100000,
          balanceCents: 100000,
          status: 'open',
        },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().reclassifiedToPending).toBe(2);
    const record = (await call(t, firm.viewer, 'GET', `/postings/${rec.postingRecord.id}`)).json();
    expect(record).toMatchObject({ status: 'pending', reasons: [] });
    expect(record.history.at(-1)).toMatchObject({
      action: 'reclassified',
      from: 'incomplete',
      to: 'pending',
      actor: 'agent',
      detail: { cause: 'sync' },
    });
  });

  it('a full sync closes open invoices it no longer lists', async () => {
    const res = await call(t, firm.agent, 'POST', '/agent/sync', {
      invoices: [
        {
          invoiceNumber: 'INV-100',
          clientNumber: 'C1',
          matterNumber: 'M1',
          invoiceDate: '2026-01-05',
          totalCents: 100000,
          balanceCents: 100000,
          status: 'open',
        },
      ],
      full: true,
    });
    expect(res.statusCode, res.body).toBe(200);
    const open = await t.conn.db
      .selectFrom('invoices')
      .select('invoice_number')
      .where('firm_id', '=', firm.id)
      .where('status', '=', 'open')
      .execute();
    expect(open.map((r) => r.invoice_number)).toEqual(['INV-100']);
    expect(res.json().closed).toBeGreaterThan(0);
  });

  it('a full sync sent in pages voids only what no page lists: the last page names the open invoices of the earlier ones', async () => {
    const invoice = (invoiceNumber: string, status: 'open' | 'paid' = 'open') => ({
      invoiceNumber,
      clientNumber: 'C1',
      matterNumber: 'M1',
      invoiceDate: '2026-06-01',
      totalCents: 100,
      balanceCents: status === 'open' ? 100 : 0,
      status,
    });
    const setup = await call(t, firm.agent, 'POST', '/agent/sync', {
      invoices: ['PG-1', 'PG-2', 'PG-3', 'PG-4'].map((n) => invoice(n)),
      full: false,
    });
    expect(setup.statusCode, setup.body).toBe(200);
    // The MMS now lists PG-1 (open) and PG-2 (paid) on the first page, PG-3 on the last; PG-4 is gone.
    const first = await call(t, firm.agent, 'POST', '/agent/sync', {
      invoices: [invoice('PG-1'), invoice('PG-2', 'paid')],
      full: false,
    });
    expect(first.json().closed).toBe(0);
    const last = await call(t, firm.agent, 'POST', '/agent/sync', {
      invoices: [invoice('PG-3')],
      full: true,
      earlierInvoiceNumbers: ['PG-1'],
    });
    expect(last.statusCode, last.body).toBe(200);
    const statuses = await t.conn.db
      .selectFrom('invoices')
      .select(['invoice_number', 'status'])
      .where('firm_id', '=', firm.id)
      .where('invoice_number', 'like', 'PG-%')
      .orderBy('invoice_number')
      .execute();
    expect(statuses).toEqual([
      { invoice_number: 'PG-1', status: 'open' },
      { invoice_number: 'PG-2', status: 'paid' },
      { invoice_number: 'PG-3', status: 'open' },
      { invoice_number: 'PG-4', status: 'void' },
    ]);
  });

  it('refuses earlierInvoiceNumbers on a sync that is not full, naming the field, and writes nothing', async () => {
    const res = await call(t, firm.agent, 'POST', '/agent/sync', {
      invoices: [
        {
          invoiceNumber: 'PG-9',
          clientNumber: 'C1',
          matterNumber: 'M1',
          invoiceDate: '2026-06-01',
          totalCents: 1,
          balanceCents: 1,
          status: 'open',
        },
      ],
      earlierInvoiceNumbers: ['PG-1'],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('earlierInvoiceNumbers: is only for the last page of a full sync');
    expect(
      await t.conn.db
        .selectFrom('invoices')
        .select('invoice_number')
        .where('firm_id', '=', firm.id)
        .where('invoice_number', '=', 'PG-9')
        .executeTakeFirst(),
    ).toBeUndefined();
  });

  it('is for the agent token only', async () => {
    expect((await call(t, firm.admin, 'POST', '/agent/sync', { clients: [] })).statusCode).toBe(403);
  });
});
