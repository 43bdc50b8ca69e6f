import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboundEvent, paymentTakenData } from '../../src/contract/webhook-endpoints.ts';
import type { Db } from '../../src/db/connect.ts';
import { signatureHeader, verifySignature } from '../../src/processor/webhook-signature.ts';
import { deliverWebhooks } from '../../src/usecases/webhook-endpoints/deliver-webhooks.ts';
import { call, createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';
import { connectToSameDatabase, testEngine } from '../support/db.ts';
import { syncBasicMms, takePayment } from '../support/fixtures.ts';

/** What a receiver got: the path it was sent to, the event, and whether its signature held. */
interface Received {
  path: string;
  type: string;
  id: string;
  data: Record<string, unknown>;
  verified: boolean;
}

/**
 * A firm's own system: a node:http server on 127.0.0.1 that checks each delivery's
 * signature with the secret it was given and answers the statuses it is told to, in turn
 * (200 once they run out).
 */
class Receiver {
  readonly received: Received[] = [];
  readonly secrets = new Map<string, string>();
  /** Per path, the statuses to answer in turn. */
  readonly answers = new Map<string, number[]>();
  private server: Server;
  constructor() {
    this.server = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        const path = request.url ?? '';
        const header = request.headers['paybridge-signature'];
        const secret = this.secrets.get(path) ?? 'none';
        const verified = verifySignature(
          secret,
          typeof header === 'string' ? header : undefined,
          body,
          Math.floor(Date.now() / 1000),
        ).ok;
        const event = outboundEvent.parse(JSON.parse(body));
        this.received.push({ path, type: event.type, id: event.id, data: event.data, verified });
        response.statusCode = this.answers.get(path)?.shift() ?? 200;
        response.end('ok');
      });
    });
  }
  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }
  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }
  of(path: string, type?: string): Received[] {
    return this.received.filter((r) => r.path === path && (type === undefined || r.type === type));
  }
  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const sign = signatureHeader;

