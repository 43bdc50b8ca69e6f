import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type RawBuilder } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueRenderedMail } from '../../src/db/mail-queue.ts';
import { calendarDateIn } from '../../src/domain/dates.ts';
import { startServerProcess, type ServerProcess } from '../cli/harness.ts';
import { call, createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';
import { databaseUrlOf } from '../support/db.ts';
import { syncBasicMms, takePayment } from '../support/fixtures.ts';
import { until } from '../support/live.ts';
import { cardToken } from '../support/processor.ts';

/**
 * Issue 17: three real `paybridge start` processes on one PostgreSQL database, as behind a
 * proxy. Every timed job of src/server/scheduler.ts runs in all three every second; each
 * due item is still done once (each job claims its work in the database), the sign-in rate
 * limit holds in total across them (it counts in the database, migration 0028), and a
 * Post on one instance wakes an agent's long-poll held on another (LISTEN/NOTIFY).
 * PostgreSQL only (vitest.config.ts): PGlite is one process's database.
 */
const SCHEDULES = 5;
const CONNECT_PAYMENTS = 3;
const SIGN_INS_PER_MINUTE = 6;

/** The firm's own system, counting each outbound webhook event it is sent. */
function receiver() {
  const received: string[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      received.push((JSON.parse(body) as { id: string }).id);
      response.end('ok');
    });
  });
  return {
    received,
    start: () => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)),
    url: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/in`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('three server instances on one PostgreSQL database', () => {
  let t: TestApp;
  let firm: TestFirm;
  let live: TestFirm;
  let quiet: TestFirm;
  let dataDir: string;
  const servers: ServerProcess[] = [];
  const hooks = receiver();
  const today = calendarDateIn(new Date(), 'America/New_York');

  beforeAll(async () => {
    // The data is made in this process, with no scheduler; the three processes then find it due.
    t = await startTestApp({ payRequestsPerMinute: 100_000 });
    firm = await createTestFirm(t, 'MULTI');
    live = await createTestFirm(t, 'WAKE');
    await syncBasicMms(t, firm);
    await syncBasicMms(t, live);
    // A firm whose batch has waited 10 minutes for an agent that never came: its admin, who
    // asked for each event by mail, is told once.
    quiet = await createTestFirm(t, 'QUIET');
    await syncBasicMms(t, quiet);
    await takePayment(t, quiet);
    expect((await call(t, quiet.accountant, 'POST', '/postings/post', { all: true })).statusCode).toBe(200);
    // A batch is immutable (a trigger) but for its delivery: this backdates it past the trigger.
    await t.conn.db.transaction().execute(async (tx) => {
      await sql`set local session_replication_role = replica`.execute(tx);
      await sql`update batches set created_at = now() - interval '10 minutes' where firm_id = ${quiet.id}`.execute(tx);
      // Its agent was last heard of when it synced: 10 minutes ago too.
      await sql`update agent_contacts set last_seen_at = now() - interval '10 minutes' where firm_id = ${quiet.id}`.execute(
        tx,
      );
    });
    expect((await call(t, quiet.admin, 'PATCH', '/me/notifications', { mode: 'each' })).statusCode).toBe(200);
    await hooks.start();
    const endpoint = await call(t, firm.admin, 'POST', '/webhook-endpoints', {
      label: 'ERP',
      url: hooks.url(),
      kinds: ['payment.taken'],
    });
    expect(endpoint.statusCode, endpoint.body).toBe(201);
    // Payments of a day that is over: automatic posting batches them, the sandbox pays them out.
    for (let i = 0; i < CONNECT_PAYMENTS; i += 1) await takePayment(t, firm);
    await sql`update firms set auto_post = true, auto_post_minutes = 60, last_auto_post_at = null
      where id = ${firm.id}`.execute(t.conn.db);
    for (let i = 0; i < SCHEDULES; i += 1) {
      const res = await call(t, firm.accountant, 'POST', '/payment-schedules', {
        token: (await cardToken(t)).token,
        amountCents: 10_000 + i,
        account: 'operating',
        description: 'Monthly fee',
        payerName: `Client ${i}`,
        interval: 'monthly',
        startOn: today,
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    await queueRenderedMail(t.conn.db, firm.id, 'payer@multi.test', {
      subject: 'Your payment link',
      text: 'Pay here',
      html: '<p>Pay here</p>',
    });

    dataDir = await mkdtemp(join(tmpdir(), 'pb-instances-'));
    const env = {
      DATABASE_URL: databaseUrlOf(t.conn),
      // One shared outbox folder: a message sent twice would be two files.
      DATA_DIR: dataDir,
      AUTO_POST_CHECK_SECONDS: '1',
      LOGIN_ATTEMPTS_PER_MINUTE: String(SIGN_INS_PER_MINUTE),
      LOG_LEVEL: 'warn',
    };
    servers.push(...(await Promise.all([0, 1, 2].map(() => startServerProcess(env)))));
  }, 120_000);

  afterAll(async () => {
    const codes = await Promise.all(servers.map((s) => s.stop()));
    expect(codes).toEqual(servers.map(() => 0));
    await hooks.close();
    await t?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }, 60_000);

  const count = async (query: RawBuilder<{ n: number }>) => (await query.execute(t.conn.db)).rows[0]!.n;

  it('runs each timed job once per due item, however many instances tick', { timeout: 60_000 }, async () => {
    const db = t.conn.db;
    const paidRuns = () =>
      count(
        sql<{ n: number }>`select count(*)::int as n from schedule_runs where firm_id = ${firm.id} and status = 'paid'`,
      );
    const unsentMail = () =>
      count(sql<{ n: number }>`select count(*)::int as n from mail_queue where status <> 'sent'`);
    const undelivered = () =>
      count(sql<{ n: number }>`select (
        (select count(*) from webhook_deliveries where delivered_at is null) +
        (select count(*) from sandbox_events where delivered_at is null))::int as n`);
    const silences = () =>
      count(sql<{ n: number }>`select count(*)::int as n from staff_events
        where firm_id = ${quiet.id} and kind = 'agent_silent'`);
    const payouts = () => count(sql<{ n: number }>`select count(*)::int as n from payouts where firm_id = ${firm.id}`);
    await until(
      async () =>
        (await paidRuns()) === SCHEDULES &&
        (await payouts()) > 0 &&
        (await silences()) > 0 &&
        (await unsentMail()) === 0 &&
        (await undelivered()) === 0,
      30_000,
      'every due item being done',
    );
    // Three more ticks of every instance, to give a second run of anything the chance to show.
    await new Promise((resolve) => setTimeout(resolve, 3_000));

    // Automatic posting: one batch, holding the firm's pending records of that moment.
    const batches = await db.selectFrom('batches').select(['seq']).where('firm_id', '=', firm.id).execute();
    expect(batches).toEqual([{ seq: 1 }]);
    // Due schedules: each run charged once, one payment each.
    expect(await paidRuns()).toBe(SCHEDULES);
    expect(
      await count(
        sql<{ n: number }>`select count(*)::int as n from sandbox_charges c
          join schedule_runs r on r.firm_id = c.firm_id and r.processor_id = c.id where c.firm_id = ${firm.id}`,
      ),
    ).toBe(SCHEDULES);
    expect(
      await count(
        sql<{
          n: number;
        }>`select count(*)::int as n from payments where firm_id = ${firm.id} and origin = 'payment_schedule'`,
      ),
    ).toBe(SCHEDULES);
    // Outbound webhooks: each payment's event reached the receiver once, in one attempt.
    const deliveries = await db.selectFrom('webhook_deliveries').select(['event_id', 'attempts']).execute();
    expect(deliveries).toHaveLength(CONNECT_PAYMENTS + SCHEDULES);
    expect(deliveries.every((d) => d.attempts === 1)).toBe(true);
    expect([...hooks.received].sort()).toEqual(deliveries.map((d) => d.event_id).sort());
    // The sandbox's settlement: the day that is over paid out once, its payout.paid event
    // sent once and taken in once.
    const sandboxPayouts = await db
      .selectFrom('sandbox_payouts')
      .select(['settled_on', 'amount_cents'])
      .where('firm_id', '=', firm.id)
      .execute();
    expect(sandboxPayouts).toHaveLength(1);
    expect(
      await count(
        sql<{
          n: number;
        }>`select count(*)::int as n from sandbox_settled where firm_id = ${firm.id} and kind = 'payment'`,
      ),
    ).toBe(CONNECT_PAYMENTS);
    expect(await payouts()).toBe(1);
    const events = await db.selectFrom('sandbox_events').select(['attempts']).execute();
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.attempts === 1)).toBe(true);
    // Agent silence: noticed once, its mail queued once for the admin.
    expect(await silences()).toBe(1);
    expect(
      await count(
        sql<{ n: number }>`select count(*)::int as n from mail_queue where firm_id = ${quiet.id} and kind = 'event'`,
      ),
    ).toBe(1);
    // Mail: the queued link, the receipts and the notice, each sent once: one outbox file per message.
    const mail = await db.selectFrom('mail_queue').select(['attempts', 'via']).execute();
    expect(mail.length).toBeGreaterThan(0);
    expect(mail.every((m) => m.attempts === 1)).toBe(true);
    const files = (await readdir(join(dataDir, 'outbox'))).filter((f) => f.endsWith('.eml'));
    expect(files.sort()).toEqual(mail.map((m) => m.via).sort());
  });

  it('holds the sign-in rate limit in total across the three', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < SIGN_INS_PER_MINUTE + 3; i += 1) {
      const res = await fetch(`${servers[i % 3]!.url}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: `nobody${i}@multi.test`, password: 'wrong password' }),
      });
      statuses.push(res.status);
    }
    // Each instance saw 3 attempts, under the limit of 6: only counting in total refuses the last 3.
    expect(statuses).toEqual([...Array<number>(SIGN_INS_PER_MINUTE).fill(401), 429, 429, 429]);
  });

  it("wakes an agent's long-poll held on one instance when another makes the batch", async () => {
    await takePayment(t, live);
    const held = (async () => {
      const started = performance.now();
      const res = await fetch(`${servers[2]!.url}/api/v1/agent/batches?waitSeconds=30`, {
        headers: { authorization: `Bearer ${live.agent}` },
      });
      return { items: ((await res.json()) as { items: { id: string }[] }).items, started, at: performance.now() };
    })();
    // Long enough for the request to be held before the Post; the answer proves it was.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const posted = await fetch(`${servers[0]!.url}/api/v1/postings/post`, {
      method: 'POST',
      headers: { authorization: `Bearer ${live.accountant}`, 'content-type': 'application/json' },
      body: JSON.stringify({ all: true }),
    });
    expect(posted.status).toBe(200);
    const postedAt = performance.now();
    const batch = ((await posted.json()) as { batch: { id: string } }).batch;
    const answer = await held;
    expect(answer.items.map((i) => i.id)).toEqual([batch.id]);
    expect(postedAt - answer.started).toBeGreaterThan(900); // it was waiting when the Post came…
    expect(answer.at - postedAt).toBeLessThan(2_000); // …and answered at once, well before its 30 s
  });
});
