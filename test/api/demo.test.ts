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
    const reasons = await sql<{ reason: string }>`select distinct unnest(reasons) as reason from posting_records`.execute(t.conn.db);
    expect(reasons.rows.map((r) => r.reason).sort()).toEqual([...REASONS].sort());
    const payments = await t.conn.db.selectFrom('payments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(payments.n).toBeGreaterThanOrEqual(40);
  });

  it('lets the printed demo login sign in', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: DEMO_USERS.accountant, password: DEMO_PASSWORD } });
    expect(res.statusCode).toBe(200);
    expect(res.json().firm.name).toBe('Hartwell & Finch LLP');
  });
});
