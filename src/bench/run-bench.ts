import { loadavg } from 'node:os';
import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import { createBenchDatabase, type BenchDatabase } from './database.ts';
import { generateDataset } from './generate.ts';
import { measureAgentDelivery, type AgentDelivery } from './metrics/agent-delivery.ts';
import { measureDeposits } from './metrics/deposits.ts';
import { measureExport } from './metrics/export.ts';
import { measureListLatency } from './metrics/list-latency.ts';
import { measureLiveDelivery } from './metrics/live-delivery.ts';
import { measureMmsApplied } from './metrics/mms-applied.ts';
import { measureIntakeOnBusyInvoice } from './metrics/intake-open-records.ts';
import { measurePaymentIntake } from './metrics/payment-intake.ts';
import { bareUpdateMs, measurePostAll } from './metrics/post-all.ts';
import { copyBaselineMs, measureSync, syncInvoices, type SyncInvoice } from './metrics/sync.ts';
import { planFirms, postFirmCodes, recordsOf, syncFirmCodes, type FirmPlan } from './plan.ts';
import { startServerProcess } from './server-handle.ts';
import { readScale, sizesFor } from './sizes.ts';
import { count, ms, renderTable, RUNS, type Row } from './table.ts';
import type { BenchContext } from './context.ts';

export interface BenchOptions {
  databaseUrl: string | undefined;
  scale: number;
  /** The groups of metrics to measure (BENCH_ONLY); absent: every one. */
  only?: ReadonlySet<MetricGroup>;
  log?: (message: string) => void;
}

/**
 * The metrics in groups that can run alone: Post All's export and delivery need its
 * batches, and the MMS-applied row follows the live rows.
 */
export const METRIC_GROUPS = ['lists', 'sync', 'post', 'intake', 'live'] as const;
export type MetricGroup = (typeof METRIC_GROUPS)[number];

/** BENCH_ONLY: a comma-separated list of groups (`sync`, `post,intake`); empty or unset: all. */
export function readOnly(raw: string | undefined): ReadonlySet<MetricGroup> | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const names = raw.split(',').map((n) => n.trim());
  const unknown = names.filter((n) => !(METRIC_GROUPS as readonly string[]).includes(n));
  if (unknown.length > 0)
    throw new Error(`BENCH_ONLY takes ${METRIC_GROUPS.join(', ')} (comma-separated), not "${unknown.join(',')}"`);
  return new Set(names as MetricGroup[]);
}

export interface BenchReport {
  /** The lines printed above the table: engine, scale, sizes, load average. */
  preamble: string[];
  rows: Row[];
  markdown: string;
}

const load = () =>
  loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');

async function vacuumAnalyze(db: Db): Promise<void> {
  await sql`vacuum analyze`.execute(db);
}

/**
 * Generates the dataset and measures the baselines straight on the database: the bare
 * UPDATE that Post All's claim is compared with, and COPY of the invoices the sync sends.
 */
async function prepare(
  database: BenchDatabase,
  plans: FirmPlan[],
  syncRows: SyncInvoice[],
  runs: (group: MetricGroup) => boolean,
  log: (message: string) => void,
) {
  const bc = await database.open();
  try {
    const version = (await sql<{ v: string }>`select current_setting('server_version') as v`.execute(bc.conn.db))
      .rows[0]!.v;
    const records = plans.reduce((sum, p) => sum + recordsOf(p), 0);
    log(`generating ${count(records)} records over ${plans.length} firms on ${database.engine}`);
    const started = performance.now();
    const dataset = await generateDataset(bc.conn.db, plans);
    await vacuumAnalyze(bc.conn.db);
    const generatedMs = performance.now() - started;
    log(`generated in ${ms(generatedMs)}`);
    const big = plans.find((p) => p.role === 'big')!;
    const datasetRow: Row = {
      metric: `dataset: ${count(dataset.totals.firms)} firms, ${count(dataset.totals.records)} posting records (${count(big.pending)} pending in one firm), ${count(dataset.totals.invoices)} invoices, a year of ${count(dataset.totals.payouts)} payouts (${count(dataset.totals.payoutLines)} lines) in that firm`,
      // Made once: not a measurement, so no runs.
      measured: `generated in ${ms(generatedMs)}`,
      value: generatedMs,
      target: '—',
      ratio: '—',
      verdict: '—',
    };
    // One floor per run, in the firm of that run (the copies are rolled back).
    const updateMs: number[] = [];
    // On PostgreSQL, Post All measures each run's floor just before it (measurePostAll).
    if (runs('post') && database.engine === 'pglite')
      for (const code of postFirmCodes(dataset.firms.keys()))
        updateMs.push(await bareUpdateMs(bc, dataset.firms.get(code)!.id));
    const copyMs: number[] = [];
    // On PostgreSQL the sync measures each run's floor just before it (measureSync).
    if (runs('sync') && database.engine === 'pglite')
      for (const code of syncFirmCodes(dataset.firms.keys()))
        copyMs.push(await copyBaselineMs(bc, dataset.firms.get(code)!.id, syncRows));
    // The rolled-back baselines left dead rows behind; Post All and the sync start clean.
    await vacuumAnalyze(bc.conn.db);
    return { version, dataset, datasetRow, updateMs, copyMs };
  } finally {
    await bc.conn.close();
  }
}

