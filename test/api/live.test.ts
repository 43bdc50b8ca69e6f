import { sql } from 'kysely';
import { payOut } from '../support/processor.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { livePayload, type LiveTopic } from '../../src/db/notify.ts';
import { liveBusOf } from '../../src/server/app.ts';
import {
  call,
  createTestFirm,
  startSecondInstance,
  startTestApp,
  TEST_PASSWORD,
  type TestApp,
  type TestFirm,
} from '../support/app.ts';
import { testEngine } from '../support/db.ts';
import { paymentBody, syncBasicMms, takePayment } from '../support/fixtures.ts';
import { baseUrlOf, cuttableGet, openEvents, timedGet, until, type EventStream } from '../support/live.ts';

/**
 * Live delivery (issue 11, SPEC §5): the agent's long-poll is woken by a Post, the UI's
 * event stream hears its own firm's changes, and neither holds the server's shutdown.
 * Both run over real sockets; the wake-ups go through the database's NOTIFY.
 */

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function signIn(t: TestApp, email: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/session',
    payload: { email, password: TEST_PASSWORD },
  });
  expect(res.statusCode, res.body).toBe(200);
  return {
    session: /pb_session=([^;]+)/.exec(String(res.headers['set-cookie']))![1]!,
    csrf: res.json().csrfToken as string,
  };
}

/** Posts every pending record of the firm; the batch. */
async function postAll(t: TestApp, firm: TestFirm) {
  const res = await call(t, firm.accountant, 'POST', '/postings/post', { all: true });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().batch as { id: string; seq: number };
}

/** The agent acknowledges every batch that waits, so the next test starts with none. */
async function deliverAll(t: TestApp, firm: TestFirm) {
  const items = (await call(t, firm.agent, 'GET', '/agent/batches')).json().items as { id: string; sha256: string }[];
  for (const b of items)
    expect((await call(t, firm.agent, 'POST', `/agent/batches/${b.id}/ack`, { sha256: b.sha256 })).statusCode).toBe(
      200,
    );
}

