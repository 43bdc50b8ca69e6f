import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, RootOperationNode } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarDateIn } from '../../src/domain/dates.ts';
import type { ChargeRequest } from '../../src/processor/processor.ts';
import { SandboxProcessor } from '../../src/processor/sandbox/sandbox-processor.ts';
import { buildApp } from '../../src/server/app.ts';
import { runDueSchedules } from '../../src/usecases/payment-schedules/run-due-schedules.ts';
import { call, createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';
import { CARDS, cardToken } from '../support/processor.ts';

/** Fails the next insert into payment_schedules as a database going away does (57P01). */
class FailScheduleInsert implements KyselyPlugin {
  armed = false;
  transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
    if (this.armed && node.kind === 'InsertQueryNode' && node.into?.table.identifier.name === 'payment_schedules') {
      this.armed = false;
      throw Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    }
    return node;
  }
  async transformResult({ result }: PluginTransformResultArgs) {
    return result;
  }
}

/** Issue 17: payment schedules under the faults the whole-loop simulation brings. */
describe('payment schedules under faults', () => {
  let t: TestApp;
  let firm: TestFirm;
  const today = calendarDateIn(new Date(), 'America/New_York');
  const body = (token: string) => ({
    token,
    amountCents: 5_000,
    account: 'operating',
    description: 'Monthly fee',
    payerName: 'Recurring Client',
    interval: 'monthly',
    startOn: today,
  });

  beforeAll(async () => {
    t = await startTestApp({ payRequestsPerMinute: 100_000 });
    firm = await createTestFirm(t, 'SCHFLT');
  });
  afterAll(async () => t.close());

  // The card's token stays good after vaulting, so a retry vaults it again (the first
  // reference is left unused): this guards that, rather than mending a fault.
  it('a create that failed after the card was vaulted succeeds when the firm sends it again', async () => {
    const faults = new FailScheduleInsert();
    const app = await buildApp({ db: t.conn.db.withPlugin(faults), listen: t.conn.listen, config: t.config });
    await app.ready();
    try {
      const { token } = await cardToken(t);
      faults.armed = true;
      const first = await app.inject({
        method: 'POST',
        url: '/api/v1/payment-schedules',
        headers: { authorization: `Bearer ${firm.accountant}` },
        payload: body(token),
      });
      expect(first.statusCode, first.body).toBe(503);
      expect(first.headers['retry-after']).toBeDefined();
      const again = await call(t, firm.accountant, 'POST', '/payment-schedules', body(token));
      expect(again.statusCode, again.body).toBe(201);
      const schedules = await t.conn.db
        .selectFrom('payment_schedules')
        .select('id')
        .where('firm_id', '=', firm.id)
        .execute();
      expect(schedules).toHaveLength(1);
    } finally {
      await app.close();
    }
  });

  it("takes today from the app's clock: the simulation's time, the real time by default", async () => {
    const later = new Date(Date.now() + 40 * 86_400_000);
    const app = await buildApp({ db: t.conn.db, listen: t.conn.listen, config: t.config, clock: () => later });
    await app.ready();
    try {
      const made = await app.inject({
        method: 'POST',
        url: '/api/v1/payment-schedules',
        headers: { authorization: `Bearer ${firm.accountant}` },
        payload: body((await cardToken(t)).token),
      });
      expect(made.statusCode, made.body).toBe(400);
      expect(made.json().error.message).toContain(calendarDateIn(later, 'America/New_York'));
    } finally {
      await app.close();
    }
  });

  it('a run whose schedule is cancelled while its charge is declined is missed, with no retry date', async () => {
    const made = await call(t, firm.accountant, 'POST', '/payment-schedules', {
      ...body((await cardToken(t, CARDS.declined)).token),
      payerName: 'Cancelled Meanwhile',
    });
    expect(made.statusCode, made.body).toBe(201);
    const id = made.json<{ id: string }>().id;
    // The processor answers after the firm cancelled: the run was claimed before the cancel.
    const sandbox = new SandboxProcessor(t.conn.db);
    const processor = Object.create(sandbox) as SandboxProcessor;
    processor.charge = async (request: ChargeRequest) => {
      if (!request.idempotencyKey.includes(id)) return sandbox.charge(request);
      const cancelled = await call(t, firm.accountant, 'POST', `/payment-schedules/${id}/cancel`, {});
      expect(cancelled.statusCode, cancelled.body).toBe(200);
      return sandbox.charge(request);
    };
    const outcomes = (await runDueSchedules(t.conn.db, processor, new Date())).filter((o) => o.scheduleId === id);
    expect(outcomes).toMatchObject([{ status: 'missed', paymentId: null }]);

    const shown = (await call(t, firm.viewer, 'GET', '/payment-schedules'))
      .json<{ items: { id: string; status: string; runs: { status: string; retryOn: string | null }[] }[] }>()
      .items.find((s) => s.id === id);
    expect(shown).toMatchObject({ status: 'cancelled', runs: [{ status: 'missed', retryOn: null }] });
    // And no later tick charges it again.
    const tomorrow = new Date(Date.now() + 2 * 86_400_000);
    expect((await runDueSchedules(t.conn.db, sandbox, tomorrow)).filter((o) => o.scheduleId === id)).toEqual([]);
    const charges = await t.conn.db
      .selectFrom('sandbox_charges')
      .select('idempotency_key')
      .where('firm_id', '=', firm.id)
      .where('idempotency_key', 'like', `schedule:${id}%`)
      .execute();
    expect(charges).toHaveLength(1);
  });
});
