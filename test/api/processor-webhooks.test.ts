import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signatureHeader } from '../../src/processor/webhook-signature.ts';
import { call, createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';
import { paymentBody, syncBasicMms } from '../support/fixtures.ts';
import { countRows, postEvent, webhookSecret } from '../support/processor.ts';
import { firmSnapshot } from '../support/snapshot.ts';

/** Issue 5 §1: processor events by signed webhook, HMAC over timestamp and body, replays ignored. */
describe('processor webhook', () => {
  let t: TestApp;
  let firm: TestFirm;
  let secret: string;

  const approved = (overrides: object = {}) => {
    const data = paymentBody({ payerName: 'Webhook Payer', ...overrides });
    return {
      event: { id: `evt_${randomUUID()}`, type: 'payment.approved', created: 1, data },
      processorId: data.processorId,
    };
  };
  const reversal = (type: string, processorId: string) => ({ id: `evt_${randomUUID()}`, type, data: { processorId } });

  beforeAll(async () => {
    t = await startTestApp();
    firm = await createTestFirm(t, 'WHK');
    await syncBasicMms(t, firm);
    secret = await webhookSecret(t, firm);
  });
  afterAll(async () => t.close());

  it('shows the secret once: no settings answer holds it, and it cannot be asked for with an Idempotency-Key', async () => {
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect((await call(t, firm.admin, 'GET', '/settings')).body).not.toContain(secret);
    const keyed = await call(
      t,
      firm.admin,
      'POST',
      '/settings/webhook-secret',
      {},
      { headers: { 'idempotency-key': 'k1' } },
    );
    expect(keyed.statusCode).toBe(400);
    expect((await call(t, firm.accountant, 'POST', '/settings/webhook-secret', {})).statusCode).toBe(403);
  });

  it('takes in a payment from payment.approved, and ignores the same event sent again', async () => {
    const { event, processorId } = approved();
    const body = JSON.stringify(event);
    const header = signatureHeader(secret, Math.floor(Date.now() / 1000), body);
    const first = await postEvent(t, 'WHK', secret, body, { header });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ received: true, duplicate: false, outcome: 'payment_taken' });
    const payments = (await call(t, firm.viewer, 'GET', `/payments?q=${processorId}`)).json().items;
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ origin: 'connect', status: 'approved', postingStatus: 'pending' });

    const before = await firmSnapshot(t.conn.db, firm.id);
    // The very same request replayed, and the same event freshly signed: both are duplicates.
    const replay = await postEvent(t, 'WHK', secret, body, { header });
    expect(replay.json()).toMatchObject({ duplicate: true, outcome: 'payment_taken', paymentId: payments[0].id });
    expect((await postEvent(t, 'WHK', secret, body)).json().duplicate).toBe(true);
    expect(await firmSnapshot(t.conn.db, firm.id)).toEqual(before);

    // Another event for the same payment is idempotent on the processor id.
    const other = await postEvent(t, 'WHK', secret, { ...event, id: `evt_${randomUUID()}` });
    expect(other.json()).toMatchObject({
      duplicate: false,
      outcome: 'payment_already_taken',
      paymentId: payments[0].id,
    });
    expect((await call(t, firm.viewer, 'GET', `/payments?q=${processorId}`)).json().items).toHaveLength(1);
  });

  it('refuses a bad signature, another secret, a changed body or an unknown firm with 401 and writes nothing', async () => {
    const { event } = approved();
    const body = JSON.stringify(event);
    const now = Math.floor(Date.now() / 1000);
    const before = await firmSnapshot(t.conn.db, firm.id);
    const cases = [
      await postEvent(t, 'WHK', 'whsec_not_the_secret', body),
      await postEvent(t, 'WHK', secret, body.replace('Webhook Payer', 'Webhook Payee'), {
        header: signatureHeader(secret, now, body),
      }),
      await postEvent(t, 'WHK', secret, body, {
        header: signatureHeader(secret, now, body).replace(`t=${now}`, `t=${now - 1}`),
      }),
      await postEvent(t, 'NOSUCHFIRM', secret, body),
      await postEvent(t, 'whk', secret, body),
    ];
    for (const res of cases) {
      expect(res.statusCode, res.body).toBe(401);
      expect(res.json().error).toMatchObject({
        code: 'invalid_signature',
        message: 'the signature does not match the body and timestamp for this endpoint',
      });
    }
    expect(await firmSnapshot(t.conn.db, firm.id)).toEqual(before);
  });

  it('accepts a timestamp up to five minutes off either way, and refuses one beyond with 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    const before = await countRows(t, firm.id, 'payments');
    // Beyond five minutes by 20 s, and within by 20 s: the seconds that pass between this
    // test's clock reading and the server's never decide the answer (301 once flaked so).
    for (const offset of [-320, 320, -3600]) {
      const res = await postEvent(t, 'WHK', secret, approved().event, { timestamp: now + offset });
      expect(res.statusCode, res.body).toBe(401);
      expect(res.json().error.code).toBe('stale_timestamp');
    }
    expect(await countRows(t, firm.id, 'payments')).toBe(before);
    for (const offset of [-280, 280])
      expect((await postEvent(t, 'WHK', secret, approved().event, { timestamp: now + offset })).statusCode).toBe(200);
    expect(await countRows(t, firm.id, 'payments')).toBe(before + 2);
  });

  it('answers a missing or malformed signature header with 400, and a body that is not JSON with 415 or 400', async () => {
    const body = JSON.stringify(approved().event);
    const missing = await postEvent(t, 'WHK', secret, body, { header: null });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.code).toBe('missing_signature');
    for (const header of ['v1=abc', `t=${Math.floor(Date.now() / 1000)}`, 'nonsense']) {
      const res = await postEvent(t, 'WHK', secret, body, { header });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('malformed_signature');
    }
    const signedJunk = await postEvent(t, 'WHK', secret, '{"id": "evt_x", "type": ');
    expect(signedJunk.statusCode).toBe(400);
    expect(signedJunk.json().error.code).toBe('invalid_json');
    const form = await t.app.inject({
      method: 'POST',
      url: '/api/v1/webhooks/processor/WHK',
      headers: { 'content-type': 'text/plain' },
      payload: body,
    });
    expect(form.statusCode).toBe(415);
  });

  it('reverses a payment from payment.refunded (SPEC §3.5: a pending record is removed), once', async () => {
    const { event, processorId } = approved({ invoiceNumbers: ['INV-101'] });
    expect((await postEvent(t, 'WHK', secret, event)).statusCode).toBe(200);
    const refund = reversal('payment.refunded', processorId);
    const res = await postEvent(t, 'WHK', secret, refund);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ duplicate: false, outcome: 'payment_refunded' });
    const payment = (await call(t, firm.viewer, 'GET', `/payments?q=${processorId}`)).json().items[0];
    expect(payment).toMatchObject({ status: 'refunded', postingStatus: 'removed' });
    const record = (await call(t, firm.viewer, 'GET', `/postings/${payment.postingRecordId}`)).json();
    expect(record.reasons).toEqual(['payment_reversed']);
    expect(record.history.map((h: { actor: string }) => h.actor)).toContain('processor (payment.refunded)');

    expect((await postEvent(t, 'WHK', secret, refund)).json()).toMatchObject({ duplicate: true });
    // A second event of the same kind (a new id) finds it already done; another kind is recorded and ignored.
    expect((await postEvent(t, 'WHK', secret, reversal('payment.refunded', processorId))).json().outcome).toBe(
      'already_reversed',
    );
    expect((await postEvent(t, 'WHK', secret, reversal('payment.charged_back', processorId))).json().outcome).toBe(
      'ignored_payment_refunded',
    );
  });

  it('turns a chargeback after posting into a negative reversal record in pending', async () => {
    const { event, processorId } = approved({ invoiceNumbers: ['INV-102'] });
    const taken = (await postEvent(t, 'WHK', secret, event)).json();
    const payment = (await call(t, firm.viewer, 'GET', `/payments?q=${processorId}`)).json().items[0];
    expect(
      (await call(t, firm.accountant, 'POST', '/postings/post', { ids: [payment.postingRecordId] })).statusCode,
    ).toBe(200);
    const res = await postEvent(t, 'WHK', secret, reversal('payment.returned', processorId));
    expect(res.json()).toMatchObject({ outcome: 'payment_charged_back', paymentId: taken.paymentId });
    const reversals = (await call(t, firm.viewer, 'GET', '/postings?view=pending'))
      .json()
      .items.filter((r: { reversalOf: string | null }) => r.reversalOf === payment.postingRecordId);
    expect(reversals).toHaveLength(1);
    expect(reversals[0].amountCents).toBe(-25_000);
  });

  it('refuses a reversal for a payment not yet taken in, without recording the event, so a retry succeeds', async () => {
    const { event, processorId } = approved();
    const early = reversal('payment.voided', processorId);
    const res = await postEvent(t, 'WHK', secret, early);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('unknown_payment');
    const recorded = await t.conn.db
      .selectFrom('processor_events')
      .select('event_id')
      .where('firm_id', '=', firm.id)
      .where('event_id', '=', early.id)
      .execute();
    expect(recorded).toEqual([]);
    expect((await postEvent(t, 'WHK', secret, event)).statusCode).toBe(200);
    expect((await postEvent(t, 'WHK', secret, early)).json()).toMatchObject({
      duplicate: false,
      outcome: 'payment_voided',
    });
  });

  it('acknowledges an event type it does not handle, and refuses a known type with bad data', async () => {
    const unknown = await postEvent(t, 'WHK', secret, {
      id: `evt_${randomUUID()}`,
      type: 'balance.available',
      data: {},
    });
    expect(unknown.json()).toMatchObject({ received: true, outcome: 'ignored_unknown_type' });
    const bad = await postEvent(t, 'WHK', secret, {
      id: `evt_${randomUUID()}`,
      type: 'payment.approved',
      data: { processorId: 'x' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('invalid_event');
  });

  it('stops verifying with the old secret once it is rotated', async () => {
    const fresh = await webhookSecret(t, firm);
    expect(fresh).not.toBe(secret);
    expect((await postEvent(t, 'WHK', secret, approved().event)).statusCode).toBe(401);
    expect((await postEvent(t, 'WHK', fresh, approved().event)).statusCode).toBe(200);
    secret = fresh;
  });
});
