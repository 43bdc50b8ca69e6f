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
    invoices: await t.conn.db.selectFrom('invoices').selectAll().where('firm_id', '=', firm.id).orderBy('invoice_number').execute(),
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
        { invoiceNumber: 'INV-900', clientNumber: 'C1', matterNumber: 'M1', invoiceDate: '2026-04-01', totalCents: 100, balanceCents: 100, status: 'open' },
        { invoiceNumber: 'INV-901', clientNumber: 'C1', matterNumber: 'M1', invoiceDate: '2026-04-01', totalCents: 100, balanceCents: 200, status: 'open' },
      ],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('invoices.1.balanceCents');
    expect(await counts()).toEqual(before);

    const unknownMatter = await call(t, firm.agent, 'POST', '/agent/sync', {
      invoices: [{ invoiceNumber: 'INV-902', clientNumber: 'C1', matterNumber: 'M404', invoiceDate: '2026-04-01', totalCents: 1, balanceCents: 1, status: 'open' }],
    });
    expect(unknownMatter.statusCode).toBe(400);
    expect(unknownMatter.json().error.message).toContain('invoices.0.matterNumber');

    const badDate = await call(t, firm.agent, 'POST', '/agent/sync', {
      invoices: [{ invoiceNumber: 'INV-903', clientNumber: 'C1', matterNumber: 'M1', invoiceDate: '2026-02-30', totalCents: 1, balanceCents: 1, status: 'open' }],
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
        { invoiceNumber: 'INV-777', clientNumber: 'C1', matterNumber: 'M1', invoiceDate: '2026-05-01', totalCents: 5000, balanceCents: 5000, status: 'open' },
        { invoiceNumber: 'INV-105', clientNumber: 'C2', matterNumber: 'M1', invoiceDate: '2026-01-12', totalCents: 100000, balanceCents: 100000, status: 'open' },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().reclassifiedToPending).toBe(2);
    const record = (await call(t, firm.viewer, 'GET', `/postings/${rec.postingRecord.id}`)).json();
    expect(record).toMatchObject({ status: 'pending', reasons: [] });
    expect(record.history.at(-1)).toMatchObject({ action: 'reclassified', from: 'incomplete', to: 'pending', actor: 'agent', detail: { cause: 'sync' } });
  });

  it('a full sync closes open invoices it no longer lists', async () => {
    const res = await call(t, firm.agent, 'POST', '/agent/sync', {
      invoices: [{ invoiceNumber: 'INV-100', clientNumber: 'C1', matterNumber: 'M1', invoiceDate: '2026-01-05', totalCents: 100000, balanceCents: 100000, status: 'open' }],
      full: true,
    });
    expect(res.statusCode, res.body).toBe(200);
    const open = await t.conn.db.selectFrom('invoices').select('invoice_number').where('firm_id', '=', firm.id).where('status', '=', 'open').execute();
    expect(open.map((r) => r.invoice_number)).toEqual(['INV-100']);
    expect(res.json().closed).toBeGreaterThan(0);
  });

  it('is for the agent token only', async () => {
    expect((await call(t, firm.admin, 'POST', '/agent/sync', { clients: [] })).statusCode).toBe(403);
  });
});