describe('outbound webhooks', () => {
  let t: TestApp;
  let a: TestFirm;
  let b: TestFirm;
  const receiver = new Receiver();

  /** Adds an endpoint of the firm's at `path` on the receiver, which learns its secret. */
  async function addEndpoint(firm: TestFirm, path: string, kinds: string[], label = path) {
    const res = await call(t, firm.admin, 'POST', '/webhook-endpoints', { label, url: receiver.url(path), kinds });
    expect(res.statusCode, res.body).toBe(201);
    const made = res.json<{ id: string; secret: string }>();
    receiver.secrets.set(path, made.secret);
    return made;
  }
  const log = async (firm: TestFirm, id: string) =>
    (await call(t, firm.admin, 'GET', `/webhook-endpoints/${id}/deliveries`)).json<{
      items: {
        attempt: number;
        statusCode: number | null;
        deliveryStatus: string;
        kind: string;
        nextAttemptAt: string | null;
        durationMs: number;
        error: string | null;
      }[];
    }>().items;

  /** Runs the scheduler's job until nothing is due (retries are not due yet). */
  async function drain(db: Db = t.conn.db) {
    for (let i = 0; i < 5; i += 1) {
      const sent = await deliverWebhooks(db, { sign });
      if (sent.delivered + sent.failed + sent.gaveUp === 0) return;
    }
  }

  beforeAll(async () => {
    await receiver.start();
    t = await startTestApp();
    a = await createTestFirm(t, 'HOOKA');
    b = await createTestFirm(t, 'HOOKB');
    for (const firm of [a, b]) await syncBasicMms(t, firm);
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  it('lets only admins manage endpoints, refuses plain http off this machine, and shows the secret once', async () => {
    const body = { label: 'ERP', url: receiver.url('/refused'), kinds: ['payment.taken'] };
    for (const token of [a.viewer, a.accountant]) {
      expect((await call(t, token, 'POST', '/webhook-endpoints', body)).statusCode).toBe(403);
      expect((await call(t, token, 'GET', '/webhook-endpoints')).statusCode).toBe(403);
    }
    const insecure = await call(t, a.admin, 'POST', '/webhook-endpoints', {
      ...body,
      url: 'http://erp.example.com/in',
    });
    expect(insecure.statusCode).toBe(400);
    expect(insecure.body).toContain('url');
    const unknown = await call(t, a.admin, 'POST', '/webhook-endpoints', { ...body, kinds: ['payment.eaten'] });
    expect(unknown.statusCode).toBe(400);

    const made = await addEndpoint(a, '/secret-once', ['payment.taken']);
    expect(made.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const list = await call(t, a.admin, 'GET', '/webhook-endpoints');
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(made.secret);
    expect(list.json().kinds).toContain('schedule.charge_failed');
    const rotated = await call(t, a.admin, 'POST', `/webhook-endpoints/${made.id}/secret`);
    expect(rotated.statusCode).toBe(200);
    expect(rotated.json().secret).not.toBe(made.secret);
    receiver.secrets.set('/secret-once', rotated.json().secret);
    // Firm B cannot see, change or delete it: 404 like a missing one.
    expect((await call(t, b.admin, 'PATCH', `/webhook-endpoints/${made.id}`, { enabled: false })).statusCode).toBe(404);
    expect((await call(t, b.admin, 'GET', `/webhook-endpoints/${made.id}/deliveries`)).statusCode).toBe(404);
    expect((await call(t, a.admin, 'DELETE', `/webhook-endpoints/${made.id}`)).statusCode).toBe(204);
    expect((await call(t, a.admin, 'GET', '/webhook-endpoints')).json().items).toEqual([]);
  });

  it("delivers each firm's events, signed, only to that firm's endpoints that want their kind", async () => {
    const payments = await addEndpoint(a, '/a-payments', ['payment.taken', 'payment.reversed']);
    const batches = await addEndpoint(a, '/a-batches', ['batch.created', 'batch.delivered']);
    const other = await addEndpoint(b, '/b-all', ['payment.taken', 'batch.created']);

    const taken = await takePayment(t, a, { payerName: 'Delivered Payer' });
    const posted = await call(t, a.accountant, 'POST', '/postings/post', { all: true });
    expect(posted.statusCode, posted.body).toBe(200);
    const reversed = await call(t, a.accountant, 'POST', `/payments/${taken.payment.id}/reverse`, {
      kind: 'chargeback',
    });
    expect(reversed.statusCode, reversed.body).toBe(200);
    await drain();

    expect(receiver.received.every((r) => r.verified)).toBe(true);
    const [payment] = receiver.of('/a-payments', 'payment.taken');
    expect(paymentTakenData.parse(payment!.data)).toMatchObject({
      paymentId: taken.payment.id,
      amountCents: 25000,
      payerName: 'Delivered Payer',
      invoiceNumbers: ['INV-100'],
    });
    expect(receiver.of('/a-payments', 'payment.reversed')[0]!.data).toMatchObject({
      paymentId: taken.payment.id,
      kind: 'chargeback',
    });
    expect(
      receiver
        .of('/a-payments')
        .map((r) => r.type)
        .sort(),
    ).toEqual(['payment.reversed', 'payment.taken']);
    expect(receiver.of('/a-batches').map((r) => r.type)).toEqual(['batch.created']);
    expect(receiver.of('/a-batches')[0]!.data).toMatchObject({ batchId: posted.json().batch.id, recordCount: 1 });
    // Firm B's endpoint heard nothing of firm A.
    expect(receiver.of('/b-all')).toEqual([]);
    const ids = receiver.received.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);

    const entries = await log(a, payments.id);
    expect(entries.map((e) => [e.kind, e.statusCode, e.deliveryStatus]).sort()).toEqual([
      ['payment.reversed', 200, 'delivered'],
      ['payment.taken', 200, 'delivered'],
    ]);
    expect((await log(a, batches.id)).length).toBe(1);
    expect(await log(b, other.id)).toEqual([]);
    // Firm B's own event reaches firm B's endpoint only.
    await takePayment(t, b, { payerName: 'B Payer' });
    await drain();
    expect(receiver.of('/b-all', 'payment.taken').map((r) => r.data.payerName)).toEqual(['B Payer']);
    expect(receiver.of('/a-payments', 'payment.taken').length).toBe(1);
  });

  it('retries a refused delivery after a growing wait, and logs both attempts', async () => {
    const flaky = await addEndpoint(a, '/flaky', ['payment.taken']);
    receiver.answers.set('/flaky', [500]);
    // Only this endpoint wants payments from here on.
    for (const other of (await call(t, a.admin, 'GET', '/webhook-endpoints')).json().items as { id: string }[])
      if (other.id !== flaky.id) await call(t, a.admin, 'PATCH', `/webhook-endpoints/${other.id}`, { enabled: false });
    await takePayment(t, a, { payerName: 'Retried Payer' });
    const start = new Date();
    expect(await deliverWebhooks(t.conn.db, { sign, now: () => start })).toMatchObject({ failed: 1, delivered: 0 });
    let entries = await log(a, flaky.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ attempt: 1, statusCode: 500, deliveryStatus: 'waiting' });
    expect(entries[0]!.error).toContain('500');
    expect(Date.parse(entries[0]!.nextAttemptAt!) - start.getTime()).toBe(30_000);
    // Not due yet: nothing is sent.
    expect(await deliverWebhooks(t.conn.db, { sign, now: () => new Date(start.getTime() + 10_000) })).toMatchObject({
      delivered: 0,
      failed: 0,
    });
    expect(await deliverWebhooks(t.conn.db, { sign, now: () => new Date(start.getTime() + 31_000) })).toMatchObject({
      delivered: 1,
    });
    entries = await log(a, flaky.id);
    expect(entries.map((e) => [e.attempt, e.statusCode, e.deliveryStatus])).toEqual([
      [2, 200, 'delivered'],
      [1, 500, 'delivered'],
    ]);
    expect(receiver.of('/flaky').length).toBe(2);
    expect((await call(t, a.admin, 'PATCH', `/webhook-endpoints/${flaky.id}`, { enabled: false })).statusCode).toBe(
      200,
    );
    // A disabled endpoint is sent nothing new.
    await takePayment(t, a, { payerName: 'Unheard Payer' });
    await drain();
    expect(receiver.received.some((r) => r.data.payerName === 'Unheard Payer')).toBe(false);
  });

  it('gives a delivery up after its last attempt, and says why when nothing answers', async () => {
    // A port nothing listens on: connection refused, every time.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const made = await call(t, a.admin, 'POST', '/webhook-endpoints', {
      label: 'down',
      url: `http://127.0.0.1:${port}/down`,
      kinds: ['batch.created'],
    });
    expect(made.statusCode, made.body).toBe(201);
    const id = made.json().id as string;
    expect((await call(t, a.admin, 'POST', `/webhook-endpoints/${id}/test`)).statusCode).toBe(201);
    let when = Date.now();
    for (let i = 0; i < 8; i += 1) {
      await deliverWebhooks(t.conn.db, { sign, now: () => new Date(when) });
      when += 7 * 60 * 60_000;
    }
    const entries = await log(a, id);
    expect(entries).toHaveLength(8);
    expect(entries.every((e) => e.statusCode === null && e.error !== null)).toBe(true);
    expect(entries[0]!.deliveryStatus).toBe('gave_up');
    expect(entries.map((e) => e.kind)).toContain('webhook.test');
    const listed = (await call(t, a.admin, 'GET', '/webhook-endpoints'))
      .json()
      .items.find((e: { id: string }) => e.id === id);
    expect(listed).toMatchObject({ waiting: 0, gaveUp: 1 });
    expect(await deliverWebhooks(t.conn.db, { sign, now: () => new Date(when) })).toMatchObject({
      delivered: 0,
      failed: 0,
    });
    expect((await call(t, a.admin, 'DELETE', `/webhook-endpoints/${id}`)).statusCode).toBe(204);
  });

  it('delivers each event once when two scheduler runs race', async () => {
    await addEndpoint(a, '/race', ['payment.taken']);
    for (let i = 0; i < 12; i += 1) await takePayment(t, a, { payerName: `Race ${i}` });
    // On PostgreSQL the second run is another server instance's pool; PGlite is one process.
    const second = testEngine() === 'postgres' ? connectToSameDatabase(t.conn) : null;
    try {
      await Promise.all([
        deliverWebhooks(t.conn.db, { sign, limit: 5 }),
        deliverWebhooks(second?.db ?? t.conn.db, { sign, limit: 5 }),
        deliverWebhooks(t.conn.db, { sign, limit: 5 }),
        deliverWebhooks(second?.db ?? t.conn.db, { sign, limit: 5 }),
      ]);
      await drain();
    } finally {
      await second?.close();
    }
    const names = receiver.of('/race').map((r) => String(r.data.payerName));
    expect(names.sort()).toEqual(Array.from({ length: 12 }, (_, i) => `Race ${i}`).sort());
  });
});
