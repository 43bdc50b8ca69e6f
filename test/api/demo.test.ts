import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REASONS, ORIGINS, RECORD_STATUSES } from '../../src/domain/types.ts';
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from '../../src/usecases/demo/seed-demo.ts';
import { addDays } from '../../src/domain/dates.ts';
import { payOutDemoDays } from '../../src/cli/demo-payouts.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

describe('the first-run demo firm', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await seedDemo(t.conn.db, new Date('2026-11-27T12:00:00Z'));
    await payOutDemoDays(t.conn.db, new Date('2026-11-27T12:00:00Z'));
  });
  afterAll(async () => t.close());

  it('covers every origin, every record status and every conflict reason but payment_reversed', async () => {
    const origins = await t.conn.db.selectFrom('payments').select('origin').distinct().execute();
    expect(origins.map((o) => o.origin).sort()).toEqual([...ORIGINS].sort());
    const statuses = await t.conn.db.selectFrom('posting_records').select('status').distinct().execute();
    expect(statuses.map((s) => s.status).sort()).toEqual([...RECORD_STATUSES].sort());
    const reasons = await sql<{
      reason: string;
    }>`select distinct unnest(reasons) as reason from posting_records`.execute(t.conn.db);
    expect(reasons.rows.map((r) => r.reason).sort()).toEqual([...REASONS].sort());
    const payments = await t.conn.db
      .selectFrom('payments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(payments.n).toBeGreaterThanOrEqual(40);
  });

  it('keeps its books in Chicago: invoices dated back from the day there, payments in office hours there', async () => {
    const firm = await t.conn.db.selectFrom('firms').select('time_zone').executeTakeFirstOrThrow();
    expect(firm.time_zone).toBe('America/Chicago');
    // 6 am on 27 November in Chicago: the newest invoice (10 days old) is dated the 17th.
    const newest = await t.conn.db
      .selectFrom('invoices')
      .select('invoice_date')
      .where('invoice_number', '=', '24-0170')
      .executeTakeFirstOrThrow();
    expect(newest.invoice_date).toBe('2026-11-17');
    const payments = await t.conn.db.selectFrom('payments').select('processed_at').execute();
    const hour = new Intl.DateTimeFormat('en-US', { timeZone: 'America/Chicago', hour: 'numeric', hourCycle: 'h23' });
    for (const { processed_at } of payments) {
      expect(Number(hour.format(processed_at)), processed_at.toISOString()).toBeGreaterThanOrEqual(9);
      expect(Number(hour.format(processed_at)), processed_at.toISOString()).toBeLessThan(16);
      expect(processed_at.getTime()).toBeLessThanOrEqual(new Date('2026-11-27T12:00:00Z').getTime());
    }
  });

  it('lets the printed demo login sign in', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: DEMO_USERS.accountant, password: DEMO_PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().firm).toMatchObject({ name: 'Hartwell & Finch LLP', timeZone: 'America/Chicago' });
  });

  it('lists its quick-link and schedule payments on the Quick Links and Payment Schedules screens, linked to them', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: DEMO_USERS.viewer, password: DEMO_PASSWORD },
    });
    const cookie = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const get = async (path: string) => {
      const answer = await t.app.inject({ method: 'GET', url: `/api/v1${path}`, headers: { cookie } });
      expect(answer.statusCode, answer.body).toBe(200);
      return answer.json();
    };
    const payments = (await get('/payments?limit=500')).items as { id: string; origin: string; payerName: string }[];
    const quickPayments = payments.filter((p) => p.origin === 'quick_link');
    const schedulePayments = payments.filter((p) => p.origin === 'payment_schedule');
    expect(quickPayments.length).toBeGreaterThan(0);
    expect(schedulePayments.length).toBeGreaterThan(1);

    const links = (await get('/quick-links')).items as { status: string; paymentId: string; payerName: string }[];
    expect(links.map((l) => l.paymentId).sort()).toEqual(quickPayments.map((p) => p.id).sort());
    for (const link of links) {
      expect(link.status).toBe('paid');
      expect(link.payerName).toBe(quickPayments.find((p) => p.id === link.paymentId)!.payerName);
    }

    const schedules = (await get('/payment-schedules')).items as {
      payerName: string;
      status: string;
      paymentsMade: number;
      runs: { status: string; paymentId: string | null; runOn: string }[];
    }[];
    expect(schedules).toHaveLength(1);
    expect(schedules[0]).toMatchObject({ payerName: 'Margaret Holloway', status: 'completed' });
    expect(schedules[0]!.paymentsMade).toBe(schedulePayments.length);
    expect(schedules[0]!.runs.map((r) => r.paymentId).sort()).toEqual(schedulePayments.map((p) => p.id).sort());
    expect(new Set(schedules[0]!.runs.map((r) => r.runOn)).size).toBe(schedulePayments.length);
  });

  it('has a fortnight of payouts to reconcile: every past day paid out, one with a chargeback, lines not yet in the MMS flagged', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: DEMO_USERS.viewer, password: DEMO_PASSWORD },
    });
    const cookie = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const get = async (path: string) => {
      const answer = await t.app.inject({ method: 'GET', url: `/api/v1${path}`, headers: { cookie } });
      expect(answer.statusCode, answer.body).toBe(200);
      return answer.json();
    };
    const payouts = (await get('/deposits?limit=200')).items as {
      id: string;
      settledOn: string;
      paidOn: string;
      chargebacksCents: number;
      unappliedCount: number;
      account: string;
    }[];
    // Payments span about two weeks; each day before 27 November (Chicago) with one is paid out.
    const days = new Set(payouts.map((p) => p.settledOn));
    expect(days.size).toBeGreaterThanOrEqual(10);
    expect([...days].every((d) => d < '2026-11-27')).toBe(true);
    // Each paid the morning after its day, newest first.
    for (const p of payouts) expect(p.paidOn).toBe(addDays(p.settledOn, 1));
    expect(payouts.map((p) => p.settledOn)).toEqual([...payouts.map((p) => p.settledOn)].sort().reverse());
    expect(payouts.filter((p) => p.chargebacksCents < 0)).toHaveLength(1);
    expect(payouts.some((p) => p.account === 'trust')).toBe(true);
    const flagged = payouts.find((p) => p.unappliedCount > 0)!;
    const lines = (await get(`/deposits/${flagged.id}`)).lines as { mmsState: string; needsAttention: boolean }[];
    expect(lines.filter((l) => l.needsAttention)).toHaveLength(flagged.unappliedCount);
    const states = new Set(
      (
        await Promise.all(payouts.map(async (p) => (await get(`/deposits/${p.id}`)).lines as { mmsState: string }[]))
      ).flatMap((l) => l.map((x) => x.mmsState)),
    );
    expect(states).toContain('not_posted');
    expect(states).toContain('no_record');
  });
});
