import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricsOf } from '../../src/server/app.ts';
import { call, createTestFirm, startTestApp, type TestApp } from '../support/app.ts';
import { syncBasicMms, takePayment } from '../support/fixtures.ts';

const TOKEN = 'metrics-token-for-tests-0123456789';

/** Issue 17: /healthz, /readyz and /metrics for an operator and a load balancer. */
describe('health and metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ metricsToken: TOKEN });
  });
  afterAll(async () => t.close());

  it('answers /healthz while the process runs, and /readyz while the database answers with every migration applied', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready' });

    // A build newer than its database (a migration not applied yet) is not ready.
    const last = await sql<{ name: string }>`select max(name) as name from schema_migrations`.execute(t.conn.db);
    const name = last.rows[0]!.name;
    await sql`delete from schema_migrations where name = ${name}`.execute(t.conn.db);
    try {
      const behind = await t.app.inject({ method: 'GET', url: '/readyz' });
      expect(behind.statusCode).toBe(503);
      expect(behind.headers['retry-after']).toBe('5');
      expect(behind.json()).toEqual({ status: 'not_ready', reason: `migrations not applied: ${name}` });
    } finally {
      await sql`insert into schema_migrations (name) values (${name})`.execute(t.conn.db);
    }
  });

  it('serves Prometheus metrics only with METRICS_TOKEN, counting requests, payments, records, batches and jobs', async () => {
    const firm = await createTestFirm(t, 'METR');
    await syncBasicMms(t, firm);
    await takePayment(t, firm, { invoiceNumbers: ['INV-100'] });
    const posted = await takePayment(t, firm, { invoiceNumbers: ['INV-101'] });
    expect(
      (await call(t, firm.accountant, 'POST', '/postings/post', { ids: [posted.postingRecord.id] })).statusCode,
    ).toBe(200);
    metricsOf(t.app)!.jobRan('automatic posting', 'ok');

    expect((await t.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    const wrong = await t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer nope' } });
    expect(wrong.statusCode).toBe(401);
    const res = await t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const text = res.body;
    expect(text).toMatch(/paybridge_http_request_seconds_count\{route="POST \/api\/v1\/payments",status="2xx"\} 2/);
    expect(text).toMatch(/paybridge_payments_taken_total\{route="POST \/api\/v1\/payments"\} 2/);
    expect(text).toMatch(/paybridge_records\{status="pending"\} 1/);
    expect(text).toMatch(/paybridge_records\{status="queued"\} 1/);
    expect(text).toMatch(/paybridge_batches_waiting 1/);
    expect(text).toMatch(/paybridge_batch_oldest_waiting_seconds \d/);
    expect(text).toMatch(/paybridge_job_runs_total\{job="automatic posting",outcome="ok"\} 1/);
  });

  it('has no /metrics at all without METRICS_TOKEN', async () => {
    const plain = await startTestApp();
    try {
      const res = await plain.app.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(res.statusCode).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
