import { cents } from '../../src/domain/money.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, calendarDateIn, dayStartIn } from '../../src/domain/dates.ts';
import type { Processor } from '../../src/processor/processor.ts';
import { SandboxProcessor } from '../../src/processor/sandbox/sandbox-processor.ts';
import { createPaymentSchedule } from '../../src/usecases/payment-schedules/create-payment-schedule.ts';
import { runDueSchedules } from '../../src/usecases/payment-schedules/run-due-schedules.ts';
import { call, createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';
import { BANK, bankToken, CARDS, cardToken, countRows } from '../support/processor.ts';

/** Issue 5 §4 and §6: payment schedules run by the server's scheduler, each due run exactly once. */
describe('payment schedules', () => {
  let t: TestApp;
  let firm: TestFirm;
  let processor: SandboxProcessor;
  // A new firm keeps its days in America/New_York; noon UTC is within that day.
  const today = calendarDateIn(new Date(), 'America/New_York');
  /** The fixed clock every tick below is given: no test sleeps. */
  const at = (date: string, time = '12:00:00') => new Date(`${date}T${time}Z`);

  beforeAll(async () => {
    t = await startTestApp({ payRequestsPerMinute: 100_000 });
    firm = await createTestFirm(t, 'SCHED');
    processor = new SandboxProcessor(t.conn.db);
  });
  afterAll(async () => t.close());

  async function schedule(body: object) {
    const res = await call(t, firm.accountant, 'POST', '/payment-schedules', {
      amountCents: 15_000,
      account: 'operating',
      description: 'Monthly fee',
      payerName: 'Recurring Client',
      interval: 'monthly',
      startOn: today,
      ...body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string; nextRunOn: string; cardBrand: string | null; last4: string }>();
  }
  const runsOf = async (id: string) =>
    (await call(t, firm.viewer, 'GET', '/payment-schedules')).json().items.find((s: { id: string }) => s.id === id);
  const schedulePayments = async () =>
    (await call(t, firm.viewer, 'GET', '/payments?origin=payment_schedule&limit=500')).json().items as {
      id: string;
      amountCents: number;
      postingRecordId: string | null;
    }[];

  it('keeps the processor token, never a card number, and shows brand and last 4', async () => {
    const made = await schedule({ token: (await cardToken(t)).token, startOn: '2099-01-31' });
    expect(made).toMatchObject({
      cardBrand: 'visa',
      last4: '4242',
      nextRunOn: '2099-01-31',
      status: 'active',
      runs: [],
    });
    expect(JSON.stringify(await runsOf(made.id))).not.toContain('sbx_tok_');
    const bad = await call(t, firm.accountant, 'POST', '/payment-schedules', {
      token: 'sbx_tok_nope',
      amountCents: 1,
      account: 'operating',
      description: 'x',
      payerName: 'x',
      interval: 'weekly',
      startOn: today,
    });
    expect(bad.statusCode).toBe(422);
    const past = await call(t, firm.accountant, 'POST', '/payment-schedules', {
      token: (await cardToken(t)).token,
      amountCents: 1,
      account: 'operating',
      description: 'x',
      payerName: 'x',
      interval: 'weekly',
      startOn: '2020-01-01',
    });
    expect(past.statusCode).toBe(400);
    expect((await call(t, firm.accountant, 'POST', `/payment-schedules/${made.id}/cancel`, {})).statusCode).toBe(200);
  });

  it('runs a due schedule exactly once under concurrent ticks, then not again until its next date', async () => {
    const made = await schedule({ token: (await cardToken(t)).token });
    const now = at(today);
    const ticks = await Promise.all(Array.from({ length: 8 }, () => runDueSchedules(t.conn.db, processor, now)));
    const runs = ticks.flat().filter((r) => r.scheduleId === made.id);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ runOn: today, status: 'paid' });

    const payments = await schedulePayments();
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ id: runs[0]!.paymentId, amountCents: 15_000, postingRecordId: null });
    const charges = await t.conn.db
      .selectFrom('sandbox_charges')
      .select('idempotency_key')
      .where('firm_id', '=', firm.id)
      .where('idempotency_key', 'like', `schedule:${made.id}:%`)
      .execute();
    expect(charges).toEqual([{ idempotency_key: `schedule:${made.id}:${today}` }]);

    const after = await runsOf(made.id);
    expect(after.runs).toEqual([
      {
        runOn: today,
        status: 'paid',
        amountCents: 15_000,
        attempts: 1,
        paymentId: runs[0]!.paymentId,
        declineReason: null,
        failedOn: null,
        retryOn: null,
      },
    ]);
    expect(after.nextRunOn > today).toBe(true);
    // Later the same day, and up to the day before the next date: nothing.
    expect(
      (await runDueSchedules(t.conn.db, processor, at(today, '23:59:59'))).filter((r) => r.scheduleId === made.id),
    ).toEqual([]);
    const dayBefore = addDays(after.nextRunOn, -1);
    expect(
      (await runDueSchedules(t.conn.db, processor, at(dayBefore))).filter((r) => r.scheduleId === made.id),
    ).toEqual([]);
    // On the next date, concurrent ticks again run it once.
    const next = await Promise.all(
      Array.from({ length: 4 }, () => runDueSchedules(t.conn.db, processor, at(after.nextRunOn))),
    );
    expect(
      next
        .flat()
        .filter((r) => r.scheduleId === made.id)
        .map((r) => r.runOn),
    ).toEqual([after.nextRunOn]);
    expect(await schedulePayments()).toHaveLength(2);
    expect((await call(t, firm.accountant, 'POST', `/payment-schedules/${made.id}/cancel`, {})).statusCode).toBe(200);
  });

  it('records a declined run, to be retried the next day, and moves on to the next date', async () => {
    const made = await schedule({ token: (await cardToken(t, CARDS.insufficientFunds)).token, interval: 'weekly' });
    const before = await countRows(t, firm.id, 'payments');
    const [run] = (await runDueSchedules(t.conn.db, processor, at(today))).filter((r) => r.scheduleId === made.id);
    expect(run).toMatchObject({ status: 'declined', reason: 'insufficient funds' });
    expect(await countRows(t, firm.id, 'payments')).toBe(before);
    const after = await runsOf(made.id);
    expect(after.runs).toEqual([
      {
        runOn: today,
        status: 'declined',
        amountCents: 15_000,
        attempts: 1,
        paymentId: null,
        declineReason: 'insufficient funds',
        failedOn: today,
        retryOn: addDays(today, 1),
      },
    ]);
    expect(after.nextRunOn).toBe(addDays(today, 7));
    await call(t, firm.accountant, 'POST', `/payment-schedules/${made.id}/cancel`, {});
  });

  it('finishes a run whose tick died after claiming it, charging once', async () => {
    const made = await schedule({ token: (await bankToken(t, BANK.approves)).token });
    const dying: Processor = {
      describeToken: (firmId, token) => processor.describeToken(firmId, token),
      refund: (f, p) => processor.refund(f, p),
      void: (f, p) => processor.void(f, p),
      payout: (f, p) => processor.payout(f, p),
      vault: (f, token) => processor.vault(f, token),
      // The charge goes through at the processor, then the server dies before recording it.
      charge: async (request) => {
        await processor.charge(request);
        throw new Error('server stopped');
      },
    };
    const [failed] = (await runDueSchedules(t.conn.db, dying, at(today))).filter((r) => r.scheduleId === made.id);
    expect(failed).toMatchObject({ status: 'failed', reason: 'server stopped' });
    expect((await runsOf(made.id)).runs).toEqual([
      {
        runOn: today,
        status: 'claimed',
        amountCents: 15_000,
        attempts: 1,
        paymentId: null,
        declineReason: null,
        failedOn: null,
        retryOn: null,
      },
    ]);
    // Another tick within the claim leaves it alone; one after the claim lapses finishes it.
    expect(
      (await runDueSchedules(t.conn.db, processor, at(today, '12:04:00'))).filter((r) => r.scheduleId === made.id),
    ).toEqual([]);
    const [finished] = (await runDueSchedules(t.conn.db, processor, at(today, '12:05:00'))).filter(
      (r) => r.scheduleId === made.id,
    );
    expect(finished).toMatchObject({ status: 'paid', runOn: today });
    const charges = await t.conn.db
      .selectFrom('sandbox_charges')
      .select('id')
      .where('firm_id', '=', firm.id)
      .where('idempotency_key', '=', `schedule:${made.id}:${today}`)
      .execute();
    expect(charges).toHaveLength(1);
    expect((await schedulePayments()).filter((p) => p.id === finished!.paymentId)).toHaveLength(1);
    await call(t, firm.accountant, 'POST', `/payment-schedules/${made.id}/cancel`, {});
  });

  it("counts today in the firm's time zone: due on its date in Los Angeles, evening included, never on the UTC date", async () => {
    const la = await createTestFirm(t, 'SCHEDLA');
    expect((await call(t, la.admin, 'PATCH', '/settings', { timeZone: 'America/Los_Angeles' })).statusCode).toBe(200);
    const due = addDays(calendarDateIn(new Date(), 'America/Los_Angeles'), 3);
    const res = await call(t, la.accountant, 'POST', '/payment-schedules', {
      token: (await cardToken(t)).token,
      amountCents: 4_200,
      account: 'operating',
      description: 'Monthly fee',
      payerName: 'West Coast Client',
      interval: 'monthly',
      startOn: due,
    });
    expect(res.statusCode, res.body).toBe(201);
    const made = res.json<{ id: string }>();
    const ran = async (now: Date) =>
      (await runDueSchedules(t.conn.db, processor, now)).filter((r) => r.scheduleId === made.id);
    const midnight = dayStartIn(due, 'America/Los_Angeles').getTime();
    // 11:30 pm the evening before is already the due date in UTC, but not in Los Angeles.
    expect(await ran(new Date(midnight - 30 * 60_000))).toEqual([]);
    // 7:30 pm on the due date is the next day in UTC: it runs, for its own date.
    const [run] = await ran(new Date(midnight + 19.5 * 3600_000));
    expect(run).toMatchObject({ runOn: due, status: 'paid' });
    expect((await call(t, la.accountant, 'POST', `/payment-schedules/${made.id}/cancel`, {})).statusCode).toBe(200);
  });

  it("takes a first charge on the firm's today even when UTC has moved on to tomorrow", async () => {
    const tokyo = await createTestFirm(t, 'SCHEDTK');
    const la = await createTestFirm(t, 'SCHEDLA2');
    expect((await call(t, la.admin, 'PATCH', '/settings', { timeZone: 'America/Los_Angeles' })).statusCode).toBe(200);
    expect((await call(t, tokyo.admin, 'PATCH', '/settings', { timeZone: 'Asia/Tokyo' })).statusCode).toBe(200);
    const actor = { kind: 'user' as const, id: null, label: 'test' };
    const input = async (startOn: string) => ({
      token: (await cardToken(t)).token,
      amountCents: cents(1_000),
      account: 'operating' as const,
      description: 'x',
      payerName: 'x',
      interval: 'weekly' as const,
      startOn,
    });
    // 7:30 pm on 31 December 2099 in Los Angeles; already 1 January 2100 in UTC and in Tokyo.
    const now = new Date('2100-01-01T03:30:00Z');
    const made = await createPaymentSchedule(t.conn.db, processor, la.id, actor, await input('2099-12-31'), now);
    expect(made.nextRunOn).toBe('2099-12-31');
    await expect(
      createPaymentSchedule(t.conn.db, processor, la.id, actor, await input('2099-12-30'), now),
    ).rejects.toMatchObject({ code: 'bad_request', details: { field: 'startOn' } });
    await expect(
      createPaymentSchedule(t.conn.db, processor, tokyo.id, actor, await input('2099-12-31'), now),
    ).rejects.toMatchObject({ code: 'bad_request' });
    const early = await createPaymentSchedule(t.conn.db, processor, tokyo.id, actor, await input('2100-01-01'), now);
    // Tokyo's first of January has begun (12:30 pm there); Los Angeles is still on the 31st.
    const runs = (await runDueSchedules(t.conn.db, processor, now)).filter(
      (r) => r.scheduleId === made.id || r.scheduleId === early.id,
    );
    expect(runs.map((r) => [r.scheduleId, r.runOn])).toEqual(
      expect.arrayContaining([
        [made.id, '2099-12-31'],
        [early.id, '2100-01-01'],
      ]),
    );
    expect(runs).toHaveLength(2);
    for (const [firm, id] of [
      [la, made.id],
      [tokyo, early.id],
    ] as const) {
      expect((await call(t, firm.accountant, 'POST', `/payment-schedules/${id}/cancel`, {})).statusCode).toBe(200);
    }
  });

  it('does not run a cancelled schedule', async () => {
    const made = await schedule({ token: (await cardToken(t)).token });
    const cancelled = await call(t, firm.accountant, 'POST', `/payment-schedules/${made.id}/cancel`, {});
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', nextRunOn: null });
    expect((await runDueSchedules(t.conn.db, processor, at(today))).filter((r) => r.scheduleId === made.id)).toEqual(
      [],
    );
    const again = await call(t, firm.accountant, 'POST', `/payment-schedules/${made.id}/cancel`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toMatch(
      /^.+'s schedule of \$[\d,]+\.\d\d is already cancelled: there is nothing left to cancel$/,
    );
    expect(again.json().error.message).not.toContain(made.id);
  });
});
