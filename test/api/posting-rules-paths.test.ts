import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';
import { acknowledgeInOrder, takePayment } from '../support/fixtures.ts';

/**
 * The posting-rule bugs a new-user trial found on the paths between features (issue 10),
 * each through the API as the screens and the agent use it. Each would fail on the code
 * before one classification served every path.
 */

interface Invoice {
  invoiceNumber: string;
  clientNumber: string;
  matterNumber: string;
  invoiceDate: string;
  totalCents: number;
  balanceCents: number;
  status: 'open' | 'paid' | 'void';
}

const REDWOOD = { clientNumber: '1006', matterNumber: '001' };
const NORTHWIND = { clientNumber: '1001', matterNumber: '001' };
const invoice = (
  invoiceNumber: string,
  owner: { clientNumber: string; matterNumber: string },
  balanceCents: number,
  status: Invoice['status'] = 'open',
): Invoice => ({
  invoiceNumber,
  ...owner,
  invoiceDate: '2026-10-01',
  totalCents: Math.max(balanceCents, 500_000),
  balanceCents,
  status,
});

describe('posting rules hold on every path (issue 10)', () => {
  let t: TestApp;
  let firm: TestFirm;

  const sync = async (invoices: Invoice[], extra: Record<string, unknown> = {}) => {
    const res = await call(t, firm.agent, 'POST', '/agent/sync', {
      clients: [
        { clientNumber: '1001', name: 'Northwind' },
        { clientNumber: '1003', name: 'Bluebell' },
        { clientNumber: '1006', name: 'Redwood' },
      ],
      matters: [
        { ...NORTHWIND, description: '' },
        { clientNumber: '1003', matterNumber: '001', description: '' },
        { ...REDWOOD, description: '' },
      ],
      invoices,
      ...extra,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const record = async (id: string) => (await call(t, firm.accountant, 'GET', `/postings/${id}`)).json();
  const postAll = async () => (await call(t, firm.accountant, 'POST', '/postings/post', { all: true })).json().batch;
  const deliver = (batchId: string) => acknowledgeInOrder(t, firm, batchId);
  const fileOf = async (batchId: string) => (await call(t, firm.agent, 'GET', `/agent/batches/${batchId}/file`)).body;

  beforeAll(async () => {
    t = await startTestApp();
    firm = await createTestFirm(t, 'PATHS');
  });
  afterAll(async () => t.close());

  it('a sync after Post All keeps a client mismatch incomplete; saving it unchanged does too; only acceptance clears it', async () => {
    await sync([invoice('24-0163', REDWOOD, 500_000)]);
    const bluebell = await takePayment(t, firm, {
      payerName: 'Bluebell Dental Group',
      invoiceNumbers: ['24-0163'],
      clientNumber: '1003',
      amountCents: 50_000,
    });
    const redwood = await takePayment(t, firm, {
      payerName: 'Redwood Ridge HOA',
      invoiceNumbers: ['24-0163'],
      clientNumber: '1006',
      amountCents: 60_000,
    });
    expect(bluebell.postingRecord).toMatchObject({ status: 'incomplete', reasons: ['client_mismatch'] });

    const batch = await postAll();
    await deliver(batch.id);
    // The demo agent's sync after a Post All: the MMS shows Redwood's payment applied.
    await sync([invoice('24-0163', REDWOOD, 440_000)]);
    expect(await record(bluebell.postingRecord.id)).toMatchObject({
      status: 'incomplete',
      reasons: ['client_mismatch'],
    });
    expect(await record(redwood.postingRecord.id)).toMatchObject({ status: 'posted' });

    const current = await record(bluebell.postingRecord.id);
    const unchanged = await call(t, firm.accountant, 'PATCH', `/postings/${current.id}`, {
      version: current.version,
      allocations: current.allocations.map((a: { invoiceNumber: string; amountCents: number }) => ({
        invoiceNumber: a.invoiceNumber,
        amountCents: a.amountCents,
      })),
    });
    expect(unchanged.json()).toMatchObject({
      status: 'incomplete',
      reasons: ['client_mismatch'],
      clientMismatchAccepted: false,
    });
    expect(await postAll()).toBeNull();
    await sync([invoice('24-0163', REDWOOD, 440_000), invoice('24-0170', NORTHWIND, 1_000)]);
    expect(await record(bluebell.postingRecord.id)).toMatchObject({
      status: 'incomplete',
      reasons: ['client_mismatch'],
    });

    const again = await record(bluebell.postingRecord.id);
    const accepted = await call(t, firm.accountant, 'PATCH', `/postings/${again.id}`, {
      version: again.version,
      allocations: [{ invoiceNumber: '24-0163', amountCents: 50_000 }],
      acceptClientMismatch: true,
    });
    expect(accepted.json()).toMatchObject({ status: 'pending', reasons: [], clientMismatchAccepted: true });
    const history = (await record(again.id)).history;
    expect(history.at(-1)).toMatchObject({
      action: 'edited',
      from: 'incomplete',
      to: 'pending',
      detail: { clientMismatchAccepted: { before: false, after: true } },
    });
    // Accepted stays accepted through a sync.
    await sync([invoice('24-0163', REDWOOD, 430_000)]);
    expect(await record(again.id)).toMatchObject({ status: 'pending', clientMismatchAccepted: true });
    // Posted, its file line says a third party paid (SPEC §3.4), so the MMS's reader does not take the payer for the client.
    const posted = await call(t, firm.accountant, 'POST', '/postings/post', { ids: [again.id] });
    const line = (await fileOf(posted.json().batch.id)).split('\n').find((l) => l.startsWith(again.id));
    expect(line?.split(',').at(-1)).toBe('Third-party payment by Bluebell Dental Group');
  });

  it('a sync that brings an invoice paid by cheque moves a pending record on it to incomplete before Post All', async () => {
    await sync([invoice('24-0200', NORTHWIND, 129_000)]);
    const paid = await takePayment(t, firm, {
      invoiceNumbers: ['24-0200'],
      clientNumber: '1001',
      amountCents: 129_000,
    });
    expect(paid.postingRecord.status).toBe('pending');
    await sync([invoice('24-0200', NORTHWIND, 0, 'paid')]);
    const after = await record(paid.postingRecord.id);
    expect(after).toMatchObject({ status: 'incomplete', reasons: ['invoice_closed'] });
    expect(after.history.at(-1)).toMatchObject({
      action: 'reclassified',
      from: 'pending',
      to: 'incomplete',
      actor: 'agent',
      detail: { cause: 'sync' },
    });
    const batch = await postAll();
    if (batch !== null) expect(await fileOf(batch.id)).not.toContain(paid.postingRecord.id);
  });

  it('counts what is posted but not yet reflected by a sync: saving unchanged never over-applies an invoice', async () => {
    await sync([invoice('24-0117', NORTHWIND, 129_000)]);
    const first = await takePayment(t, firm, {
      invoiceNumbers: ['24-0117'],
      clientNumber: '1001',
      amountCents: 129_000,
    });
    const second = await takePayment(t, firm, {
      invoiceNumbers: ['24-0117'],
      clientNumber: '1001',
      amountCents: 29_000,
    });
    expect(first.postingRecord.status).toBe('pending');
    expect(second.postingRecord).toMatchObject({ status: 'incomplete', reasons: ['exceeds_balance'] });
    await deliver((await postAll()).id);
    // A sync read BEFORE the delivery carries the old balance: the posted line still counts.
    const before = new Date(Date.now() - 60_000).toISOString();
    await sync([invoice('24-0117', NORTHWIND, 129_000)], { readAfter: before });
    const current = await record(second.postingRecord.id);
    expect(current).toMatchObject({ status: 'incomplete', reasons: ['exceeds_balance'] });
    const saved = await call(t, firm.accountant, 'PATCH', `/postings/${current.id}`, {
      version: current.version,
      allocations: [{ invoiceNumber: '24-0117', amountCents: 29_000 }],
    });
    expect(saved.json()).toMatchObject({ status: 'incomplete', reasons: ['exceeds_balance'] });
    // Once a sync read after the delivery shows the MMS took it, the invoice is what it says.
    await sync([invoice('24-0117', NORTHWIND, 0, 'paid')], { readAfter: new Date().toISOString() });
    expect(await record(second.postingRecord.id)).toMatchObject({ status: 'incomplete', reasons: ['invoice_closed'] });
  });

  it('never puts trust money for a matter the MMS lacks in a batch; it becomes pending once a sync brings the matter', async () => {
    const trust = await takePayment(t, firm, {
      account: 'trust',
      payerName: 'Pembrook Holdings',
      invoiceNumbers: [],
      clientNumber: '9999',
      matterNumber: '001',
      amountCents: 500_000,
    });
    expect(trust.postingRecord).toMatchObject({ status: 'incomplete', reasons: ['unknown_matter'] });
    const batch = await postAll();
    if (batch !== null) expect(await fileOf(batch.id)).not.toContain('9999');
    const res = await call(t, firm.agent, 'POST', '/agent/sync', {
      clients: [{ clientNumber: '9999', name: 'Pembrook' }],
      matters: [{ clientNumber: '9999', matterNumber: '001', description: 'Retainer' }],
    });
    expect(res.statusCode).toBe(200);
    expect(await record(trust.postingRecord.id)).toMatchObject({ status: 'pending', reasons: [] });
  });

  it('a removed record frees the balance it took: the one waiting on it becomes pending', async () => {
    await sync([invoice('24-0300', NORTHWIND, 100_000)]);
    const a = await takePayment(t, firm, { invoiceNumbers: ['24-0300'], clientNumber: '1001', amountCents: 70_000 });
    const b = await takePayment(t, firm, { invoiceNumbers: ['24-0300'], clientNumber: '1001', amountCents: 60_000 });
    expect(b.postingRecord.reasons).toEqual(['exceeds_balance']);
    expect(
      (
        await call(t, firm.accountant, 'POST', '/postings/remove', {
          ids: [a.postingRecord.id],
          note: 'entered by hand',
        })
      ).statusCode,
    ).toBe(200);
    const waited = await record(b.postingRecord.id);
    expect(waited).toMatchObject({ status: 'pending', reasons: [] });
    expect(waited.history.at(-1)).toMatchObject({
      action: 'reclassified',
      from: 'incomplete',
      to: 'pending',
      detail: { cause: 'removal' },
    });
    // Moved back, the first now waits behind the second.
    expect(
      (await call(t, firm.accountant, 'POST', '/postings/move-to-pending', { ids: [a.postingRecord.id] })).json()
        .records[0],
    ).toMatchObject({ status: 'incomplete', reasons: ['exceeds_balance'] });
  });

  it('a payment taken in tells a waiting record on its invoice that the balance is now taken', async () => {
    await sync([invoice('24-0400', NORTHWIND, 100_000)]);
    const waiting = await takePayment(t, firm, {
      invoiceNumbers: ['24-0400'],
      clientNumber: '1003',
      amountCents: 80_000,
    });
    expect(waiting.postingRecord.reasons).toEqual(['client_mismatch']);
    const taken = await takePayment(t, firm, {
      invoiceNumbers: ['24-0400'],
      clientNumber: '1001',
      amountCents: 50_000,
    });
    expect(taken.postingRecord.status).toBe('pending');
    expect(await record(waiting.postingRecord.id)).toMatchObject({
      status: 'incomplete',
      reasons: ['exceeds_balance', 'client_mismatch'],
    });
  });
});
