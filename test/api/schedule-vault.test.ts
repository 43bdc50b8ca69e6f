import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarDateIn } from '../../src/domain/dates.ts';
import { cents } from '../../src/domain/money.ts';
import { SandboxProcessor } from '../../src/processor/sandbox/sandbox-processor.ts';
import { call, createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';
import { cardToken } from '../support/processor.ts';

/**
 * Issue 17's finding, SPEC §7: a payment schedule keeps no processor token, only the
 * processor's vault reference, which charges only for the firm that vaulted it.
 */
describe('a schedule keeps a vault reference, not the token', () => {
  let t: TestApp;
  let a: TestFirm;
  let b: TestFirm;
  beforeAll(async () => {
    t = await startTestApp({ payRequestsPerMinute: 100_000 });
    a = await createTestFirm(t, 'VLTA');
    b = await createTestFirm(t, 'VLTB');
  });
  afterAll(async () => t.close());

  it('stores sbx_pm_… for the schedule, charges with it for its firm, and another firm cannot', async () => {
    const token = (await cardToken(t)).token;
    const made = await call(t, a.accountant, 'POST', '/payment-schedules', {
      token,
      amountCents: 4_200,
      account: 'operating',
      description: 'Monthly retainer',
      payerName: 'Vault Payer',
      interval: 'monthly',
      startOn: calendarDateIn(new Date(), 'America/New_York'),
    });
    expect(made.statusCode, made.body).toBe(201);
    const row = await t.conn.db
      .selectFrom('payment_schedules')
      .select('processor_token')
      .where('firm_id', '=', a.id)
      .executeTakeFirstOrThrow();
    expect(row.processor_token).toMatch(/^sbx_pm_[0-9a-f]{24}$/);
    expect(row.processor_token).not.toBe(token);
    const stored = JSON.stringify(await t.conn.db.selectFrom('payment_schedules').selectAll().execute());
    expect(stored).not.toContain(token);

    const processor = new SandboxProcessor(t.conn.db);
    const charge = (firmId: string, key: string) =>
      processor.charge({ firmId, token: row.processor_token, amountCents: cents(4_200), idempotencyKey: key });
    expect((await charge(a.id, 'vault-a')).status).toBe('approved');
    // The reference is firm A's: for firm B it is no token at all.
    await expect(charge(b.id, 'vault-b')).rejects.toMatchObject({ code: 'invalid_payment_token' });
    expect(await processor.describeToken(b.id, row.processor_token)).toBeNull();
    expect(await processor.describeToken(a.id, row.processor_token)).toMatchObject({ last4: '4242' });
    // Firm B cannot vault firm A's token either.
    expect(await processor.vault(b.id, token)).toBeNull();
  });
});