describe(`live delivery on ${testEngine()}: the agent's long-poll and the UI's event stream`, () => {
  let t: TestApp;
  let a: TestFirm;
  let b: TestFirm;
  let url: string;
  const stats = () => liveBusOf(t.app).stats();

  beforeAll(async () => {
    // A short heartbeat, so that a stream's keep-alive and its sign-in check are seen quickly.
    t = await startTestApp({}, { events: { heartbeatMs: 300 } });
    a = await createTestFirm(t, 'LIVEA');
    b = await createTestFirm(t, 'LIVEB');
    for (const firm of [a, b]) await syncBasicMms(t, firm);
    url = await baseUrlOf(t.app);
  });
  afterAll(async () => t?.close());

  it('a Post wakes a waiting GET /agent/batches?waitSeconds=30 within a second, with the new batch', async () => {
    await takePayment(t, a, { invoiceNumbers: ['INV-100'] });
    const before = stats();
    const held = timedGet(url, '/agent/batches?waitSeconds=30', bearer(a.agent));
    await until(() => stats().requests === before.requests + 1, 5_000, 'the long-poll being held');
    await new Promise((r) => setTimeout(r, 200)); // it is waiting, not reading
    const batch = await postAll(t, a);
    const posted = performance.now();
    const answer = await held;
    expect(answer.status, answer.body).toBe(200);
    expect((answer.json() as { items: { id: string }[] }).items.map((i) => i.id)).toEqual([batch.id]);
    expect(answer.at - posted).toBeLessThan(1_000);
    await until(
      () => stats().requests === before.requests && stats().subscribers === before.subscribers,
      2_000,
      'the long-poll letting go',
    );
    await deliverAll(t, a);
  });

  it('answers empty after the wait when no batch is made, whatever another firm posts meanwhile', async () => {
    const before = stats();
    const held = timedGet(url, '/agent/batches?waitSeconds=2', bearer(a.agent));
    await until(() => stats().requests === before.requests + 1);
    await takePayment(t, b, { invoiceNumbers: ['INV-100'] });
    await postAll(t, b);
    const answer = await held;
    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual({ items: [] });
    expect(answer.ms).toBeGreaterThanOrEqual(1_900);
    expect(answer.ms).toBeLessThan(4_000);
    await deliverAll(t, b);
  });

  it("keeps today's answer: at once without waitSeconds or with 0, and at once when a batch already waits", async () => {
    const empty = await timedGet(url, '/agent/batches', bearer(a.agent));
    expect(empty.json()).toEqual({ items: [] });
    expect((await timedGet(url, '/agent/batches?waitSeconds=0', bearer(a.agent))).json()).toEqual({ items: [] });
    await takePayment(t, a, { invoiceNumbers: ['INV-101'] });
    const batch = await postAll(t, a);
    const waiting = await timedGet(url, '/agent/batches?waitSeconds=30', bearer(a.agent));
    expect((waiting.json() as { items: { id: string }[] }).items.map((i) => i.id)).toEqual([batch.id]);
    expect(waiting.ms).toBeLessThan(1_000);
    await deliverAll(t, a);
  });

  it('refuses a waitSeconds that is not a whole number from 0 to 55, naming it', async () => {
    for (const bad of ['56', '-1', '1.5', 'soon']) {
      const res = await call(t, a.agent, 'GET', `/agent/batches?waitSeconds=${bad}`);
      expect(res.statusCode, bad).toBe(400);
      expect(res.body).toContain('waitSeconds');
    }
  });

  it('lets go of a long-poll and a stream whose client leaves: nothing stays subscribed', async () => {
    const before = stats();
    const held = cuttableGet(url, '/agent/batches?waitSeconds=30', bearer(a.agent));
    const stream = await openEvents(url, bearer(a.viewer));
    await until(() => stats().requests === before.requests + 2 && stats().subscribers === before.subscribers + 2);
    held.cut();
    stream.close();
    await held.done;
    await until(
      () => stats().requests === before.requests && stats().subscribers === before.subscribers,
      2_000,
      'both letting go',
    );
  });

  it("streams the firm's own events, and none of another firm's", async () => {
    const sa = await openEvents(url, bearer(a.viewer));
    const sb = await openEvents(url, bearer(b.viewer));
    try {
      expect(sa.status).toBe(200);
      expect(sa.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      expect(sa.headers['cache-control']).toContain('no-store');
      expect(sa.retry).toBe(3000);

      await takePayment(t, a, { invoiceNumbers: ['INV-102'] });
      expect((await sa.next((e) => e.event === 'postings.changed')).data).toBe('{}');
      let from = sa.events.length;
      const batch = await postAll(t, a);
      await sa.next((e) => e.event === 'batches.changed', 5_000, from);
      await sa.next((e) => e.event === 'postings.changed', 5_000, from);
      from = sa.events.length;
      const file = await call(t, a.agent, 'GET', `/agent/batches/${batch.id}/file`);
      expect(
        (await call(t, a.agent, 'POST', `/agent/batches/${batch.id}/ack`, { sha256: String(file.headers['x-sha256']) }))
          .statusCode,
      ).toBe(200);
      for (const topic of ['postings.changed', 'batches.changed', 'connect.changed'] satisfies LiveTopic[])
        await sa.next((e) => e.event === topic, 5_000, from);

      // Firm B has heard nothing so far. Its own change now comes after anything of A's
      // that could have been written to its socket, so none of those came either.
      expect(sb.events).toEqual([]);
      await call(t, b.admin, 'PATCH', '/settings', { usePostedDate: true });
      await sb.next((e) => e.event === 'postings.changed');
      expect(sb.events.map((e) => e.event)).toEqual(['postings.changed']);
    } finally {
      sa.close();
      sb.close();
    }
  });

  it('sends a burst of changes of one kind as a few events, the last of them after the burst', async () => {
    const stream = await openEvents(url, bearer(a.viewer));
    try {
      // 30 changes over 0.6 s: about one event per 250 ms, not 30.
      for (let i = 0; i < 30; i++) {
        await sql`select pg_notify('paybridge', ${livePayload(a.id, 'postings.changed')})`.execute(t.conn.db);
        await new Promise((r) => setTimeout(r, 20));
      }
      await stream.next((e) => e.event === 'postings.changed');
      await new Promise((r) => setTimeout(r, 600));
      expect(stream.events.length).toBeGreaterThanOrEqual(2);
      expect(stream.events.length).toBeLessThanOrEqual(8);
      expect(new Set(stream.events.map((e) => e.event))).toEqual(new Set(['postings.changed']));
    } finally {
      stream.close();
    }
  });

  it('tells of each kind of change: intake, edit, remove, move to pending, the MMS answer, a sync, tokens and contact', async () => {
    const heard: LiveTopic[] = [];
    const unsubscribe = liveBusOf(t.app).subscribe(a.id, (topic) => heard.push(topic));
    const expectNews = async (what: string, topics: LiveTopic[], act: () => Promise<unknown>) => {
      heard.length = 0;
      await act();
      await until(
        () => topics.every((topic) => heard.includes(topic)),
        2_000,
        `${what}: ${topics.join(', ')} (heard ${heard.join(', ')})`,
      );
    };
    try {
      let record = (await takePayment(t, a, { invoiceNumbers: ['NOPE-1'] })).postingRecord;
      await expectNews('an edit', ['postings.changed'], async () => {
        const res = await call(t, a.accountant, 'PATCH', `/postings/${record.id}`, {
          version: record.version,
          allocations: [{ invoiceNumber: 'INV-103', amountCents: 25000 }],
        });
        expect(res.statusCode, res.body).toBe(200);
        record = res.json();
      });
      await expectNews('a removal', ['postings.changed'], () =>
        call(t, a.accountant, 'POST', '/postings/remove', { ids: [record.id] }),
      );
      await expectNews('a move to pending', ['postings.changed'], () =>
        call(t, a.accountant, 'POST', '/postings/move-to-pending', { ids: [record.id] }),
      );
      await takePayment(t, a, { invoiceNumbers: ['INV-100'] });
      const batch = await postAll(t, a);
      const file = await call(t, a.agent, 'GET', `/agent/batches/${batch.id}/file`);
      await call(t, a.agent, 'POST', `/agent/batches/${batch.id}/ack`, {
        sha256: String(file.headers['x-sha256']),
        expectAnswer: true,
      });
      await expectNews("the MMS's answer", ['postings.changed', 'batches.changed'], () =>
        call(t, a.agent, 'POST', `/agent/batches/${batch.id}/outcome`, {
          outcome: 'rejected',
          message: 'period closed',
        }),
      );
      // The sync brings the invoice an incomplete record names: it is judged again.
      await takePayment(t, a, { invoiceNumbers: ['INV-900'] });
      await expectNews('a sync that re-classifies', ['postings.changed', 'connect.changed'], () =>
        call(t, a.agent, 'POST', '/agent/sync', {
          clients: [],
          matters: [],
          full: false,
          invoices: [
            {
              invoiceNumber: 'INV-900',
              clientNumber: 'C1',
              matterNumber: 'M1',
              invoiceDate: '2026-04-01',
              totalCents: 50000,
              balanceCents: 50000,
              status: 'open',
            },
          ],
        }),
      );
      const payment = await takePayment(t, a, { invoiceNumbers: ['INV-104'], clientNumber: 'C2' });
      await expectNews('a reversal', ['postings.changed'], () =>
        call(t, a.accountant, 'POST', `/payments/${payment.payment.id}/reverse`, { kind: 'refund' }),
      );
      await expectNews('intake', ['postings.changed'], () =>
        takePayment(t, a, { invoiceNumbers: ['INV-104'], clientNumber: 'C2' }),
      );
      const token = await call(t, a.admin, 'POST', '/tokens', { kind: 'agent', label: 'second' });
      expect(token.statusCode).toBe(201);
      await expectNews('an agent token revoked', ['connect.changed'], () =>
        call(t, a.admin, 'DELETE', `/tokens/${token.json().id}`),
      );
      await expectNews('a payout recorded', ['deposits.changed'], () =>
        payOut(t, new Date(Date.now() + 2 * 24 * 3600_000), a.id),
      );

      // A payment that makes no posting record, and a read, are no news. Notifications of
      // the steps above may still be on their way (NOTIFY is delivered after the commit,
      // on its own connection): wait until the bus has been quiet for a while first.
      for (let seen = -1; seen !== heard.length;) {
        seen = heard.length;
        await new Promise((r) => setTimeout(r, 300));
      }
      heard.length = 0;
      expect(
        (await call(t, a.accountant, 'POST', '/payments', paymentBody({ origin: 'enter_payment' }))).statusCode,
      ).toBe(201);
      await call(t, a.viewer, 'GET', '/postings?view=all');
      await new Promise((r) => setTimeout(r, 300));
      expect(heard).toEqual([]);
    } finally {
      unsubscribe();
      await deliverAll(t, a);
    }
  });

  it('needs no CSRF header with a session cookie, ignores an Idempotency-Key, and counts against no rate limit', async () => {
    const { session } = await signIn(t, a.emails.viewer);
    const keysBefore = await sql<{ n: number }>`select count(*)::int as n from idempotency_keys`.execute(t.conn.db);
    // More at once than sign-in (10 a minute) or a payment page (30 a minute) allows.
    const streams: EventStream[] = [];
    try {
      for (let i = 0; i < 35; i++)
        streams.push(await openEvents(url, { cookie: `pb_session=${session}`, 'idempotency-key': `stream-${i}` }));
      expect(streams.map((s) => s.status)).toEqual(streams.map(() => 200));
      const keysAfter = await sql<{ n: number }>`select count(*)::int as n from idempotency_keys`.execute(t.conn.db);
      expect(keysAfter.rows[0]!.n).toBe(keysBefore.rows[0]!.n);
    } finally {
      for (const s of streams) s.close();
    }
  });

  it('sends a comment at each heartbeat, and ends the stream once its sign-in has ended', async () => {
    const { session, csrf } = await signIn(t, a.emails.accountant);
    const stream = await openEvents(url, { cookie: `pb_session=${session}` });
    await until(() => stream.comments.includes('keep-alive'), 3_000, 'a keep-alive comment');
    const out = await t.app.inject({
      method: 'DELETE',
      url: '/api/v1/session',
      cookies: { pb_session: session },
      headers: { 'x-csrf-token': csrf },
    });
    expect(out.statusCode).toBeLessThan(300);
    let ended = false;
    void stream.ended.then(() => (ended = true));
    await until(() => ended, 3_000, 'the stream ending');
  });

  it('is in the OpenAPI document: the stream, the long-poll with waitSeconds, and the agent headers', async () => {
    const doc = (await call(t, null, 'GET', '/openapi.json')).json<{
      paths: Record<
        string,
        {
          get: {
            parameters?: { in: string; name: string }[];
            responses: Record<string, { content: Record<string, unknown> }>;
          };
        }
      >;
    }>();
    expect(Object.keys(doc.paths['/api/v1/events']!.get.responses['200']!.content)).toEqual(['text/event-stream']);
    const names = (doc.paths['/api/v1/agent/batches']!.get.parameters ?? []).map((p) => `${p.in} ${p.name}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'query waitSeconds',
        'header x-paybridge-agent-version',
        'header x-paybridge-agent-host',
        'header x-paybridge-agent-source',
        'header x-paybridge-agent-sink',
        'header x-paybridge-agent-poll-seconds',
      ]),
    );
    expect(doc.paths['/api/v1/connect/status']).toBeDefined();
  });

  it('refuses an agent token and no sign-in at all', async () => {
    const agent = await openEvents(url, bearer(a.agent));
    expect(agent.status).toBe(403);
    const nobody = await openEvents(url, {});
    expect(nobody.status).toBe(401);
  });
});

describe(`shutdown with live requests open (${testEngine()})`, () => {
  it('closes promptly: held long-polls answer, and event streams end', async () => {
    const t = await startTestApp();
    let closed = false;
    try {
      const firm = await createTestFirm(t, 'LIVEC');
      const url = await baseUrlOf(t.app);
      const polls = [1, 2, 3].map(() => timedGet(url, '/agent/batches?waitSeconds=55', bearer(firm.agent)));
      const streams = await Promise.all([openEvents(url, bearer(firm.viewer)), openEvents(url, bearer(firm.admin))]);
      await until(() => liveBusOf(t.app).stats().requests === 5, 5_000, 'five live requests');
      const started = performance.now();
      await t.app.close();
      const took = performance.now() - started;
      closed = true;
      expect(took).toBeLessThan(2_000);
      for (const answer of await Promise.all(polls)) {
        expect(answer.status).toBe(200);
        expect(answer.json()).toEqual({ items: [] });
        expect(answer.ms).toBeLessThan(5_000);
      }
      await Promise.all(streams.map((s) => s.ended));
      expect(liveBusOf(t.app).stats()).toMatchObject({ subscribers: 0, requests: 0 });
    } finally {
      if (!closed) await t.app.close();
      await t.conn.close();
    }
  });
});

// PGlite is one process, whose data a second process cannot open: there the wake-up goes
// through PGlite's own listen(), which the tests above use. Several instances need PostgreSQL.
const onPostgresOnly = testEngine() === 'postgres' ? describe : null;

onPostgresOnly?.('two server instances on one PostgreSQL database', () => {
  let t: TestApp;
  let second: TestApp | undefined;
  let firm: TestFirm;

  beforeAll(async () => {
    t = await startTestApp();
    firm = await createTestFirm(t, 'LIVED');
    await syncBasicMms(t, firm);
    second = await startSecondInstance(t);
  });
  afterAll(async () => {
    await second?.close();
    await t?.close();
  });

  it('a Post on one instance wakes the long-poll held by the other, and its event stream', async () => {
    const other = second!;
    const url2 = await baseUrlOf(other.app);
    const stream = await openEvents(url2, bearer(firm.viewer));
    try {
      await takePayment(t, firm, { invoiceNumbers: ['INV-100'] });
      await stream.next((e) => e.event === 'postings.changed');
      const held = timedGet(url2, '/agent/batches?waitSeconds=30', bearer(firm.agent));
      await until(() => liveBusOf(other.app).stats().requests === 2);
      await new Promise((r) => setTimeout(r, 200));
      const from = stream.events.length;
      const batch = await postAll(t, firm); // on the first instance
      const posted = performance.now();
      const answer = await held;
      expect((answer.json() as { items: { id: string }[] }).items.map((i) => i.id)).toEqual([batch.id]);
      expect(answer.at - posted).toBeLessThan(1_000);
      await stream.next((e) => e.event === 'batches.changed', 2_000, from);
      await deliverAll(t, firm);
    } finally {
      stream.close();
    }
  });

  it('listens again when its LISTEN connection is cut, tells every stream to look again, and wakes long-polls as before', async () => {
    const other = second!;
    const url2 = await baseUrlOf(other.app);
    const stream = await openEvents(url2, bearer(firm.viewer));
    try {
      const drops = liveBusOf(other.app).stats().drops;
      const cut = await sql<{ n: number }>`
        select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
        where datname = current_database() and application_name = 'paybridge-listen'`.execute(t.conn.db);
      expect(cut.rows[0]!.n).toBe(2); // one per instance
      await until(() => liveBusOf(other.app).stats().drops > drops, 5_000, 'the drop being seen');
      // What was published while it was down is lost, so every topic is sent once it listens again.
      for (const topic of ['postings.changed', 'batches.changed', 'connect.changed'])
        await stream.next((e) => e.event === topic, 5_000);

      await takePayment(t, firm, { invoiceNumbers: ['INV-101'] });
      const held = timedGet(url2, '/agent/batches?waitSeconds=30', bearer(firm.agent));
      await until(() => liveBusOf(other.app).stats().requests === 2);
      await new Promise((r) => setTimeout(r, 200));
      const batch = await postAll(t, firm);
      const posted = performance.now();
      const answer = await held;
      expect((answer.json() as { items: { id: string }[] }).items.map((i) => i.id)).toEqual([batch.id]);
      expect(answer.at - posted).toBeLessThan(1_000);
      await deliverAll(t, firm);
    } finally {
      stream.close();
    }
  });
});
