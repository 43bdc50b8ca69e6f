import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, calendarDateIn } from '../../src/domain/dates.ts';
import type { Processor } from '../../src/processor/processor.ts';
import { SandboxProcessor } from '../../src/processor/sandbox/sandbox-processor.ts';
import { runDueSchedules } from '../../src/usecases/payment-schedules/run-due-schedules.ts';
import { call, createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';
import { syncBasicMms } from '../support/fixtures.ts';
import { CARDS, cardToken } from '../support/processor.ts';

/** Issue 13: a schedule ends (a count, a date, its invoice paid), and a declined charge is retried once, the next day. */
describe('payment schedule ends and retries', () => {
  let t: TestApp;
  let firm: TestFirm;
  let other: TestFirm;
  let processor: SandboxProcessor;
  // A new firm keeps its days in America/New_York; noon UTC is within that day.
  const today = calendarDateIn(new Date(), 'America/New_York');
  const day = (n: number) => addDays(today, n);
  /** The fixed clock every tick below is given: no test sleeps. */
  const at = (date: string, time = '12:00:00') => new Date(`${date}T${time}Z`);

  beforeAll(async () => {
    t = await startTestApp({ payRequestsPerMinute: 100_000 });
    firm = await createTestFirm(t, 'ENDS');
    other = await createTestFirm(t, 'ENDS2');
    await syncBasicMms(t, firm);
    await syncBasicMms(t, other);
    processor = new SandboxProcessor(t.conn.db);
  });
  afterAll(async () => t.close());

  interface Schedule {
    id: string;
    status: 'active' | 'cancelled' | 'completed';
    nextRunOn: string | null;
    completedReason: string | null;
    paymentsMade: number;
    endAfterCount: number | null;
    endsOn: string | null;
    untilInvoicePaid: boolean;
    invoiceNumber: string | null;
    clientNumber: string | null;
    lastFailure: { on: string; reason: string } | null;
    retryOn: string | null;
    runs: {
      runOn: string;
      status: string;
      amountCents: number;
      attempts: number;
      paymentId: string | null;
      declineReason: string | null;
      failedOn: string | null;
      retryOn: string | null;
    }[];
  }

  const body = async (overrides: object = {}, card: string = CARDS.visa) => ({
    token: (await cardToken(t, card)).token,
    amountCents: 10_000,
    account: 'operating',
    description: 'Payment plan',
    payerName: 'Acme Holdings',
    interval: 'weekly',
    startOn: today,
    ...overrides,
  });
  async function schedule(overrides: object = {}, card: string = CARDS.visa, who: TestFirm = firm) {
    const res = await call(t, who.accountant, 'POST', '/payment-schedules', await body(overrides, card));
    expect(res.statusCode, res.body).toBe(201);
    return res.json<Schedule>();
  }
  const view = async (id: string, who: TestFirm = firm): Promise<Schedule> =>
    (await call(t, who.viewer, 'GET', '/payment-schedules')).json().items.find((s: { id: string }) => s.id === id);
  /** One tick at `now`, what it did to this schedule. */
  const tick = async (id: string, now: Date, p: Processor = processor) =>
    (await runDueSchedules(t.conn.db, p, now)).filter((r) => r.scheduleId === id);
  const chargeKeys = async (id: string) =>
    (
      await t.conn.db
        .selectFrom('sandbox_charges')
        .select(['idempotency_key', 'status', 'amount_cents'])
        .where('firm_id', '=', firm.id)
        .where('idempotency_key', 'like', `schedule:${id}:%`)
        .orderBy('created_at')
        .execute()
    ).map((c) => [c.idempotency_key.slice(`schedule:${id}:`.length), c.status, c.amount_cents]);
  const audit = async (id: string) =>
    (
      await t.conn.db
        .selectFrom('audit_events')
        .select(['action', 'detail'])
        .where('firm_id', '=', firm.id)
        .where(sql<string>`detail->>'scheduleId'`, '=', id)
        .orderBy('id')
        .execute()
    ).map((e) => e.action);

  /**
   * The sandbox, where each occurrence's first attempt is made with the sandbox's declining
   * test card (a real decline), and its retry with the schedule's own card.
   */
  async function declineFirstAttempts(): Promise<Processor> {
    const declining = (await cardToken(t, CARDS.declined)).token;
    return {
      describeToken: (firmId, token) => processor.describeToken(firmId, token),
      refund: (f, p) => processor.refund(f, p),
      void: (f, p) => processor.void(f, p),
      payout: (f, p) => processor.payout(f, p),
      vault: (f, token) => processor.vault(f, token),
      charge: (request) =>
        processor.charge(request.idempotencyKey.endsWith(':retry') ? request : { ...request, token: declining }),
    };
  }

  async function syncInvoice(who: TestFirm, invoiceNumber: string, balanceCents: number, status = 'open') {
    const res = await call(t, who.agent, 'POST', '/agent/sync', {
      clients: [],
      matters: [],
      invoices: [
        {
          invoiceNumber,
          clientNumber: 'C1',
          matterNumber: 'M1',
          invoiceDate: '2026-03-05',
          totalCents: 100000,
          balanceCents,
          status,
        },
      ],
      full: false,
    });
    expect(res.statusCode, res.body).toBe(200);
  }

  it('ends after a count of payments: the second charge completes it, and no third is made', async () => {
    const made = await schedule({ endAfterCount: 2 });
    expect(made).toMatchObject({ endAfterCount: 2, paymentsMade: 0, status: 'active', completedReason: null });
    expect(await tick(made.id, at(today))).toMatchObject([{ status: 'paid', runOn: today }]);
    expect(await view(made.id)).toMatchObject({ status: 'active', paymentsMade: 1, nextRunOn: day(7) });
    const [second] = await tick(made.id, at(day(7)));
    expect(second).toMatchObject({ status: 'paid', runOn: day(7), completed: 'count' });
    expect(await view(made.id)).toMatchObject({
      status: 'completed',
      completedReason: 'count',
      paymentsMade: 2,
      nextRunOn: null,
    });
    expect(await tick(made.id, at(day(14)))).toEqual([]);
    expect(await chargeKeys(made.id)).toEqual([
      [today, 'approved', 10_000],
      [day(7), 'approved', 10_000],
    ]);
    expect(await audit(made.id)).toEqual([
      'payment_schedule_created',
      'schedule_run_paid',
      'schedule_run_paid',
      'payment_schedule_completed',
    ]);
    // A completed schedule is not cancelled again.
    const cancel = await call(t, firm.accountant, 'POST', `/payment-schedules/${made.id}/cancel`, {});
    expect(cancel.statusCode).toBe(409);
    expect(cancel.json().error.message).toMatch(/already completed/);
  });

  it('ends on its date, inclusive: a charge on the end date is made, then it completes', async () => {
    const made = await schedule({ endsOn: day(7) });
    expect(await tick(made.id, at(today))).toMatchObject([{ status: 'paid' }]);
    expect(await tick(made.id, at(day(7)))).toMatchObject([{ status: 'paid', runOn: day(7), completed: 'date' }]);
    expect(await view(made.id)).toMatchObject({ status: 'completed', completedReason: 'date', paymentsMade: 2 });
    expect(await tick(made.id, at(day(14)))).toEqual([]);
    expect(await chargeKeys(made.id)).toHaveLength(2);
  });

  it('a schedule catching up on missed ticks still stops at its end: no occurrence past the date, none past the count', async () => {
    const byDate = await schedule({ endsOn: day(7) });
    const byCount = await schedule({ endAfterCount: 2 });
    // The server was down for three weeks: each tick runs one period of each.
    const late = at(day(21));
    for (let i = 0; i < 4; i += 1) await runDueSchedules(t.conn.db, processor, late);
    for (const made of [byDate, byCount]) {
      expect(await chargeKeys(made.id)).toEqual([
        [today, 'approved', 10_000],
        [day(7), 'approved', 10_000],
      ]);
      expect(await view(made.id)).toMatchObject({ status: 'completed', paymentsMade: 2, nextRunOn: null });
    }
  });

  it('an end date waits for the retry of its last occurrence, then completes', async () => {
    const made = await schedule({ endsOn: today });
    expect(await tick(made.id, at(today), await declineFirstAttempts())).toMatchObject([{ status: 'declined' }]);
    expect(await view(made.id)).toMatchObject({ status: 'active', retryOn: day(1), nextRunOn: day(7) });
    expect(await tick(made.id, at(day(1)), await declineFirstAttempts())).toMatchObject([
      { status: 'paid', attempt: 2, completed: 'date' },
    ]);
    expect(await view(made.id)).toMatchObject({ status: 'completed', completedReason: 'date', paymentsMade: 1 });
  });

  it('until the invoice is paid: no charge above what is open, its own charges counted before a sync shows them', async () => {
    await syncInvoice(firm, 'INV-102', 25_000);
    const made = await schedule({ untilInvoicePaid: true, invoiceNumber: 'INV-102' });
    // The client and matter come from the invoice.
    expect(made).toMatchObject({ untilInvoicePaid: true, invoiceNumber: 'INV-102', clientNumber: 'C1' });
    expect(await tick(made.id, at(today))).toMatchObject([{ status: 'paid' }]);
    expect(await tick(made.id, at(day(7)))).toMatchObject([{ status: 'paid' }]);
    // No sync has changed the invoice since: the synced $250 does not show the $200 charged,
    // so $50 is open. The third charge is $50, and ends the schedule.
    expect(await tick(made.id, at(day(14)))).toMatchObject([
      { status: 'paid', completed: 'invoice_paid', runOn: day(14) },
    ]);
    expect(await chargeKeys(made.id)).toEqual([
      [today, 'approved', 10_000],
      [day(7), 'approved', 10_000],
      [day(14), 'approved', 5_000],
    ]);
    const after = await view(made.id);
    expect(after).toMatchObject({ status: 'completed', completedReason: 'invoice_paid', nextRunOn: null });
    expect(after.runs.map((r) => r.amountCents)).toEqual([5_000, 10_000, 10_000]);
    // Its payments name the invoice.
    const payments = (await call(t, firm.viewer, 'GET', '/payments?origin=payment_schedule&limit=500')).json().items;
    const ids = new Set(after.runs.map((r) => r.paymentId));
    expect(
      payments
        .filter((p: { id: string }) => ids.has(p.id))
        .map((p: { amountCents: number; invoiceNumbers: string[] }) => [p.amountCents, p.invoiceNumbers]),
    ).toEqual(
      expect.arrayContaining([
        [10_000, ['INV-102']],
        [5_000, ['INV-102']],
      ]),
    );
    expect(await tick(made.id, at(day(21)))).toEqual([]);
  });

  it('until the invoice is paid: after a sync shows the charges, the next is capped at the balance it reports', async () => {
    await syncInvoice(firm, 'INV-200', 100_000);
    const made = await schedule({ untilInvoicePaid: true, invoiceNumber: 'INV-200' });
    expect(await tick(made.id, at(today))).toMatchObject([{ status: 'paid' }]);
    // The firm entered the $100 (and more) in its MMS: $40 is left, and the sync says so.
    await syncInvoice(firm, 'INV-200', 4_000);
    expect(await tick(made.id, at(day(7)))).toMatchObject([{ status: 'paid', completed: 'invoice_paid' }]);
    expect(await chargeKeys(made.id)).toEqual([
      [today, 'approved', 10_000],
      [day(7), 'approved', 4_000],
    ]);
  });

  it('until the invoice is paid: a sync that marks it paid ends the schedule at the next tick, before its date', async () => {
    await syncInvoice(firm, 'INV-101', 100_000);
    const made = await schedule({ untilInvoicePaid: true, invoiceNumber: 'INV-101', startOn: day(3) });
    await syncInvoice(firm, 'INV-101', 0, 'paid');
    expect(await tick(made.id, at(today))).toEqual([
      {
        firmId: firm.id,
        scheduleId: made.id,
        runOn: null,
        status: 'completed',
        paymentId: null,
        completed: 'invoice_paid',
      },
    ]);
    expect(await view(made.id)).toMatchObject({ status: 'completed', completedReason: 'invoice_paid', runs: [] });
    expect(await tick(made.id, at(day(3)))).toEqual([]);
    expect(await chargeKeys(made.id)).toEqual([]);
    expect(await audit(made.id)).toEqual(['payment_schedule_created', 'payment_schedule_completed']);
  });

  it('a declined charge is recorded, shown and retried the next day; the retry pays and the schedule goes on', async () => {
    const made = await schedule();
    const flaky = await declineFirstAttempts();
    expect(await tick(made.id, at(today), flaky)).toMatchObject([
      { status: 'declined', attempt: 1, reason: 'card declined' },
    ]);
    const declined = await view(made.id);
    expect(declined).toMatchObject({
      status: 'active',
      nextRunOn: day(7),
      retryOn: day(1),
      lastFailure: { on: today, reason: 'card declined' },
      paymentsMade: 0,
    });
    expect(declined.runs).toEqual([
      {
        runOn: today,
        status: 'declined',
        amountCents: 10_000,
        attempts: 1,
        paymentId: null,
        declineReason: 'card declined',
        failedOn: today,
        retryOn: day(1),
      },
    ]);
    // Not again the same day.
    expect(await tick(made.id, at(today, '23:59:00'), flaky)).toEqual([]);
    const [retry] = await tick(made.id, at(day(1)), flaky);
    expect(retry).toMatchObject({ status: 'paid', attempt: 2, runOn: today });
    const paid = await view(made.id);
    expect(paid).toMatchObject({ status: 'active', nextRunOn: day(7), retryOn: null, paymentsMade: 1 });
    // The failed attempt stays in the history.
    expect(paid.runs).toEqual([
      {
        runOn: today,
        status: 'paid',
        amountCents: 10_000,
        attempts: 2,
        paymentId: retry!.paymentId,
        declineReason: 'card declined',
        failedOn: today,
        retryOn: day(1),
      },
    ]);
    expect(await tick(made.id, at(day(2)), flaky)).toEqual([]);
    expect(await chargeKeys(made.id)).toEqual([
      [today, 'declined', 10_000],
      [`${today}:retry`, 'approved', 10_000],
    ]);
    expect(await audit(made.id)).toEqual([
      'payment_schedule_created',
      'schedule_run_declined',
      'schedule_run_retried',
      'schedule_run_paid',
    ]);
    // The next occurrence is an ordinary first attempt.
    expect(await tick(made.id, at(day(7)))).toMatchObject([{ status: 'paid', attempt: 1, runOn: day(7) }]);
    await call(t, firm.accountant, 'POST', `/payment-schedules/${made.id}/cancel`, {});
  });

  it('declined twice, the occurrence is missed and the schedule moves on to its next date, never retrying again', async () => {
    const made = await schedule({}, CARDS.declined);
    expect(await tick(made.id, at(today))).toMatchObject([{ status: 'declined' }]);
    expect(await tick(made.id, at(day(1)))).toMatchObject([{ status: 'missed', attempt: 2, reason: 'card declined' }]);
    const missed = await view(made.id);
    expect(missed).toMatchObject({
      status: 'active',
      nextRunOn: day(7),
      retryOn: null,
      lastFailure: { on: day(1), reason: 'card declined' },
    });
    expect(missed.runs).toMatchObject([{ runOn: today, status: 'missed', attempts: 2, failedOn: day(1) }]);
    expect(await tick(made.id, at(day(2)))).toEqual([]);
    expect(await tick(made.id, at(day(6)))).toEqual([]);
    expect(await tick(made.id, at(day(7)))).toMatchObject([{ status: 'declined', runOn: day(7), attempt: 1 }]);
    expect(await chargeKeys(made.id)).toEqual([
      [today, 'declined', 10_000],
      [`${today}:retry`, 'declined', 10_000],
      [day(7), 'declined', 10_000],
    ]);
    expect(await audit(made.id)).toEqual([
      'payment_schedule_created',
      'schedule_run_declined',
      'schedule_run_retried',
      'schedule_run_missed',
      'schedule_run_declined',
    ]);
    // Cancelling drops the retry still to come: it is missed, and nothing is charged on its day.
    await call(t, firm.accountant, 'POST', `/payment-schedules/${made.id}/cancel`, {});
    expect((await view(made.id)).runs[0]).toMatchObject({ runOn: day(7), status: 'missed', attempts: 1 });
    expect(await tick(made.id, at(day(8)))).toEqual([]);
    expect(await chargeKeys(made.id)).toHaveLength(3);
  });

  it('a count end counts successful charges only: a missed occurrence adds one more date', async () => {
    const made = await schedule({ endAfterCount: 1 }, CARDS.declined);
    await tick(made.id, at(today));
    await tick(made.id, at(day(1)));
    expect(await view(made.id)).toMatchObject({ status: 'active', paymentsMade: 0, nextRunOn: day(7) });
    await call(t, firm.accountant, 'POST', `/payment-schedules/${made.id}/cancel`, {});
  });

  it('concurrent ticks charge an occurrence once, its retry once, and the last of a count once', async () => {
    const made = await schedule({ endAfterCount: 2 });
    const flaky = await declineFirstAttempts();
    const burst = async (now: Date) =>
      (await Promise.all(Array.from({ length: 6 }, () => runDueSchedules(t.conn.db, flaky, now))))
        .flat()
        .filter((r) => r.scheduleId === made.id);
    expect(await burst(at(today))).toMatchObject([{ status: 'declined' }]);
    expect(await burst(at(day(1)))).toMatchObject([{ status: 'paid', attempt: 2 }]);
    expect(await burst(at(day(7)))).toMatchObject([{ status: 'declined' }]);
    expect(await burst(at(day(8)))).toMatchObject([{ status: 'paid', completed: 'count' }]);
    expect(await burst(at(day(14)))).toEqual([]);
    expect(await chargeKeys(made.id)).toEqual([
      [today, 'declined', 10_000],
      [`${today}:retry`, 'approved', 10_000],
      [day(7), 'declined', 10_000],
      [`${day(7)}:retry`, 'approved', 10_000],
    ]);
    expect(await view(made.id)).toMatchObject({ status: 'completed', paymentsMade: 2 });
  });

  it('refuses a bad end with 400 naming the field', async () => {
    const refused = async (overrides: object, who: TestFirm = firm) => {
      const res = await call(t, who.accountant, 'POST', '/payment-schedules', await body(overrides));
      expect(res.statusCode, res.body).toBe(400);
      const error = res.json().error;
      return error.details?.field ?? error.details?.issues?.[0]?.field;
    };
    expect(await refused({ endsOn: day(-1), startOn: today })).toBe('endsOn');
    expect(await refused({ endAfterCount: 0 })).toBe('endAfterCount');
    expect(await refused({ endAfterCount: 1.5 })).toBe('endAfterCount');
    expect(await refused({ untilInvoicePaid: true })).toBe('invoiceNumber');
    expect(await refused({ untilInvoicePaid: true, invoiceNumber: 'INV-999' })).toBe('invoiceNumber');
    expect(await refused({ untilInvoicePaid: true, invoiceNumber: 'INV-105' })).toBe('invoiceNumber');
    expect(await refused({ untilInvoicePaid: true, invoiceNumber: 'INV-100', account: 'trust' })).toBe('account');
    expect(await refused({ invoiceNumber: 'INV-100' })).toBe('invoiceNumber');
    expect(await refused({ endAfterCount: 3, endsOn: day(30) })).toBe('endsOn');
    expect(await refused({ endAfterCount: 3, untilInvoicePaid: true, invoiceNumber: 'INV-100' })).toBe(
      'untilInvoicePaid',
    );
  });

  it("keeps firms apart: another firm's invoice is unknown here, and its schedules are neither listed nor run by this firm's", async () => {
    await syncInvoice(other, 'INV-OTHER', 50_000);
    const res = await call(
      t,
      firm.accountant,
      'POST',
      '/payment-schedules',
      await body({ untilInvoicePaid: true, invoiceNumber: 'INV-OTHER' }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.field).toBe('invoiceNumber');
    // Both firms have an INV-100; each schedule pays its own firm's.
    await syncInvoice(other, 'INV-100', 3_000);
    const theirs = await schedule({ untilInvoicePaid: true, invoiceNumber: 'INV-100' }, CARDS.visa, other);
    const ours = await schedule({ untilInvoicePaid: true, invoiceNumber: 'INV-100' });
    const outcomes = await runDueSchedules(t.conn.db, processor, at(today));
    expect(outcomes.find((r) => r.scheduleId === theirs.id)).toMatchObject({ firmId: other.id, status: 'paid' });
    expect(outcomes.find((r) => r.scheduleId === ours.id)).toMatchObject({ firmId: firm.id, status: 'paid' });
    // Theirs was capped at their $30 and ended; ours charged its $100 of our $1,000.
    expect(await view(theirs.id, other)).toMatchObject({ status: 'completed', runs: [{ amountCents: 3_000 }] });
    expect(await view(ours.id)).toMatchObject({ status: 'active', runs: [{ amountCents: 10_000 }] });
    expect(await view(theirs.id)).toBeUndefined();
    expect((await call(t, firm.accountant, 'POST', `/payment-schedules/${theirs.id}/cancel`, {})).statusCode).toBe(404);
    await call(t, firm.accountant, 'POST', `/payment-schedules/${ours.id}/cancel`, {});
  });
});
