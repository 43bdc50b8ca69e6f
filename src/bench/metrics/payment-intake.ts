import { randomUUID } from 'node:crypto';
import { createServer, connect, type AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import pg from 'pg';
import { firmOf, type BenchContext } from '../context.ts';
import type { BenchDatabase } from '../database.ts';
import { count, judge, ms, quietMachine, ratiosTo, RUNS, spreadOf, times, withSpread, type Row } from '../table.ts';

const CONNECTIONS = 50;
/** Issue 18: at least half the rate of the bare loop; 2,000/s and p99 ≤ 50 ms on a quiet machine. */
export const MIN_RATIO = 0.5;
const TARGET_PER_S = 2000;
const P99_LIMIT_MS = 50;

/**
 * The database's own limit for intake: the rows one payment makes (its payment and its
 * posting record, copies of one the dataset holds), inserted in one transaction each, one
 * statement per transaction, in a loop on each of 50 connections; into tables made `like`
 * payments and posting_records (the same columns, checks and indexes, no triggers), dropped
 * afterwards. The rate, in payments a second.
 */
async function bareInsertLoopPerS(url: string, firmId: string, n: number): Promise<number> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const clients: pg.Client[] = [];
  try {
    await admin.query(`create table bench_floor_payments (like payments including all);
      create table bench_floor_records (like posting_records including all)`);
    const sample = await admin.query<{ p: Record<string, unknown>; r: Record<string, unknown> }>(
      `select to_jsonb(p) as p, to_jsonb(r) as r from payments p
        join posting_records r on r.firm_id = p.firm_id and r.payment_id = p.id
        where p.firm_id = $1 and r.reversal_of is null and r.replaces is null limit 1`,
      [firmId],
    );
    const { p, r } = sample.rows[0] ?? {};
    if (!p || !r) throw new Error(`the firm ${firmId} has no payment with a posting record to copy for the floor`);
    const insert = `with p as (insert into bench_floor_payments select * from jsonb_populate_record(null::bench_floor_payments, $1::jsonb))
      insert into bench_floor_records select * from jsonb_populate_record(null::bench_floor_records, $2::jsonb)`;
    for (let i = 0; i < CONNECTIONS; i += 1) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      clients.push(client);
    }
    let next = 0;
    const started = performance.now();
    await Promise.all(
      clients.map(async (client) => {
        while (next < n) {
          next += 1;
          const paymentId = randomUUID();
          await client.query(insert, [
            { ...p, id: paymentId, processor_id: `floor_${next}` },
            { ...r, id: randomUUID(), payment_id: paymentId },
          ]);
        }
      }),
    );
    return n / ((performance.now() - started) / 1000);
  } finally {
    await Promise.all(clients.map((c) => c.end()));
    await admin.query('drop table if exists bench_floor_payments; drop table if exists bench_floor_records');
    await admin.end();
  }
}

