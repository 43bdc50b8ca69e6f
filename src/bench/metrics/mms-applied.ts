import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { postgresMms, type MmsDb } from '../../agent/mms-db.ts';
import type { AgentProcess } from '../agent-process.ts';
import { firmOf, type BenchContext } from '../context.ts';
import type { BenchDatabase } from '../database.ts';
import { openEventStream, type EventStream } from '../event-stream.ts';
import {
  agentSplit,
  LIVE_RECORDS,
  liveFirm,
  liveRow,
  logAgentErrors,
  runRounds,
  startLiveAgent,
  watchBatch,
} from '../live-rounds.ts';
import { ms, percentile, type Row } from '../table.ts';

/** Issue 18: click → MMS applied p95 ≤ 3 s. */
const APPLIED_LIMIT_MS = 3000;
const SCRIPTS = ['demo-schema.sql', 'install.sql'].map(
  (name) => new URL(`../../../sql/mms/postgres/${name}`, import.meta.url),
);

const metric = (rounds: number) =>
  `click → applied in the MMS (${rounds} Post All of ${LIVE_RECORDS} records; real agent process, procedure sink into a PostgreSQL MMS; the posted view shows mmsStatus applied)`;

/**
 * The demo MMS in a database of its own, both scripts applied as an IT person would, and
 * holding the firm's clients, matters and invoices as paybridge has them (as if synced),
 * so that every line the procedure is given applies.
 */
async function mmsLike(database: BenchDatabase, mms: MmsDb, firmId: string): Promise<void> {
  for (const script of SCRIPTS) await mms.exec(await readFile(script, 'utf8'));
  const bc = await database.open();
  try {
    const db = bc.conn.db;
    const clients = (
      await sql<{
        c: string;
        n: string;
      }>`select client_number as c, name as n from clients where firm_id = ${firmId}`.execute(db)
    ).rows;
    const matters = (
      await sql<{
        c: string;
        m: string;
        d: string;
      }>`select client_number as c, matter_number as m, description as d from matters where firm_id = ${firmId}`.execute(
        db,
      )
    ).rows;
    const invoices = (
      await sql<{
        i: string;
        c: string;
        m: string;
        d: string;
        t: string;
        b: string;
        s: string;
      }>`select invoice_number as i, client_number as c, matter_number as m,
        invoice_date::text as d, total_cents::text as t, balance_cents::text as b, status as s from invoices where firm_id = ${firmId}`.execute(
        db,
      )
    ).rows;
    const col = <T, K extends keyof T>(rows: T[], key: K) => rows.map((row) => row[key]);
    await mms.query('insert into mms_clients (client_number, name) select * from unnest($1::text[], $2::text[])', [
      col(clients, 'c'),
      col(clients, 'n'),
    ]);
    await mms.query(
      'insert into mms_matters (client_number, matter_number, description) select * from unnest($1::text[], $2::text[], $3::text[])',
      [col(matters, 'c'), col(matters, 'm'), col(matters, 'd')],
    );
    await mms.query(
      `insert into mms_invoices (invoice_number, client_number, matter_number, invoice_date, total_cents, balance_cents, status)
        select * from unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::bigint[], $6::bigint[], $7::text[])`,
      [
        col(invoices, 'i'),
        col(invoices, 'c'),
        col(invoices, 'm'),
        col(invoices, 'd'),
        col(invoices, 't'),
        col(invoices, 'b'),
        col(invoices, 's'),
      ],
    );
  } finally {
    await bc.conn.close();
  }
}

/**
 * SPEC §5.1 with the procedure sink: the real agent process applies each batch's lines in
 * a PostgreSQL MMS (a second database, `<bench>_mms`) and reports the MMS's answer; each
 * round times from Post All's answer to the posted view showing the batch's records with
 * mmsStatus applied, read on a postings.changed that an /events subscriber heard after
 * the answer was recorded. PostgreSQL only: on PGlite the row says so and is not measured.
 */
export async function measureMmsApplied(ctx: BenchContext, database: BenchDatabase): Promise<Row> {
  const rounds = ctx.sizes.liveRounds;
  if (!database.sibling) {
    return {
      metric: metric(rounds),
      measured: 'not measured: PostgreSQL only (the procedure sink needs a PostgreSQL MMS; this run is on PGlite)',
      value: null,
      target: `p95 ≤ ${ms(APPLIED_LIMIT_MS)}`,
      ratio: '—',
      verdict: '—',
    };
  }
  const firm = liveFirm(ctx, 'LIVEMMS');
  const made = await database.sibling('mms');
  const mms = postgresMms(made.url);
  const root = await mkdtemp(join(tmpdir(), 'pb-bench-mms-'));
  let agent: AgentProcess | undefined;
  let stream: EventStream | undefined;
  try {
    await mmsLike(database, mms, firmOf(ctx, 'LIVEMMS').id);
    agent = await startLiveAgent(ctx, root, firm, { type: 'procedure', connectionString: made.url });
    const events = (stream = await openEventStream(ctx.server.api, firm.userToken));
    ctx.log(
      `MMS applied: ${rounds} rounds (and a warm-up) of Post All of ${LIVE_RECORDS} records, the real agent process on the procedure sink`,
    );
    const samples = await runRounds(ctx, firm, rounds, 1, (batchId) => {
      const applied = watchBatch(ctx, events, firm, batchId, 'applied');
      return {
        async finished() {
          applied.read();
          return [await applied.done];
        },
        cancel: () => applied.cancel(),
      };
    });

    // Checked after the clocks: every line of every round applied in the MMS, once.
    const [ledger] = await mms.query<{ lines: string; records: string }>(
      'select count(*)::text as lines, count(distinct record_id)::text as records from mms_receipts',
    );
    const expected = samples.failure === null ? (rounds + 1) * LIVE_RECORDS : null;
    if (expected !== null && (Number(ledger?.lines) !== expected || Number(ledger?.records) !== expected)) {
      throw new Error(
        `the MMS ledger holds ${ledger?.lines} lines of ${ledger?.records} records after ${rounds + 1} Post All of ${LIVE_RECORDS}, not ${expected} of each`,
      );
    }
    logAgentErrors(ctx, agent);
    const values = samples.ms[0]!;
    ctx.log(
      `MMS applied: click → applied p50 ${ms(percentile(values, 50))} p95 ${ms(percentile(values, 95))} (${values.length} rounds); ` +
        `median from the click, by the agent's log: ${agentSplit(samples, agent.entries(), [
          ['its long-poll answered', (msg) => msg === 'batches waiting for delivery'],
          ['committed in the MMS', (msg) => msg === 'batch posted into the MMS'],
          ['acknowledged', (msg) => msg === 'batch acknowledged'],
          ["the MMS's answer told", (msg) => msg.startsWith("the MMS's answer for batch ")],
        ])}`,
    );
    return liveRow(metric(rounds), samples, 0, APPLIED_LIMIT_MS);
  } finally {
    stream?.close();
    await agent?.stop();
    await mms.close();
    await made.drop();
    await rm(root, { recursive: true, force: true });
  }
}
