import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';
import { syncBasicMms, takePayment } from '../support/fixtures.ts';
import { cardToken, deliverEvents, postEvent, webhookSecret } from '../support/processor.ts';

interface Line {
  invoiceNumber: string | null;
  amountCents: number;
}

/** SPEC §3.5: partial refunds, the rest refunded once, voids only until settlement, reversals labelled and linked. */
describe('refunds', () => {
  let t: TestApp;
  let firm: TestFirm;

  beforeAll(async () => {
    t = await startTestApp({ payRequestsPerMinute: 100_000 });
    firm = await createTestFirm(t, 'REFND');
    await syncBasicMms(t, firm);
  });
  afterAll(async () => t.close());

  const reverse = (paymentId: string, body: object) =>
    call(t, firm.accountant, 'POST', `/payments/${paymentId}/reverse`, body);
  const record = async (id: string) => (await call(t, firm.viewer, 'GET', `/postings/${id}`)).json();
  const lines = (r: { allocations: Line[] }) => r.allocations.map((a) => [a.invoiceNumber, a.amountCents]);
  /** Posts the records and acknowledges their batch as the agent does: they are posted. */
  async function postAndDeliver(ids: string[]) {
    const post = await call(t, firm.accountant, 'POST', '/postings/post', { ids });
    expect(post.statusCode, post.body).toBe(200);
    const batch = post.json().batch;
    const listed = (await call(t, firm.agent, 'GET', '/agent/batches')).json().items;
    const sha256 = listed.find((b: { id: string }) => b.id === batch.id).sha256;
    expect((await call(t, firm.agent, 'POST', `/agent/batches/${batch.id}/ack`, { sha256 })).statusCode).toBe(200);
    return batch as { id: string };
  }
  // A payment split by the payer over two invoices: 6,000 on INV-100, 4,000 on INV-101.
  const split = (extra: object = {}) =>
    takePayment(t, firm, {
      amountCents: 10_300,
      surchargeCents: 300,
      invoiceNumbers: ['INV-100', 'INV-101'],
      allocations: [
        { invoiceNumber: 'INV-100', amountCents: 6_000 },
        { invoiceNumber: 'INV-101', amountCents: 4_000 },
      ],
      ...extra,
    });

  it('lowers a record not yet queued from its last line back, and classifies it again', async () => {
    const taken = await split();
    expect(taken.postingRecord.status).toBe('pending');
    const res = await reverse(taken.payment.id, { kind: 'refund', amountCents: 5_000 });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      processorAction: 'none',
      reversal: null,
      payment: { status: 'approved', refundedCents: 5_000, amountCents: 10_300 },
    });
    const lowered = await record(taken.postingRecord.id);
    expect(lowered).toMatchObject({ status: 'pending', amountCents: 5_000, surchargeCents: 300 });
    expect(lines(lowered)).toEqual([['INV-100', 5_000]]);
    expect(lowered.history.map((h: { action: string }) => h.action)).toContain('refunded_in_part');
    // The rest (with the surcharge) is a full refund: the record goes, and nothing is left to refund.
    const rest = await reverse(taken.payment.id, { kind: 'refund' });
    expect(rest.json().payment).toMatchObject({ status: 'refunded', refundedCents: 10_300 });
    expect(await record(taken.postingRecord.id)).toMatchObject({ status: 'removed', reasons: ['payment_reversed'] });
  });

  it('makes labelled negative records for a posted payment, from its last line back, and reverses only the rest at the end', async () => {
    const paid = await split({
      invoiceNumbers: ['INV-102', 'INV-101'],
      allocations: [
        { invoiceNumber: 'INV-102', amountCents: 6_000 },
        { invoiceNumber: 'INV-101', amountCents: 4_000 },
      ],
    });
    await postAndDeliver([paid.postingRecord.id]);
    expect(await record(paid.postingRecord.id)).toMatchObject({ status: 'posted' });

    const first = await reverse(paid.payment.id, { kind: 'refund', amountCents: 3_000 });
    expect(first.statusCode, first.body).toBe(200);
    const r1 = first.json().reversal;
    expect(r1).toMatchObject({
      status: 'pending',
      amountCents: -3_000,
      surchargeCents: 0,
      reversalOf: paid.postingRecord.id,
      reversalKind: 'refund',
      memo: '',
    });
    expect(lines(r1)).toEqual([['INV-101', -3_000]]);
    const second = (await reverse(paid.payment.id, { kind: 'refund', amountCents: 2_000 })).json().reversal;
    expect(lines(second)).toEqual([
      ['INV-102', -1_000],
      ['INV-101', -1_000],
    ]);
    const rest = await reverse(paid.payment.id, { kind: 'refund' });
    expect(rest.json().payment).toMatchObject({ status: 'refunded', refundedCents: 10_300 });
    const third = rest.json().reversal;
    expect(third).toMatchObject({ amountCents: -5_000, surchargeCents: -300, reversalKind: 'refund' });
    expect(lines(third)).toEqual([['INV-102', -5_000]]);

    // Linked both ways: the original lists its reversals, each names the original.
    const original = await record(paid.postingRecord.id);
    expect(original.status).toBe('posted');
    expect(original.reversals).toEqual([
      { id: r1.id, reversalKind: 'refund', amountCents: -3_000, status: 'pending' },
      { id: second.id, reversalKind: 'refund', amountCents: -2_000, status: 'pending' },
      { id: third.id, reversalKind: 'refund', amountCents: -5_000, status: 'pending' },
    ]);

    // A reversal's memo can be edited (its negative lines stay as they are, so none are sent);
    // posted, each line's file memo says what it is.
    const edit = await call(t, firm.accountant, 'PATCH', `/postings/${r1.id}`, {
      version: r1.version,
      memo: 'client overpaid',
    });
    expect(edit.statusCode, edit.body).toBe(200);
    expect(edit.json()).toMatchObject({ memo: 'client overpaid', status: 'pending' });
    const batch = await postAndDeliver([r1.id, second.id, third.id]);
    const file = (await call(t, firm.viewer, 'GET', `/batches/${batch.id}/file`)).body;
    const memos = file
      .trim()
      .split('\n')
      .slice(1, -1)
      .map((line) => line.split(',').at(-1));
    expect(memos).toEqual([
      `Refund of record ${paid.postingRecord.id}: client overpaid`,
      `Refund of record ${paid.postingRecord.id}`,
      `Refund of record ${paid.postingRecord.id}`,
      `Refund of record ${paid.postingRecord.id}`,
    ]);
    expect(file).toContain(`\n#TRAILER,`);
    expect(file.trim().split('\n').at(-1)).toMatch(/,4,-100\.00$/);
  });

  it('refuses a refund of more than is left, a partial refund of the surcharge, and an amount with a void', async () => {
    const taken = await split({ invoiceNumbers: ['INV-104'], allocations: undefined, clientNumber: 'C2' });
    const refused = async (body: object, status: number, message: RegExp) => {
      const res = await reverse(taken.payment.id, body);
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json().error.message).toMatch(message);
      return res.json().error;
    };
    expect((await refused({ kind: 'refund', amountCents: 10_301 }, 400, /\$103\.00/)).details).toEqual({
      field: 'amountCents',
    });
    await refused({ kind: 'refund', amountCents: 10_001 }, 400, /surcharge too/);
    await refused({ kind: 'void', amountCents: 100 }, 400, /refund only/);
    // Taken in a month ago: settled, so it can no longer be voided.
    const voided = await refused({ kind: 'void' }, 409, /settled on .*refund it instead/);
    expect(voided.code).toBe('not_voidable');
    expect(voided.details).toEqual({ id: taken.payment.id });
    expect(voided.message).not.toContain(taken.payment.id);
  });

  it('voids a payment of today, until a refund in part; the payment says whether it can be voided', async () => {
    const now = new Date().toISOString();
    const today = await takePayment(t, firm, {
      invoiceNumbers: ['INV-104'],
      clientNumber: 'C2',
      amountCents: 700,
      processedAt: now,
    });
    const listed = (await call(t, firm.viewer, 'GET', '/payments?limit=500')).json().items;
    const mine = listed.find((p: { id: string }) => p.id === today.payment.id);
    expect(mine).toMatchObject({ voidable: true, refundedCents: 0 });
    const older = listed.find(
      (p: { id: string; status: string }) => p.id !== today.payment.id && p.status === 'approved',
    );
    expect(older.voidable).toBe(false);

    const second = await takePayment(t, firm, {
      invoiceNumbers: ['INV-104'],
      clientNumber: 'C2',
      amountCents: 800,
      processedAt: now,
    });
    expect((await reverse(second.payment.id, { kind: 'refund', amountCents: 100 })).statusCode).toBe(200);
    const afterPartial = await reverse(second.payment.id, { kind: 'void' });
    expect(afterPartial.statusCode).toBe(409);
    expect(afterPartial.json().error.message).toMatch(/refunded in part/);

    const voided = await reverse(today.payment.id, { kind: 'void' });
    expect(voided.statusCode, voided.body).toBe(200);
    expect(voided.json().payment).toMatchObject({ status: 'voided', voidable: false, refundedCents: 0 });
  });

  it('refunds in part at the sandbox, and its confirming event is known by the refund id', async () => {
    const token = await cardToken(t);
    const paid = await call(t, firm.accountant, 'POST', '/connect-payments', {
      token: token.token,
      payerName: 'Sandbox Refund',
      allocations: [{ invoiceNumber: 'INV-103', amountCents: 4_000 }],
    });
    expect(paid.statusCode, paid.body).toBe(201);
    const { id, processorId } = paid.json().payment;
    const res = await reverse(id, { kind: 'refund', amountCents: 1_500 });
    expect(res.json()).toMatchObject({
      processorAction: 'refunded',
      payment: { status: 'approved', refundedCents: 1_500 },
    });
    const charge = await t.conn.db
      .selectFrom('sandbox_charges')
      .select(['status', 'refunded_cents'])
      .where('firm_id', '=', firm.id)
      .where('id', '=', processorId)
      .executeTakeFirstOrThrow();
    expect(charge).toEqual({ status: 'approved', refunded_cents: 1_500 });
    await webhookSecret(t, firm);
    expect((await deliverEvents(t, new Date(Date.now() + 1000))).delivered).toBeGreaterThanOrEqual(1);
    const outcomes = await t.conn.db
      .selectFrom('processor_events')
      .select('outcome')
      .where('firm_id', '=', firm.id)
      .where('processor_id', '=', processorId)
      .execute();
    expect(outcomes).toEqual([{ outcome: 'already_refunded' }]);
    expect((await call(t, firm.viewer, 'GET', `/payments?q=${processorId}`)).json().items[0].refundedCents).toBe(1_500);
  });

  it('takes a refund the firm made at the processor (its own id) in part, once however often it is sent', async () => {
    const taken = await takePayment(t, firm, { invoiceNumbers: ['INV-103'], clientNumber: 'C2', amountCents: 2_000 });
    const payment = (await call(t, firm.viewer, 'GET', '/payments?limit=500'))
      .json()
      .items.find((p: { id: string }) => p.id === taken.payment.id);
    const secret = await webhookSecret(t, firm);
    const event = (id: string) => ({
      id,
      type: 'payment.refunded',
      created: Math.floor(Date.now() / 1000),
      data: { processorId: payment.processorId, refundId: 're_outside_1', amountCents: 500 },
    });
    const first = await postEvent(t, firm.code, secret, event('evt_out_1'));
    expect(first.json()).toMatchObject({ duplicate: false, outcome: 'payment_refunded_in_part' });
    // The same refund told again under another event id changes nothing.
    const again = await postEvent(t, firm.code, secret, event('evt_out_2'));
    expect(again.json()).toMatchObject({ duplicate: false, outcome: 'already_refunded' });
    expect(await record(taken.postingRecord.id)).toMatchObject({ amountCents: 1_500 });
  });
});
