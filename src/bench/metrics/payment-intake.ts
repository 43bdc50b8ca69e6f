import autocannon from 'autocannon';
import { firmOf, type BenchContext } from '../context.ts';
import { count, ms, verdict, type Row } from '../table.ts';

const CONNECTIONS = 50;
const TARGET_PER_S = 1000;
const P99_LIMIT_MS = 100;

/**
 * Payment intake over HTTP: POST /payments from 50 connections at once (autocannon),
 * each payment new (its own processorId) and naming one of the firm's open invoices,
 * so each is classified against the invoice and gets a posting record.
 */
export async function measurePaymentIntake(ctx: BenchContext): Promise<Row[]> {
  const { userToken } = firmOf(ctx, 'PAY');
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
  await run(Math.min(500, ctx.sizes.payments)); // warm-up: schemas compiled, pool connections open
  const started = performance.now();
  const result = await run(ctx.sizes.payments);
  const elapsed = lastResponseAt - started;
  const created = result.statusCodeStats['201']?.count ?? 0;
  const failed = result.non2xx + result.errors + result.timeouts;
  if (failed > 0)
    ctx.log(
      `payments: ${failed} failed: ${JSON.stringify(result.statusCodeStats)}, errors ${result.errors}, timeouts ${result.timeouts}`,
    );
  const rate = created / (elapsed / 1000);
  ctx.log(
    `payments: ${count(created)} created in ${ms(elapsed)}; p50 ${ms(result.latency.p50)} p99 ${ms(result.latency.p99)}`,
  );
  const note = failed ? `, ${count(failed)} failed` : '';
  return [
    {
      metric: `payment intake, POST /payments from ${CONNECTIONS} connections (autocannon, ${count(ctx.sizes.payments)} payments)`,
      measured: `${count(rate)} payments/s${note}`,
      value: rate,
      target: `≥ ${count(TARGET_PER_S)} payments/s`,
      ratio: '—',
      verdict: verdict(rate >= TARGET_PER_S && failed === 0),
    },
    {
      metric: 'payment intake p99 latency',
      measured: `${ms(result.latency.p99)} (p50 ${ms(result.latency.p50)})`,
      value: result.latency.p99,
      target: `≤ ${ms(P99_LIMIT_MS)}`,
      ratio: '—',
      verdict: verdict(result.latency.p99 <= P99_LIMIT_MS),
    },
  ];
}
