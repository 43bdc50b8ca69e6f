import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from '../db/connect.ts';
import { listMigrations } from '../db/migrate.ts';

/**
 * Health and metrics for an operator (issue 17): `/healthz` answers while the process
 * runs; `/readyz` while the database answers and every migration this build knows is
 * applied (a load balancer sends no traffic to an instance that is not ready); `/metrics`
 * is Prometheus text through prom-client, only with METRICS_TOKEN as a bearer token (unset:
 * the route answers 404, as if it were not there).
 */
export interface Metrics {
  registry: Registry;
  /** A timed job ran: its name and whether it failed. */
  jobRan(job: string, outcome: 'ok' | 'failed'): void;
}

const PAYMENT_ROUTES = new Set([
  'POST /api/v1/payments',
  'POST /api/v1/connect-payments',
  'POST /api/v1/enter-payment',
  'POST /api/v1/pay/:slug/payments',
  'POST /api/v1/pay/link/:token',
  'POST /api/v1/pay/quick/:token',
]);

export function createMetrics(db: Db): Metrics {
  const registry = new Registry();
  const jobs = new Counter({
    name: 'paybridge_job_runs_total',
    help: 'Timed job runs by job and outcome',
    labelNames: ['job', 'outcome'],
    registers: [registry],
  });
  new Gauge({
    name: 'paybridge_records',
    help: 'Posting records by status, summed over firms',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const rows = await sql<{ status: string; n: number }>`
        select status, coalesce(sum(records), 0)::bigint as n from posting_record_tallies group by status`.execute(db);
      this.reset();
      for (const r of rows.rows) this.set({ status: r.status }, r.n);
    },
  });
  new Gauge({
    name: 'paybridge_firms_with_records',
    help: 'Firms that hold posting records in each status',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const rows = await sql<{ status: string; n: number }>`
        select status, count(distinct firm_id)::int as n from posting_record_tallies where records > 0 group by status`.execute(
        db,
      );
      this.reset();
      for (const r of rows.rows) this.set({ status: r.status }, r.n);
    },
  });
  new Gauge({
    name: 'paybridge_batches_waiting',
    help: 'Batches made and not yet delivered by an agent',
    registers: [registry],
    async collect() {
      const row = await sql<{ n: number }>`select count(*)::int as n from batches where status = 'queued'`.execute(db);
      this.set(row.rows[0]!.n);
    },
  });
  new Gauge({
    name: 'paybridge_batch_oldest_waiting_seconds',
    help: 'Age of the oldest batch not yet delivered (0: none waiting)',
    registers: [registry],
    async collect() {
      const row = await sql<{ oldest: Date | null }>`
        select min(created_at) as oldest from batches where status = 'queued'`.execute(db);
      const at = row.rows[0]?.oldest;
      this.set(at ? Math.max(0, (Date.now() - at.getTime()) / 1000) : 0);
    },
  });
  new Gauge({
    name: 'paybridge_agent_last_contact_seconds',
    help: "Seconds since each firm's agent was last heard from, at most: the firm silent longest",
    registers: [registry],
    async collect() {
      const row = await sql<{ oldest: Date | null }>`
        select min(last) as oldest from (select max(last_seen_at) as last from agent_contacts group by firm_id) c`.execute(
        db,
      );
      const at = row.rows[0]?.oldest;
      this.set(at ? Math.max(0, (Date.now() - at.getTime()) / 1000) : 0);
    },
  });
  const latency = new Histogram({
    name: 'paybridge_http_request_seconds',
    help: 'Request latency by route and status class',
    labelNames: ['route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const payments = new Counter({
    name: 'paybridge_payments_taken_total',
    help: 'Payments taken in through the API, by route',
    labelNames: ['route'],
    registers: [registry],
  });
  observers.set(registry, (route, status, seconds) => {
    latency.observe({ route, status: `${Math.floor(status / 100)}xx` }, seconds);
    if (status === 201 && PAYMENT_ROUTES.has(route)) payments.inc({ route });
  });
  return { registry, jobRan: (job, outcome) => jobs.inc({ job, outcome }) };
}

const observers = new WeakMap<Registry, (route: string, status: number, seconds: number) => void>();

const digest = (text: string) => createHash('sha256').update(text).digest();

function bearerMatches(request: FastifyRequest, token: string): boolean {
  const header = request.headers.authorization;
  const given = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : '';
  return timingSafeEqual(digest(given), digest(token));
}

/** Registers /healthz, /readyz and /metrics, and the hook that times every request. */
export function registerHealth(app: FastifyInstance, db: Db, metrics: Metrics, metricsToken: string | undefined) {
  const observe = observers.get(metrics.registry);
  app.addHook('onResponse', async (request, reply) => {
    const url = request.routeOptions.url;
    if (!url || !observe) return;
    observe(`${request.method} ${url}`, reply.statusCode, reply.elapsedTime / 1000);
  });
  const open = { config: { access: 'public' as const, anonymous: true }, schema: { hide: true } };

  app.get('/healthz', open, async () => ({ status: 'ok' }));

  app.get('/readyz', open, async (_request, reply) => {
    const problem = await readinessProblem(db);
    if (problem) return reply.code(503).header('retry-after', '5').send({ status: 'not_ready', reason: problem });
    return { status: 'ready' };
  });

  app.get('/metrics', open, async (request, reply) => {
    if (!metricsToken) return reply.code(404).send({ error: { code: 'not_found', message: 'no route GET /metrics' } });
    if (!bearerMatches(request, metricsToken))
      return reply
        .code(401)
        .send({ error: { code: 'unauthenticated', message: 'send METRICS_TOKEN as a bearer token' } });
    const text = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(text);
  });
}

/** Why this instance should take no traffic yet, or null when it is ready. */
async function readinessProblem(db: Db): Promise<string | null> {
  try {
    const applied = await sql<{ name: string }>`select name from schema_migrations`.execute(db);
    const have = new Set(applied.rows.map((r) => r.name));
    const missing = listMigrations().filter((m) => !have.has(m.name));
    return missing.length > 0 ? `migrations not applied: ${missing.map((m) => m.name).join(', ')}` : null;
  } catch (error) {
    return `the database does not answer: ${error instanceof Error ? error.message : String(error)}`;
  }
}