/** The loopback's round trip: a byte to a TCP echo server in this process and back, the median of 200. */
export async function loopbackRoundTripMs(): Promise<number> {
  const server = createServer((socket) => socket.on('data', (data) => socket.write(data)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
  socket.setNoDelay(true);
  try {
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const trips: number[] = [];
    for (let i = 0; i < 200; i += 1) {
      const started = performance.now();
      await new Promise<void>((resolve) => {
        socket.once('data', () => resolve());
        socket.write('x');
      });
      trips.push(performance.now() - started);
    }
    return spreadOf(trips).median;
  } finally {
    socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/**
 * Payment intake over HTTP: POST /payments from 50 connections at once (autocannon),
 * each payment new (its own processorId) and naming one of the firm's open invoices,
 * so each is classified against the invoice and gets a posting record; RUNS times, each
 * after a run of the bare insert loop (its floor, on PostgreSQL), so the two of a pair
 * meet the same load.
 */
export async function measurePaymentIntake(ctx: BenchContext, database: BenchDatabase): Promise<Row[]> {
  const { id: firmId, userToken } = firmOf(ctx, 'PAY');
  const plan = ctx.dataset.firms.get('PAY')!.plan;
  let n = 0;
  const nextBody = () => {
    n += 1;
    // Invoice numbers divisible by 20 are paid: pick among the open ones.
    let g = 1 + ((n * 7919) % plan.invoices);
    if (g % 20 === 0) g -= 1;
    return JSON.stringify({
      processorId: `bench_${process.pid}_${n}`,
      origin: 'connect',
      amountCents: 100 + (n % 4900),
      method: 'card',
      cardBrand: 'visa',
      last4: '4242',
      account: 'operating',
      payerName: `Payer ${n % 1000}`,
      invoiceNumbers: [`INV-${String(g).padStart(7, '0')}`],
      clientNumber: `C${String(((g - 1) % plan.clients) + 1).padStart(6, '0')}`,
      processedAt: new Date().toISOString(),
    });
  };
  // autocannon notices that it is done on its once-a-second tick, so its own duration is
  // rounded up to whole seconds; the rate is measured to the last response instead.
  let lastResponseAt = 0;
  const run = (amount: number) =>
    autocannon({
      url: ctx.server.api.replace(/\/api\/v1$/, ''),
      connections: CONNECTIONS,
      amount,
      timeout: 30,
      requests: [
        {
          method: 'POST',
          path: '/api/v1/payments',
          headers: { authorization: `Bearer ${userToken}`, 'content-type': 'application/json' },
          setupRequest: (request) => ({ ...request, body: nextBody() }),
          onResponse: () => {
            lastResponseAt = performance.now();
          },
        },
      ],
    });
  await run(Math.min(500, Math.round(ctx.sizes.payments / 2))); // warm-up: schemas compiled, pool connections open
  const url = 'databaseUrl' in database.target ? database.target.databaseUrl : null;
  const rates: number[] = [];
  const floors: number[] = [];
  const p99s: number[] = [];
  const p50s: number[] = [];
  let failed = 0;
  for (let i = 0; i < RUNS; i += 1) {
    if (url) floors.push(await bareInsertLoopPerS(url, firmId, ctx.sizes.payments));
    const started = performance.now();
    const result = await run(ctx.sizes.payments);
    const created = result.statusCodeStats['201']?.count ?? 0;
    const runFailed = result.non2xx + result.errors + result.timeouts;
    if (runFailed > 0)
      ctx.log(
        `payments: ${runFailed} failed: ${JSON.stringify(result.statusCodeStats)}, errors ${result.errors}, timeouts ${result.timeouts}`,
      );
    failed += runFailed;
    rates.push(created / ((lastResponseAt - started) / 1000));
    p99s.push(result.latency.p99);
    p50s.push(result.latency.p50);
  }
  const rate = spreadOf(rates);
  const p99 = spreadOf(p99s);
  const p50 = spreadOf(p50s);
  const rtt = await loopbackRoundTripMs();
  const perS = (v: number) => `${count(v)}/s`;
  const ratio = floors.length > 0 ? ratiosTo(rates, floors) : null;
  ctx.log(
    `payments: ${withSpread(rate, perS)}${floors.length > 0 ? `; bare insert loop ${withSpread(spreadOf(floors), perS)}` : ''}; ` +
      `p50 ${withSpread(p50, ms)} p99 ${withSpread(p99, ms)}; loopback round trip ${ms(rtt)}`,
  );
  const note = failed ? `, ${count(failed)} failed` : '';
  const rateOk = rate.median >= TARGET_PER_S && failed === 0;
  return [
    {
      metric: `payment intake, POST /payments from ${CONNECTIONS} connections (autocannon, ${count(ctx.sizes.payments)} payments a run)`,
      measured: `${withSpread(rate, perS)}${note}`,
      value: rate.median,
      target: `≥ ${MIN_RATIO}× the bare insert loop; ${quietMachine(`≥ ${count(TARGET_PER_S)}/s`, rateOk)}`,
      ratio: ratio
        ? `${withSpread(ratio, times)} a bare loop of the same rows (payment and record) inserted one transaction each over ${CONNECTIONS} connections (${withSpread(spreadOf(floors), perS)})`
        : 'floor not measured: PGlite has one connection, held by the server',
      verdict:
        failed > 0
          ? 'MISS'
          : judge(ratio ? { ratio: ratio.median, limit: MIN_RATIO, bound: 'at least' } : null, rateOk),
    },
    {
      metric: 'payment intake p99 latency',
      measured: `${withSpread(p99, ms)}; p50 ${ms(p50.median)}`,
      value: p99.median,
      target: `≤ ${ms(P99_LIMIT_MS)} (absolute: no floor of its own; the rate above has one)`,
      ratio: `physical limit: a loopback round trip ${ms(rtt)}; the p50 is ${count(p50.median / rtt)}× it`,
      verdict: judge(null, p99.median <= P99_LIMIT_MS),
    },
  ];
}