/**
 * The whole bench: a database of its own, a generated dataset, the baselines measured
 * directly on the database, then every metric through the real server in a child
 * process; the database is dropped at the end, whatever happens.
 */
export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const log = options.log ?? ((message: string) => process.stderr.write(`bench: ${message}\n`));
  const engine = options.databaseUrl ? 'postgres' : 'pglite';
  const sizes = sizesFor(engine, options.scale);
  const loadBefore = load();
  const runs = (group: MetricGroup) => options.only === undefined || options.only.has(group);
  const database = await createBenchDatabase(options.databaseUrl);
  try {
    const plans = planFirms(sizes);
    const syncRows = syncInvoices(sizes.syncInvoices, plans.find((p) => p.role === 'sync')!.clients);
    const prepared = await prepare(database, plans, syncRows, runs, log);
    const { dataset, version } = prepared;
    const rows: Row[] = [prepared.datasetRow];

    const server = await startServerProcess(database.target);
    let delivery: AgentDelivery | undefined;
    try {
      const ctx: BenchContext = { engine, sizes, dataset, server, log };
      if (runs('lists')) {
        rows.push(...(await measureListLatency(ctx)));
        rows.push(...(await measureDeposits(ctx)));
      }
      if (runs('sync')) rows.push(await measureSync(ctx, syncRows, prepared.copyMs, database));
      if (runs('post')) {
        const postAll = await measurePostAll(ctx, prepared.updateMs, database);
        rows.push(postAll.row);
        rows.push(...(await measureExport(ctx, database)));
        delivery = await measureAgentDelivery(ctx, postAll.batchIds);
        rows.push(...delivery.rows);
      }
      if (runs('intake')) {
        rows.push(...(await measurePaymentIntake(ctx, database)));
        rows.push(...(await measureIntakeOnBusyInvoice(ctx)));
      }
      if (runs('live')) {
        rows.push(...(await measureLiveDelivery(ctx)));
        rows.push(await measureMmsApplied(ctx, database));
      }
    } finally {
      await server.close();
    }
    await delivery?.compareWithBareUpdate(database);
    const engineName =
      engine === 'postgres' ? `PostgreSQL ${version}` : `PGlite (PostgreSQL ${version}, one tenth of the sizes)`;
    const preamble = [
      `paybridge bench on ${engineName}, BENCH_SCALE=${sizes.scale}${options.only === undefined ? '' : `, BENCH_ONLY=${[...options.only].join(',')}`}, load average ${loadBefore} at the start and ${load()} at the end (1, 5, 15 min).`,
      `Every timed measurement ran ${RUNS} times: the median, and the spread (min–max) that a noisy machine shows. ` +
        'Where a floor (the database doing the same work alone) was measured in the same run, the verdict judges the ratio to it; ' +
        'the absolute figures beside it are targets for a quiet machine.',
    ];
    return { preamble, rows, markdown: `${preamble.join('\n')}\n\n${renderTable(rows)}` };
  } finally {
    if (process.env.BENCH_KEEP_DB === '1')
      log(`kept the bench database (BENCH_KEEP_DB=1): ${JSON.stringify(database.target)}`);
    else await database.drop();
  }
}

/** `npm run bench`: the table on stdout, progress on stderr; exit 0 whether targets are met or not. */
export async function benchCommand(): Promise<void> {
  const report = await runBench({
    databaseUrl: process.env.DATABASE_URL || undefined,
    scale: readScale(process.env.BENCH_SCALE),
    only: readOnly(process.env.BENCH_ONLY),
  });
  process.stdout.write(report.markdown);
}
