import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REASONS, ORIGINS, RECORD_STATUSES } from '../../src/domain/types.ts';
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from '../../src/usecases/demo/seed-demo.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

describe('the first-run demo firm', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await seedDemo(t.conn.db, new Date('2026-11-27T12:00:00Z'));
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
});
