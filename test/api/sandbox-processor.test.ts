import { cents } from '../../src/domain/money.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverSandboxEvents } from '../../src/processor/sandbox/deliver-events.ts';
import { MAX_ATTEMPTS } from '../../src/db/transaction.ts';
import { FAIL_LATER_MS, SandboxProcessor } from '../../src/processor/sandbox/sandbox-processor.ts';
import { SYSTEM_ACTOR } from '../../src/domain/actor.ts';
import type { DomainError } from '../../src/domain/errors.ts';
import { ERROR_STATUS } from '../../src/server/errors.ts';
import { chargeAndTake } from '../../src/usecases/payments/charge-and-take.ts';
import { call, createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';
import { syncBasicMms, takePayment } from '../support/fixtures.ts';
import { BANK, bankToken, CARDS, cardToken, countRows, deliverEvents } from '../support/processor.ts';

/** Issue 5 §1 and §5: the sandbox's test numbers approve, decline, or approve and fail later, end to end. */
describe('sandbox processor', () => {
  let t: TestApp;
  let firm: TestFirm;

  beforeAll(async () => {
    t = await startTestApp({ payRequestsPerMinute: 100_000 });
    firm = await createTestFirm(t, 'SBX');
    await syncBasicMms(t, firm);
  });
  afterAll(async () => t.close());

  const tokenize = (body: object) => call(t, null, 'POST', '/sandbox/tokens', body);
  const connectPay = (token: string, invoiceNumber: string, amountCents = 10_000) =>
    call(t, firm.accountant, 'POST', '/connect-payments', {
      token,
      payerName: 'Sandbox Payer',
      allocations: [{ invoiceNumber, amountCents }],
    });
  const paymentOf = async (processorId: string) =>
    (await call(t, firm.viewer, 'GET', `/payments?q=${processorId}`)).json().items[0];

  it('tokenizes only valid test numbers, answering brand and last 4, and never repeats the number', async () => {
    expect(await cardToken(t, CARDS.visa)).toMatchObject({
      brand: 'visa',
      last4: '4242',
      method: 'card',
      token: expect.stringMatching(/^sbx_tok_/),
    });
    expect(await cardToken(t, '5555-5555-5555-4444')).toMatchObject({ brand: 'mastercard', last4: '4444' });
    expect(await bankToken(t)).toMatchObject({ brand: 'bank', last4: '6789', method: 'echeck' });
    const year = new Date().getUTCFullYear() + 1;
    const refusals: { body: Record<string, string | number>; field: string; number: string }[] = [
      {
        body: { cardNumber: '4242 4242 4242 4241', expMonth: 1, expYear: year, cvc: '123' },
        field: 'cardNumber',
        number: '4242424242424241',
      },
      {
        body: { cardNumber: '4111 1111 1111 1111', expMonth: 1, expYear: year, cvc: '123' },
        field: 'cardNumber',
        number: '4111111111111111',
      },
      {
        body: { cardNumber: '4242 4242 4242 4242', expMonth: 1, expYear: 2020, cvc: '123' },
        field: 'expYear',
        number: '4242424242424242',
      },
      {
        body: { cardNumber: '3782 822463 10005', expMonth: 1, expYear: year, cvc: '123' },
        field: 'cvc',
        number: '378282246310005',
      },
      {
        body: { routingNumber: '110000001', accountNumber: BANK.approves },
        field: 'routingNumber',
        number: BANK.approves,
      },
      {
        body: { routingNumber: BANK.routing, accountNumber: '000999999999' },
        field: 'accountNumber',
        number: '000999999999',
      },
    ];
    for (const { body, field, number } of refusals) {
      const res = await tokenize(body);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.details.field).toBe(field);
      expect(res.body).not.toContain(number.slice(-8));
    }
    const malformed = await tokenize({ cardNumber: 'four two', expMonth: 1, expYear: year, cvc: '123' });
    expect(malformed.statusCode).toBe(400);
  });

  it('approves 4242 and declines 4000 0000 0000 0002 through Make A Payment; the decline makes nothing', async () => {
    const ok = await connectPay((await cardToken(t, CARDS.visa)).token, 'INV-100');
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().payment).toMatchObject({
      origin: 'connect',
      status: 'approved',
      cardBrand: 'visa',
      last4: '4242',
      amountCents: 10_000,
    });
    expect(ok.json().postingRecord).toMatchObject({ status: 'pending', fromPaymentPage: false });

    const before = await Promise.all(
      (['payments', 'posting_records', 'audit_events'] as const).map((table) => countRows(t, firm.id, table)),
    );
    const no = await connectPay((await cardToken(t, CARDS.declined)).token, 'INV-100');
    expect(no.statusCode).toBe(402);
    expect(no.json().error.code).toBe('card_declined');
    const bank = await connectPay((await bankToken(t, BANK.declines)).token, 'INV-100');
    expect(bank.statusCode).toBe(402);
    expect(bank.json().error).toMatchObject({
      code: 'echeck_declined',
      message: 'The bank account was declined (account closed). No payment was made; try another bank account.',
    });
    expect(
      await Promise.all(
        (['payments', 'posting_records', 'audit_events'] as const).map((table) => countRows(t, firm.id, table)),
      ),
    ).toEqual(before);
  });

  it("a token belongs to the firm that used it first: another firm's charge of it is refused as unknown", async () => {
    const other = await createTestFirm(t, 'SBX2');
    await syncBasicMms(t, other);
    const { token } = await cardToken(t, CARDS.visa);
    expect((await connectPay(token, 'INV-101', 500)).statusCode).toBe(201);
    const charges = await t.conn.db.selectFrom('sandbox_charges').select('id').execute();
    for (const [path, body] of [
      [
        '/connect-payments',
        { token, payerName: 'Thief', allocations: [{ invoiceNumber: 'INV-101', amountCents: 500 }] },
      ],
      [
        '/payment-schedules',
        {
          token,
          payerName: 'Thief',
          description: 'Monthly',
          account: 'operating',
          amountCents: 500,
          interval: 'monthly',
          startOn: '2099-01-01',
        },
      ],
    ] as const) {
      const res = await call(t, other.accountant, 'POST', path, body);
      expect(res.statusCode, `${path}: ${res.body}`).toBe(422);
      expect(res.json().error.code, path).toBe('invalid_payment_token');
    }
    expect(await t.conn.db.selectFrom('sandbox_charges').select('id').execute()).toHaveLength(charges.length);
    expect(await countRows(t, other.id, 'payments')).toBe(0);
    expect((await call(t, other.viewer, 'GET', '/payment-schedules')).json().items).toEqual([]);
    // The firm that owns it still may.
    expect((await connectPay(token, 'INV-101', 500)).statusCode).toBe(201);
  });

  it('approves 4000 0000 0000 0259 and sends a signed chargeback a minute later, which removes the pending record', async () => {
    const res = await connectPay((await cardToken(t, CARDS.chargebackLater)).token, 'INV-101', 7_000);
    expect(res.statusCode, res.body).toBe(201);
    const { processorId } = res.json().payment;
    const charged = new Date(res.json().payment.processedAt);
    expect(await deliverEvents(t, new Date(charged.getTime() + FAIL_LATER_MS - 1000))).toEqual({
      delivered: 0,
      failed: 0,
    });
    expect(await deliverEvents(t, new Date(charged.getTime() + FAIL_LATER_MS))).toEqual({ delivered: 1, failed: 0 });
    expect(await paymentOf(processorId)).toMatchObject({ status: 'charged_back', postingStatus: 'removed' });
    const received = await t.conn.db
      .selectFrom('processor_events')
      .select(['type', 'outcome'])
      .where('firm_id', '=', firm.id)
      .where('processor_id', '=', processorId)
      .execute();
    expect(received).toEqual([{ type: 'payment.charged_back', outcome: 'payment_charged_back' }]);
    expect(await deliverEvents(t, new Date(charged.getTime() + 10 * FAIL_LATER_MS))).toEqual({
      delivered: 0,
      failed: 0,
    });
  });

  it('approves bank account 000111111116 and later returns it', async () => {
    const res = await call(t, firm.accountant, 'POST', '/enter-payment', {
      token: (await bankToken(t, BANK.returnsLater)).token,
      amountCents: 12_345,
      account: 'operating',
      payerName: 'Returning Bank',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().payment).toMatchObject({
      origin: 'enter_payment',
      method: 'echeck',
      cardBrand: null,
      last4: '1116',
      postingRecordId: null,
    });
    await deliverEvents(t, new Date(Date.now() + FAIL_LATER_MS + 1000));
    expect(await paymentOf(res.json().payment.processorId)).toMatchObject({ status: 'charged_back' });
  });

  it('keeps an event the endpoint does not take, and sends it again later', async () => {
    const res = await connectPay((await cardToken(t, CARDS.chargebackLater)).token, 'INV-102', 1_000);
    const { processorId } = res.json().payment;
    // The firm's endpoint is down for a while: the sandbox keeps the event and retries later.
    const due = new Date(Date.now() + FAIL_LATER_MS + 1000);
    const refused = await deliverSandboxEvents(t.conn.db, async () => ({ statusCode: 503, body: 'unavailable' }), due);
    expect(refused).toEqual({ delivered: 0, failed: 1 });
    expect(await paymentOf(processorId)).toMatchObject({ status: 'approved' });
    const waiting = await t.conn.db
      .selectFrom('sandbox_events')
      .select(['attempts', 'last_error', 'deliver_after'])
      .where('firm_id', '=', firm.id)
      .where('delivered_at', 'is', null)
      .execute();
    expect(waiting).toEqual([
      { attempts: 1, last_error: '503 unavailable', deliver_after: new Date(due.getTime() + 2 * 60_000) },
    ]);
    expect(await deliverEvents(t, due)).toEqual({ delivered: 0, failed: 0 });
    expect(await deliverEvents(t, new Date(due.getTime() + 2 * 60_000))).toEqual({ delivered: 1, failed: 0 });
    expect(await paymentOf(processorId)).toMatchObject({ status: 'charged_back' });
  });

  it('voids an approved charge that could not be taken in, so no money is kept without a payment', async () => {
    const { token } = await cardToken(t);
    const payments = await countRows(t, firm.id, 'payments');
    const attempt = chargeAndTake(t.conn.db, new SandboxProcessor(t.conn.db), firm.id, SYSTEM_ACTOR, {
      token,
      idempotencyKey: 'test:void-on-failure',
      // A surcharge as large as the amount is refused by takePayment, after the charge.
      payment: {
        origin: 'connect',
        account: 'operating',
        amountCents: cents(500),
        surchargeCents: cents(500),
        payerName: 'Never Recorded',
      },
    });
    await expect(attempt).rejects.toThrow(/surchargeCents must be less than amountCents/);
    const charge = await t.conn.db
      .selectFrom('sandbox_charges')
      .select('status')
      .where('firm_id', '=', firm.id)
      .where('idempotency_key', '=', 'test:void-on-failure')
      .executeTakeFirstOrThrow();
    expect(charge.status).toBe('voided');
    expect(await countRows(t, firm.id, 'payments')).toBe(payments);
  });

  it('answers 422 idempotency_key_reused when a token already charged comes again for another amount (SPEC §9: same key, another request)', async () => {
    const { token } = await cardToken(t);
    const first = await connectPay(token, 'INV-104', 1_000);
    expect(first.statusCode, first.body).toBe(201);
    const again = await connectPay(token, 'INV-104', 2_000);
    expect(again.statusCode, again.body).toBe(422);
    expect(again.json().error.code).toBe('idempotency_key_reused');
  });

  it('never voids an approved charge for a conflict: conflicts outlasting the retries answer 503, and the same token sent again takes it in', async () => {
    const { token } = await cardToken(t);
    const payments = await countRows(t, firm.id, 'payments');
    const processor = new SandboxProcessor(t.conn.db);
    let runs = 0;
    const input = {
      token,
      idempotencyKey: 'test:conflicts-outlast-retries',
      payment: {
        origin: 'connect' as const,
        account: 'operating' as const,
        amountCents: cents(12_345),
        payerName: 'Busy Moment',
        invoiceNumbers: ['INV-104'],
        clientNumber: 'C2',
      },
    };
    // Every run of taking it in meets a deadlock, as if other requests kept colliding with it.
    const busy = chargeAndTake(t.conn.db, processor, firm.id, SYSTEM_ACTOR, {
      ...input,
      alsoInTransaction: async () => {
        runs += 1;
        throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
      },
    });
    const error = await busy.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'payment_not_recorded', details: { retryable: true } });
    expect(ERROR_STATUS[(error as DomainError).code]).toBe(503);
    expect((error as Error).message).toBe(
      'The payment of $123.45 was approved, but so many payments arrived at the same moment that it could not be recorded yet. Press Pay again with the same details to finish: it will not be charged twice.',
    );
    expect(runs).toBe(MAX_ATTEMPTS);
    const charge = await t.conn.db
      .selectFrom('sandbox_charges')
      .select(['id', 'status'])
      .where('firm_id', '=', firm.id)
      .where('idempotency_key', '=', input.idempotencyKey)
      .executeTakeFirstOrThrow();
    expect(charge.status).toBe('approved');
    expect(await countRows(t, firm.id, 'payments')).toBe(payments);

    const again = await chargeAndTake(t.conn.db, processor, firm.id, SYSTEM_ACTOR, input);
    expect(again.payment).toMatchObject({ processorId: charge.id, amountCents: 12_345 });
    expect(again.postingRecord).toMatchObject({ status: 'pending' });
    expect(
      await t.conn.db
        .selectFrom('sandbox_charges')
        .select('status')
        .where('firm_id', '=', firm.id)
        .where('idempotency_key', '=', input.idempotencyKey)
        .execute(),
    ).toEqual([{ status: 'approved' }]);
  });

  it('refunds and voids from the Payment Manager at the processor first, and its confirming event changes nothing more', async () => {
    const paid = await connectPay((await cardToken(t, CARDS.visa)).token, 'INV-103', 2_000);
    const { id, processorId } = paid.json().payment;
    const refund = await call(t, firm.accountant, 'POST', `/payments/${id}/reverse`, { kind: 'refund' });
    expect(refund.statusCode, refund.body).toBe(200);
    expect(refund.json()).toMatchObject({
      processorAction: 'refunded',
      payment: { status: 'refunded', postingStatus: 'removed' },
    });
    const charge = await t.conn.db
      .selectFrom('sandbox_charges')
      .select('status')
      .where('firm_id', '=', firm.id)
      .where('id', '=', processorId)
      .executeTakeFirstOrThrow();
    expect(charge.status).toBe('refunded');
    const audits = await countRows(t, firm.id, 'audit_events');
    expect((await deliverEvents(t, new Date(Date.now() + 1000))).delivered).toBeGreaterThanOrEqual(1);
    const confirmed = await t.conn.db
      .selectFrom('processor_events')
      .select('outcome')
      .where('firm_id', '=', firm.id)
      .where('processor_id', '=', processorId)
      .executeTakeFirstOrThrow();
    // The confirming event carries the refund's id, which paybridge recorded when it made the refund.
    expect(confirmed.outcome).toBe('already_refunded');
    expect(await countRows(t, firm.id, 'audit_events')).toBe(audits);
    expect((await call(t, firm.accountant, 'POST', `/payments/${id}/reverse`, { kind: 'void' })).statusCode).toBe(409);

    const voided = await connectPay((await cardToken(t, CARDS.visa)).token, 'INV-104', 2_000);
    const voidRes = await call(t, firm.accountant, 'POST', `/payments/${voided.json().payment.id}/reverse`, {
      kind: 'void',
    });
    expect(voidRes.json()).toMatchObject({ processorAction: 'voided', payment: { status: 'voided' } });

    // A payment keyed in from another processor, and a chargeback, are recorded only.
    const outside = await takePayment(t, firm, { invoiceNumbers: ['INV-104'], amountCents: 500 });
    expect(
      (await call(t, firm.accountant, 'POST', `/payments/${outside.payment.id}/reverse`, { kind: 'refund' })).json()
        .processorAction,
    ).toBe('none');
    const disputed = await connectPay((await cardToken(t, CARDS.visa)).token, 'INV-104', 700);
    expect(
      (
        await call(t, firm.accountant, 'POST', `/payments/${disputed.json().payment.id}/reverse`, {
          kind: 'chargeback',
        })
      ).json().processorAction,
    ).toBe('none');
  });
});
