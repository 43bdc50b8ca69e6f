import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { createAgent, type Agent } from '../agent/agent.ts';
import { CRASH_POINTS, setCrashHook, setDiskFaultHook, type CrashPoint, type DiskStep } from '../agent/crash.ts';
import { loadConfig } from '../config.ts';
import type { PGlite } from '@electric-sql/pglite';
import { pgliteMms, type MmsDb } from '../agent/mms-db.ts';
import { connectPGlite, openPGlite, type Connection, type Db } from '../db/connect.ts';
import type { Processor } from '../processor/processor.ts';
import { SandboxProcessor } from '../processor/sandbox/sandbox-processor.ts';
import { runPostingJobs } from '../server/scheduler.ts';
import { listMigrations, migrate } from '../db/migrate.ts';
import { insertUser } from '../db/users.ts';
import { signatureHeader } from '../processor/webhook-signature.ts';
import { buildApp } from '../server/app.ts';
import { createFirm, createToken } from '../usecases/auth/firms-and-users.ts';
import { createPaymentPage } from '../usecases/payment-pages/create-payment-page.ts';
import { setWebhookSecret } from '../db/firms.ts';
import { SYSTEM_ACTOR } from '../domain/actor.ts';
import { hashPassword } from '../usecases/auth/secrets.ts';
import { createSandboxToken } from '../processor/sandbox/tokenize.ts';
import { calendarDateIn } from '../domain/dates.ts';
import { DbFaults } from './db-faults.ts';
import { RestartableDb } from './restartable-db.ts';
import { CLIENTS, ProcedureMms, SimMms, type SimInvoice, type SimLedger } from './mms.ts';
import { NET_FAULTS, NetworkError, SimNetwork, type NetFault } from './network.ts';
import { Prng } from './prng.ts';

/** One PGlite database and one server for every seed; each seed is a firm of its own on it. */
export interface SimEnv {
  conn: Connection;
  /** The database under conn and the server: it can stop and start again (a restart fault). */
  database: RestartableDb;
  /** The server the simulated clients reach, on the database that can go away. */
  app: FastifyInstance;
  /** The same server on the database as it is: the simulation's own reads, never faulted. */
  observer: FastifyInstance;
  dbFaults: DbFaults;
  /** The database as the server sees it: through dbFaults. */
  faultedDb: Db;
  /** The app's processor (the sandbox), for the timed jobs the simulation runs at its own time. */
  processor: Processor;
  /** The demo MMS in PGlite, for the seeds whose agent delivers through the procedure sink. */
  mmsDb: MmsDb;
  passwordHash: string;
  /** The simulated clock the server reads "now" from where a rule is about today's date. */
  time: { ms: number };
  close(): Promise<void>;
}

/**
 * A migrated PGlite data directory, kept under .tmp and named by the migrations it holds:
 * PGlite's initdb and the migrations take seconds, so they run once, not on every run.
 */
async function cachedTemplate(name: string, scripts: string[], make: (pglite: PGlite) => Promise<void>): Promise<Blob> {
  const hash = createHash('sha256');
  for (const script of scripts) hash.update(script);
  const path = `.tmp/sim-${name}-${hash.digest('hex').slice(0, 16)}.tar`;
  if (existsSync(path)) return new Blob([readFileSync(path)]);
  const pglite = await openPGlite(undefined);
  await make(pglite);
  const dump = await pglite.dumpDataDir('none');
  await pglite.close();
  mkdirSync('.tmp', { recursive: true });
  const bytes = Buffer.from(await dump.arrayBuffer());
  writeFileSync(`${path}.${process.pid}`, bytes);
  renameSync(`${path}.${process.pid}`, path);
  return new Blob([bytes]);
}

function migratedTemplate(): Promise<Blob> {
  const migrations = listMigrations();
  return cachedTemplate(
    'pglite',
    migrations.map((m) => m.name + m.sql),
    async (pglite) => {
      await migrate(connectPGlite(pglite).db, migrations);
    },
  );
}

/** The demo MMS (sql/mms/postgres): its schema and the functions the agent calls. */
function mmsTemplate(): Promise<Blob> {
  const scripts = ['demo-schema.sql', 'install.sql'].map((f) => readFileSync(`sql/mms/postgres/${f}`, 'utf8'));
  return cachedTemplate('mms', scripts, async (pglite) => {
    for (const script of scripts) await pglite.exec(script);
  });
}

export async function openSimEnv(): Promise<SimEnv> {
  // A data directory the database keeps over a restart: in memory where there is a tmpfs.
  const dataDir = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'pb-sim-db-'));
  const database = await RestartableDb.open(join(dataDir, 'db'), await migratedTemplate());
  const conn: Connection = {
    db: database.simDb,
    engine: 'pglite',
    listen: database.listen,
    async close() {
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  const dbFaults = new DbFaults();
  const config = { ...loadConfig({}), demo: false };
  const mmsDb = pgliteMms(await openPGlite(undefined, await mmsTemplate()));
  const faultedDb = database.serverDb.withPlugin(dbFaults);
  const processor = new SandboxProcessor(faultedDb);
  const time = { ms: Date.now() };
  const clock = () => new Date(time.ms);
  const app = await buildApp({ db: faultedDb, listen: conn.listen, config, logger: false, processor, clock });
  const observer = await buildApp({ db: conn.db, listen: conn.listen, config, logger: false });
  await app.ready();
  await observer.ready();
  return {
    conn,
    database,
    app,
    observer,
    dbFaults,
    faultedDb,
    processor,
    mmsDb,
    passwordHash: await hashPassword('simulation only'),
    time,
    async close() {
      await app.close();
      await observer.close();
      await conn.close();
      await mmsDb.close();
    },
  };
}

export interface SeedOptions {
  /** Steps before the drain; the seed picks a number up to this. */
  maxSteps: number;
  /** 0..1: how often a step brings a fault. */
  faultRate: number;
  /**
   * Checked after the built-in invariants, on what the server and the MMS hold after the
   * drain; each string it returns is a failure. The test of the simulation itself gives it
   * a deliberately wrong invariant, to see a failing seed reported and replayed.
   */
  extraInvariant?: (after: { records: RecordView[]; mms: SimLedger }) => string[];
}

export const DEFAULT_OPTIONS: SeedOptions = { maxSteps: 30, faultRate: 0.35 };

export interface SeedResult {
  seed: number;
  failures: string[];
  trace: string[];
  steps: number;
  faults: number;
}

class SimCrash extends Error {
  constructor(readonly point: CrashPoint) {
    super(`agent killed at ${point}`);
    this.name = 'SimCrash';
  }
}

interface Json {
  [key: string]: unknown;
}

interface Answer {
  status: number;
  json: Json;
}

interface Allocation {
  invoiceNumber: string | null;
  clientNumber: string | null;
  matterNumber: string | null;
  amountCents: number;
}

export interface RecordView {
  id: string;
  paymentId: string;
  status: string;
  reasons: string[];
  version: number;
  amountCents: number;
  account: 'operating' | 'trust';
  allocations: Allocation[];
  batchId: string | null;
  mmsStatus: string | null;
  reversalOf: string | null;
  reversalKind: string | null;
  /** The correction both halves of a correction share (SPEC §3.7): they post only together. */
  correctionId: string | null;
  /** How often the MMS refused the record: a refused half goes out again alone. */
  mmsRefusals: number;
  clientNumber: string | null;
}

interface PaymentView {
  id: string;
  processorId: string;
  origin: string;
  status: string;
  amountCents: number;
  surchargeCents: number;
  refundedCents: number;
  voidable: boolean;
  postingRecordId: string | null;
}

interface BatchView {
  id: string;
  seq: number;
  fileName: string;
  status: string;
  lineCount: number;
  recordCount: number;
  totalCents: number;
  appliedLines: number;
  rejectedLines: number;
}

/** What the firm meant: kept by the simulation from answers it saw, never read back from the server alone. */
interface SimPayment {
  processorId: string;
  origin: string;
  /** Whether SPEC §3.1 gives it a posting record. */
  makesRecord: boolean;
  account: 'operating' | 'trust';
  clientNumber: string;
  amountCents: number;
}

const allocationKey = (allocations: readonly Allocation[]) =>
  allocations
    .map((a) => `${a.invoiceNumber ?? ''}|${a.invoiceNumber ? '' : (a.clientNumber ?? '')}|${a.amountCents}`)
    .join(';');

const errnoError = (code: string, path: string) =>
  Object.assign(new Error(`${code}: simulated, ${path}`), { code, path }) as NodeJS.ErrnoException;

let runs = 0;

/** Runs one seed: a firm's life of tens of steps with faults, then a drain without faults, then the checks. */
export async function runSeed(env: SimEnv, seed: number, options: SeedOptions = DEFAULT_OPTIONS): Promise<SeedResult> {
  const rng = new Prng(seed);
  const trace: string[] = [];
  // A firm of its own for each run: a seed run again in the same process gets another code.
  runs += 1;
  const code = `S${seed}R${runs}`;
  // In memory where there is a tmpfs: the agent fsyncs every journal line and file, and
  // on a disk those waits were a third of a seed's time.
  const root = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'pb-sim-'));
  /** Ids the server makes at random are named in the trace by order of first sight, so a replay prints the same trace. */
  const labels = new Map<string, string>();
  const label = (id: string) => {
    if (!labels.has(id)) labels.set(id, `#${labels.size + 1}`);
    return labels.get(id)!;
  };
  const normal = (line: string) =>
    line
      .replaceAll(root, '')
      .replaceAll(code, 'FIRM')
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, label);
  const log = (line: string) => trace.push(normal(line));
  const failures: string[] = [];
  const net = new SimNetwork(env.app, log, () => env.database.isDown);
  env.database.logTo = log;
  const folders = {
    inbox: join(root, 'inbox'),
    processed: join(root, 'processed'),
    rejected: join(root, 'rejected'),
  };
  const stateDir = join(root, 'state');
  for (const dir of Object.values(folders)) await mkdir(dir, { recursive: true });

  let armedCrash: CrashPoint | null = null;
  let armedDisk: { step: DiskStep; code: string } | null = null;
  let faults = 0;
  setCrashHook((point) => {
    if (armedCrash === point) {
      armedCrash = null;
      throw new SimCrash(point);
    }
  });
  setDiskFaultHook((step, path) => {
    if (armedDisk?.step !== step) return null;
    const error = errnoError(armedDisk.code, path);
    log(`  disk fault ${armedDisk.code} on ${step} of ${path.slice(root.length)}`);
    armedDisk = null;
    return error;
  });

  let agent: Agent | null = null;
  const silent = pino({ level: 'silent' });

  try {
    // The firm, its people, its webhook secret and its two payment pages, in one
    // transaction straight through the use cases: set-up is not what the simulation
    // tries, and through the API it was a fifth of a seed's time.
    /** How the agent delivers: files the MMS imports, or its stored procedure (SPEC §5, §5.1). */
    const sinkKind = rng.chance(0.5) ? ('procedure' as const) : ('file-drop' as const);
    log(`firm: the agent delivers by ${sinkKind}`);
    const invoices: SimInvoice[] = [];
    for (let i = 1; i <= 5; i += 1) {
      const client = CLIENTS[i % 2]!;
      invoices.push({
        invoiceNumber: `INV-${i}`,
        clientNumber: client.clientNumber,
        matterNumber: client.matterNumber,
        totalCents: rng.between(20, 80) * 1000,
      });
    }
    const webhookSecret = `whsec_sim_${seed}`;
    /** Half the firms post automatically (SPEC §4), every so many minutes of the simulated clock. */
    const autoPostMinutes = rng.chance(0.5) ? rng.pick([5, 15, 60]) : null;
    log(`firm: automatic posting ${autoPostMinutes === null ? 'off' : `every ${autoPostMinutes} minutes`}`);
    const { firm, tokens, agentToken, pages } = await env.conn.db.transaction().execute(async (tx) => {
      const firm = await createFirm(tx, { code, name: `${code} LLP` });
      const tokens: Record<string, string> = {};
      for (const role of ['admin', 'accountant'] as const) {
        const email = `${role}@${code.toLowerCase()}.sim`;
        await insertUser(tx, firm.id, { email, name: role, role, password_hash: env.passwordHash });
        tokens[role] = (await createToken(tx, { firmCode: code, kind: 'user', email })).token;
      }
      const agentToken = (await createToken(tx, { firmCode: code, kind: 'agent' })).token;
      await setWebhookSecret(tx, firm.id, webhookSecret);
      if (autoPostMinutes !== null)
        await tx
          .updateTable('firms')
          .set({ auto_post: true, auto_post_minutes: autoPostMinutes })
          .where('id', '=', firm.id)
          .execute();
      const pages: Record<string, string> = {};
      for (const withRecord of [true, false]) {
        const page = await createPaymentPage(tx, firm.id, SYSTEM_ACTOR, {
          name: withRecord ? 'Pay an invoice' : 'Retainer',
          slug: `${code.toLowerCase()}-${withRecord ? 'rec' : 'plain'}`,
          account: 'operating',
          createPostingRecord: withRecord,
        });
        pages[String(withRecord)] = page.id;
      }
      return { firm, tokens, agentToken, pages };
    });
    const mms: SimLedger =
      sinkKind === 'procedure' ? await ProcedureMms.open(env.mmsDb, invoices) : new SimMms(invoices, folders);

    /** A request through the simulated network; null when the network failed it. */
    const api = async (
      token: string | null,
      method: string,
      path: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ): Promise<Answer | null> => {
      try {
        const res = await net.send({
          method,
          url: `/api/v1${path}`,
          headers: {
            ...headers,
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
        });
        let json: Json = {};
        try {
          json = JSON.parse(res.body) as Json;
        } catch {
          // not JSON
        }
        return { status: res.status, json };
      } catch (error) {
        if (error instanceof NetworkError) return null;
        throw error;
      }
    };
    /** A read the simulation itself makes, never faulted. */
    const read = async <T>(path: string): Promise<T> => {
      const res = await env.observer.inject({
        method: 'GET',
        url: `/api/v1${path}`,
        headers: { authorization: `Bearer ${tokens.admin}` },
      });
      if (res.statusCode !== 200) throw new Error(`GET ${path} answered ${res.statusCode}: ${res.body}`);
      return res.json<T>();
    };
    const readAll = async <T>(path: string): Promise<T[]> => {
      const items: T[] = [];
      let cursor: string | null = null;
      do {
        const sep = path.includes('?') ? '&' : '?';
        const page: { items: T[]; nextCursor: string | null } = await read(
          `${path}${sep}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return items;
    };
    const records = () => readAll<RecordView>('/postings?view=all&sort=asc');
    /**
     * The records as a step chooses among them: read straight from the database (a list
     * through the API on every step would be most of a seed's time), in an order that
     * does not depend on the random ids, so a seed replays the same choices.
     */
    const recordsForChoice = async (): Promise<RecordView[]> => {
      const rows = await env.conn.db
        .selectFrom('posting_records as r')
        .innerJoin('payments as p', (join) =>
          join.onRef('p.firm_id', '=', 'r.firm_id').onRef('p.id', '=', 'r.payment_id'),
        )
        .where('r.firm_id', '=', firm.id)
        .select([
          'r.id',
          'r.payment_id',
          'r.status',
          'r.reasons',
          'r.version',
          'r.amount_cents',
          'r.account',
          'r.batch_id',
          'r.mms_status',
          'r.reversal_of',
          'r.reversal_kind',
          'r.replaces',
          'r.correction_id',
          'r.mms_refusals',
          'r.created_at',
          'p.processor_id',
          'p.client_number',
        ])
        .execute();
      const lines = await env.conn.db
        .selectFrom('allocations')
        .where('firm_id', '=', firm.id)
        .select(['record_id', 'line', 'invoice_number', 'client_number', 'matter_number', 'amount_cents'])
        .orderBy('line')
        .execute();
      const rank = (r: (typeof rows)[number]) =>
        `${r.processor_id.padStart(40)} ${new Date(r.created_at).toISOString()} ${r.reversal_kind ?? ''} ${r.replaces ? 1 : 0}`;
      return rows
        .sort((a, b) => rank(a).localeCompare(rank(b)))
        .map((r) => ({
          id: r.id,
          paymentId: r.payment_id,
          status: r.status,
          reasons: r.reasons,
          version: r.version,
          amountCents: r.amount_cents,
          account: r.account,
          allocations: lines
            .filter((l) => l.record_id === r.id)
            .map((l) => ({
              invoiceNumber: l.invoice_number,
              clientNumber: l.client_number,
              matterNumber: l.matter_number,
              amountCents: l.amount_cents,
            })),
          batchId: r.batch_id,
          mmsStatus: r.mms_status,
          reversalOf: r.reversal_of,
          reversalKind: r.reversal_kind,
          correctionId: r.correction_id,
          mmsRefusals: r.mms_refusals,
          clientNumber: r.client_number,
        }));
    };
    const payments = () => readAll<PaymentView>('/payments?sort=asc');
    const batches = async () => (await readAll<BatchView>('/batches')).sort((a, b) => a.seq - b.seq);

    const agentConfig = {
      server: 'http://paybridge.sim',
      token: agentToken,
      stateDir,
      sink:
        mms instanceof ProcedureMms
          ? { type: 'procedure' as const, connectionString: 'postgres://mms.sim/firm' }
          : {
              type: 'file-drop' as const,
              folder: folders.inbox,
              processedFolder: folders.processed,
              rejectedFolder: folders.rejected,
            },
      syncSeconds: 300,
      pollSeconds: 60,
    };
    /** Starts the agent as its service would; a journal it cannot read stops it for good, which the checks report. */
    const startAgent = async (): Promise<Agent | null> => {
      try {
        return await createAgent(agentConfig, {
          logger: silent,
          fetch: net.fetch,
          ...(mms instanceof ProcedureMms ? { openMms: async () => mms.agentDb } : {}),
        });
      } catch (error) {
        failures.push(`the agent cannot start: ${error instanceof Error ? error.message : String(error)}`);
        return null;
      }
    };
    agent = await startAgent();
    let agentDead = agent === null;

    const agentRound = async () => {
      if (agentDead || !agent) return;
      try {
        const result = await agent.deliverOnce();
        log(`  agent: delivered ${result.delivered} of ${result.waiting}, answered ${result.answered}`);
      } catch (error) {
        if (error instanceof SimCrash) {
          log(`  agent KILLED at ${error.point}; restarting`);
          agent = await startAgent();
          agentDead = agent === null;
        } else log(`  agent round failed: ${error instanceof Error ? error.message.slice(0, 160) : String(error)}`);
      }
    };

    // The sync the agent makes: the server's clock first, then the MMS's balances.
    const sync = async () => {
      const clock = await api(agentToken, 'GET', '/agent/clock');
      const readAfter = typeof clock?.json.now === 'string' ? clock.json.now : undefined;
      const res = await api(agentToken, 'POST', '/agent/sync', {
        ...(await mms.syncBody()),
        ...(readAfter ? { readAfter } : {}),
      });
      log(`  sync: ${res ? res.status : 'lost'}`);
    };
    const syncOk = await api(agentToken, 'POST', '/agent/sync', await mms.syncBody());
    if (syncOk?.status !== 200) throw new Error(`first sync: ${syncOk?.status}`);

    const model = new Map<string, SimPayment>();
    /**
     * The allocations the firm last chose for each record: the edit it saw succeed, and any
     * sent after it whose answer never came (it may yet arrive, late).
     */
    const chosen = new Map<string, Set<string>>();
    let paymentCount = 0;
    const startMs = Date.UTC(2026, 10, 2, 15, 0, 0);
    let clockMs = startMs;
    env.time.ms = clockMs;
    /** Moves the simulated clock on: the server's clock (a schedule's "today") with it. */
    const advance = (ms: number) => {
      clockMs += ms;
      env.time.ms = clockMs;
    };
    /**
     * The scheduler's tick, at the simulated time: automatic posting and due payment
     * schedules (runPostingJobs), through the database that can go away. What they did
     * reaches the trace through their log.
     */
    const jobLog = pino(
      { level: 'info', base: null, timestamp: false },
      {
        write(line: string) {
          const entry = JSON.parse(line) as {
            msg: string;
            firmId?: string;
            seq?: number;
            records?: number;
            scheduleId?: string;
            runOn?: string;
            attempt?: number;
            status?: string;
            err?: { message?: string };
          };
          // The database outlives the seed: another firm's jobs are not this seed's.
          if (entry.firmId !== undefined && entry.firmId !== firm.id) return;
          log(
            `  timed job: ${entry.msg}${entry.seq === undefined ? '' : ` ${entry.seq} of ${entry.records} records`}${entry.scheduleId === undefined ? '' : ` ${entry.scheduleId} ${entry.runOn} attempt ${entry.attempt} ${entry.status}`}${entry.err ? ` (${String(entry.err.message).slice(0, 80)})` : ''}`,
          );
        },
      },
    );
    // The real scheduler ticks every minute; a tick here costs a dozen queries, so the
    // simulation ticks only when a tick can change anything of this firm: its automatic
    // posting has come due, or it has payment schedules (every 5 minutes, the time a
    // tick's claim on a run lasts).
    let lastTickMs = 0;
    /** When each schedule attempt (schedule|runOn|attempt) was first seen claimed or done: the tick that claimed it. */
    const attemptSeen = new Map<string, number>();
    const timedJobs = async () => {
      const postingDue = autoPostMinutes !== null && clockMs - lastTickMs >= autoPostMinutes * 60_000;
      const schedulesDue = scheduleCount > 0 && clockMs - lastTickMs >= 5 * 60_000;
      if (!postingDue && !schedulesDue) return;
      lastTickMs = clockMs;
      log(`timed jobs at +${Math.round((clockMs - startMs) / 60_000)} min`);
      await runPostingJobs(env.faultedDb, env.processor, new Date(clockMs), jobLog);
      // Two server instances tick at the same minute now and then: each run is still charged once.
      if (scheduleCount > 0 && rng.chance(0.15)) {
        log('timed jobs again (another instance)');
        await runPostingJobs(env.faultedDb, env.processor, new Date(clockMs), jobLog);
      }
      for (const run of await env.conn.db
        .selectFrom('schedule_runs')
        .select(['schedule_id', 'run_on', 'attempt'])
        .where('firm_id', '=', firm.id)
        .execute()) {
        const key = `${run.schedule_id}|${run.run_on}|${run.attempt}`;
        if (!attemptSeen.has(key)) attemptSeen.set(key, clockMs);
      }
    };

    const invoicesOf = (clientNumber: string) => invoices.filter((i) => i.clientNumber === clientNumber);

    /**
     * Payment schedules (SPEC §4 of issue 5): the firm sets one up with a payer's card, at
     * the simulated date or the day after; the scheduler's ticks charge it when due. The
     * firm sends each set-up with an Idempotency-Key, and again when no answer came.
     */
    let scheduleCount = 0;
    const createSchedule = async () => {
      scheduleCount += 1;
      const client = rng.pick(CLIENTS);
      const declines = rng.chance(0.3);
      const { token } = await createSandboxToken(
        env.conn.db,
        {
          method: 'card',
          cardNumber: declines ? '4000 0000 0000 0002' : '4242 4242 4242 4242',
          expMonth: 12,
          expYear: 2030,
          cvc: '123',
        },
        new Date(clockMs),
      );
      const startOn = calendarDateIn(new Date(clockMs + rng.pick([0, 0, 1]) * 86_400_000), 'America/New_York');
      const amountCents = rng.between(10, 500) * 100;
      const body: Json = {
        token,
        amountCents,
        account: 'operating',
        description: `Schedule ${scheduleCount}`,
        payerName: client.name,
        clientNumber: client.clientNumber,
        interval: rng.pick(['weekly', 'monthly']),
        startOn,
        ...(rng.chance(0.3) ? { endAfterCount: 1 } : {}),
      };
      const headers = { 'idempotency-key': `sim-schedule-${scheduleCount}` };
      log(`step schedule ${scheduleCount} ${declines ? 'declining card' : 'card'} ${amountCents} from ${startOn}`);
      const res = await api(tokens.accountant!, 'POST', '/payment-schedules', body, headers);
      log(
        `  -> ${res?.status ?? 'no answer'}${res && res.status >= 400 ? ` ${JSON.stringify(res.json.error ?? '').slice(0, 120)}` : ''}`,
      );
      if (res === null || res.status >= 500) {
        const again = await api(tokens.accountant!, 'POST', '/payment-schedules', body, headers);
        log(
          `  retry -> ${again?.status ?? 'no answer'}${again && again.status >= 400 ? ` ${JSON.stringify(again.json.error ?? '').slice(0, 120)}` : ''}`,
        );
      }
    };
    const cancelSchedule = async () => {
      const active = await env.conn.db
        .selectFrom('payment_schedules')
        .select(['id', 'description'])
        .where('firm_id', '=', firm.id)
        .where('status', '=', 'active')
        .orderBy('description')
        .execute();
      if (active.length === 0) return createSchedule();
      const schedule = rng.pick(active);
      log(`step cancel schedule ${schedule.description.replace('Schedule ', '')}`);
      const res = await api(tokens.accountant!, 'POST', `/payment-schedules/${schedule.id}/cancel`, {});
      log(`  -> ${res?.status ?? 'no answer'}`);
    };

    const takePayment = async () => {
      paymentCount += 1;
      const client = rng.pick(CLIENTS);
      const kind = rng.weighted({
        connect: 4,
        page: 2,
        plainPage: 1,
        enter: 1,
        quick: 1,
        schedule: 1,
      });
      const origin = {
        connect: 'connect',
        page: 'payment_page',
        plainPage: 'payment_page',
        enter: 'enter_payment',
        quick: 'quick_link',
        schedule: 'payment_schedule',
      }[kind];
      const account = kind === 'connect' && rng.chance(0.15) ? 'trust' : 'operating';
      const amountCents = rng.between(1, 300) * 100 + rng.int(100);
      const processorId = `ch_${paymentCount}`;
      const body: Json = {
        processorId,
        origin,
        amountCents,
        method: 'card',
        cardBrand: 'visa',
        last4: '4242',
        account,
        payerName: client.name,
        clientNumber: client.clientNumber,
        processedAt: new Date(clockMs).toISOString(),
      };
      if (kind === 'page' || kind === 'plainPage') body.paymentPageId = pages[String(kind === 'page')];
      if (account === 'trust') body.matterNumber = client.matterNumber;
      else {
        const roll = rng.int(10);
        if (roll < 6) body.invoiceNumbers = [rng.pick(invoicesOf(client.clientNumber)).invoiceNumber];
        else if (roll < 7) body.invoiceNumbers = [rng.pick(invoices).invoiceNumber];
        else if (roll < 8) body.invoiceNumbers = ['INV-404'];
        else if (roll < 9)
          body.invoiceNumbers = rng.subset(invoicesOf(client.clientNumber), 0.7).map((i) => i.invoiceNumber);
      }
      model.set(processorId, {
        processorId,
        origin,
        makesRecord: kind === 'connect' || kind === 'page',
        account,
        clientNumber: client.clientNumber,
        amountCents,
      });
      const viaWebhook = rng.chance(0.35);
      log(
        `step pay ${processorId} ${origin}${kind === 'page' ? '+record' : ''} ${account} ${amountCents} ${JSON.stringify(body.invoiceNumbers ?? [])} via ${viaWebhook ? 'webhook' : 'POST /payments'}`,
      );
      if (viaWebhook) await sendEvent('payment.approved', body);
      else {
        const res = await api(tokens.accountant!, 'POST', '/payments', body);
        log(`  -> ${res?.status ?? 'no answer'}`);
        // The firm's staff retry a payment whose answer never came: intake is idempotent on processorId.
        if (res === null || res.status >= 500) {
          const again = await api(tokens.accountant!, 'POST', '/payments', body);
          log(`  retry -> ${again?.status ?? 'no answer'}`);
        }
      }
    };

    let eventCount = 0;
    const sendEvent = async (type: string, data: Json) => {
      eventCount += 1;
      const payload = JSON.stringify({ id: `evt_${eventCount}`, type, created: Math.floor(clockMs / 1000), data });
      const deliver = () =>
        net.send({
          method: 'POST',
          url: `/api/v1/webhooks/processor/${code}`,
          headers: {
            'content-type': 'application/json',
            'paybridge-signature': signatureHeader(webhookSecret, Math.floor(Date.now() / 1000), payload),
          },
          payload,
        });
      // The processor retries until it hears 2xx, and now and then sends an event twice anyway.
      const times = rng.chance(0.2) ? 2 : 1;
      for (let i = 0; i < times; i += 1) {
        for (let attempt = 0; attempt < 4; attempt += 1) {
          let status: number | string;
          try {
            status = (await deliver()).status;
          } catch (error) {
            if (!(error instanceof NetworkError)) throw error;
            status = 'no answer';
          }
          log(`  webhook ${type}${i > 0 ? ' (duplicate)' : ''} -> ${status}`);
          if (typeof status === 'number' && status < 500) break;
        }
      }
    };

    /** A lost answer leaves the firm not knowing: it looks again, as the screen's refresh does. */
    const reconcileEdit = async (id: string, sent: Allocation[], version: number) => {
      const now = (await recordsForChoice()).find((r) => r.id === id);
      const key = allocationKey(sent);
      if (now && now.version > version && allocationKey(now.allocations) === key) chosen.set(id, new Set([key]));
      else chosen.get(id)?.add(key);
    };

    const allocationsFor = (record: RecordView): Allocation[] => {
      if (record.account === 'trust') {
        const client = rng.pick(CLIENTS);
        return [
          {
            invoiceNumber: null,
            clientNumber: client.clientNumber,
            matterNumber: client.matterNumber,
            amountCents: record.amountCents,
          },
        ];
      }
      const own = record.clientNumber ? invoicesOf(record.clientNumber) : invoices;
      const pool = own.length > 0 && rng.chance(0.85) ? own : invoices;
      const first = rng.pick(pool);
      const second = rng.pick(pool);
      if (record.amountCents >= 2 && first !== second && rng.chance(0.4)) {
        const part = rng.between(1, record.amountCents - 1);
        return [
          { invoiceNumber: first.invoiceNumber, clientNumber: null, matterNumber: null, amountCents: part },
          {
            invoiceNumber: second.invoiceNumber,
            clientNumber: null,
            matterNumber: null,
            amountCents: record.amountCents - part,
          },
        ];
      }
      return [
        { invoiceNumber: first.invoiceNumber, clientNumber: null, matterNumber: null, amountCents: record.amountCents },
      ];
    };
    const allocationBody = (allocations: Allocation[]) =>
      allocations.map((a) =>
        a.invoiceNumber
          ? { invoiceNumber: a.invoiceNumber, amountCents: a.amountCents }
          : { clientNumber: a.clientNumber!, matterNumber: a.matterNumber!, amountCents: a.amountCents },
      );

    const editRecord = async (record: RecordView, keep = false) => {
      const allocations = keep ? record.allocations : allocationsFor(record);
      const body: Json = { version: record.version, allocations: allocationBody(allocations) };
      if (record.reversalOf) delete body.allocations;
      if (record.reasons.includes('client_mismatch') && rng.chance(0.5)) body.acceptClientMismatch = true;
      log(`step edit ${record.id} v${record.version} -> ${allocationKey(allocations)}`);
      const res = await api(tokens.accountant!, 'PATCH', `/postings/${record.id}`, body);
      log(
        `  -> ${res?.status ?? 'no answer'}${res && res.status >= 400 ? ` ${JSON.stringify(res.json.error ?? '').slice(0, 120)}` : ''}`,
      );
      if (record.reversalOf) return;
      if (res?.status === 200) chosen.set(record.id, new Set([allocationKey(allocations)]));
      // No answer, a 5xx, or a 409 that may be the repeat of an edit that was taken: look again.
      else await reconcileEdit(record.id, allocations, record.version);
    };

    const editable = (all: RecordView[]) => all.filter((r) => r.status === 'pending' || r.status === 'incomplete');

    const step = async () => {
      let cached: RecordView[] | null = null;
      const all = async () => (cached ??= await recordsForChoice());
      const action = rng.weighted({
        pay: 6,
        edit: 3,
        remove: 1,
        restore: 1,
        postSelected: 2,
        postAll: 2,
        agent: 5,
        mmsImport: 4,
        sync: 2,
        reverse: 2,
        correct: 1,
        lateDelivery: 1,
        schedule: 2,
        cancelSchedule: 1,
      });
      switch (action) {
        case 'pay':
          return takePayment();
        case 'edit': {
          const open = editable(await all());
          if (open.length === 0) return takePayment();
          return editRecord(rng.pick(open));
        }
        case 'remove': {
          const open = editable(await all());
          if (open.length === 0) return;
          const chosenOnes = [rng.pick(open)];
          log(`step remove ${chosenOnes.map((r) => r.id).join(',')}`);
          const res = await api(tokens.accountant!, 'POST', '/postings/remove', { ids: chosenOnes.map((r) => r.id) });
          log(`  -> ${res?.status ?? 'no answer'}`);
          return;
        }
        case 'restore': {
          const removed = (await all()).filter((r) => r.status === 'removed');
          if (removed.length === 0) return;
          const record = rng.pick(removed);
          log(`step move-to-pending ${record.id}`);
          const res = await api(tokens.accountant!, 'POST', '/postings/move-to-pending', { ids: [record.id] });
          log(`  -> ${res?.status ?? 'no answer'}`);
          return;
        }
        case 'postSelected': {
          const pending = (await all()).filter((r) => r.status === 'pending');
          const ids = rng.subset(pending, 0.6).map((r) => r.id);
          if (ids.length === 0) return;
          log(`step post selected ${ids.length} of ${pending.length}`);
          const res = await api(tokens.accountant!, 'POST', '/postings/post', { ids });
          log(
            `  -> ${res?.status ?? 'no answer'}${res?.status === 200 ? ` batch ${JSON.stringify((res.json.batch as Json | null)?.seq ?? null)}` : ''}`,
          );
          return;
        }
        case 'postAll': {
          log('step post all');
          const res = await api(tokens.accountant!, 'POST', '/postings/post', { all: true });
          log(
            `  -> ${res?.status ?? 'no answer'}${res?.status === 200 ? ` batch ${JSON.stringify((res.json.batch as Json | null)?.seq ?? null)}` : ''}`,
          );
          return;
        }
        case 'agent':
          log('step agent round');
          return agentRound();
        case 'mmsImport': {
          const waiting = await mms.waiting();
          if (waiting.length === 0) return;
          log('step MMS import');
          for (const fileName of waiting) log(`  ${await mms.importFile(fileName, rng.chance(0.2))}`);
          return;
        }
        case 'sync':
          log('step sync');
          return sync();
        case 'reverse': {
          const list = (await payments()).filter((p) => p.status === 'approved');
          if (list.length === 0) return;
          const payment = rng.pick(list.sort((a, b) => a.processorId.localeCompare(b.processorId)));
          const refundable = payment.amountCents - payment.refundedCents;
          const how = rng.weighted({ chargeback: 1, partialRefund: 2, fullRefund: 1, void: 1 });
          log(`step reverse ${payment.processorId} ${how}`);
          // A refund or void changes the record's receipt: what the firm chose before no longer holds.
          for (const r of (await all()).filter((x) => x.paymentId === payment.id)) chosen.delete(r.id);
          if (how === 'chargeback') {
            const res = await api(tokens.accountant!, 'POST', `/payments/${payment.id}/reverse`, {
              kind: 'chargeback',
            });
            log(`  -> ${res?.status ?? 'no answer'}`);
          } else if (how === 'partialRefund' && refundable > 1) {
            eventCount += 0;
            await sendEvent('payment.refunded', {
              processorId: payment.processorId,
              refundId: `re_${eventCount + 1}`,
              amountCents: rng.between(1, refundable - 1),
            });
          } else if (how === 'void' && payment.voidable) {
            await sendEvent('payment.voided', { processorId: payment.processorId });
          } else {
            await sendEvent('payment.refunded', {
              processorId: payment.processorId,
              refundId: `re_${eventCount + 1}`,
              amountCents: refundable,
            });
          }
          return;
        }
        case 'correct': {
          const posted = (await all()).filter(
            (r) => r.status === 'posted' && r.mmsStatus === 'applied' && !r.reversalOf && r.account === 'operating',
          );
          if (posted.length === 0) return;
          const record = rng.pick(posted);
          const allocations = allocationsFor(record);
          log(`step correct ${record.id} -> ${allocationKey(allocations)}`);
          const res = await api(tokens.accountant!, 'POST', `/postings/${record.id}/correct`, {
            version: record.version,
            allocations: allocationBody(allocations),
          });
          log(
            `  -> ${res?.status ?? 'no answer'}${res && res.status >= 400 ? ` ${JSON.stringify(res.json.error ?? '').slice(0, 120)}` : ''}`,
          );
          return;
        }
        case 'schedule':
          return createSchedule();
        case 'cancelSchedule':
          return cancelSchedule();
        case 'lateDelivery':
          if (net.heldBack === 0) return;
          log('step late deliveries');
          return net.deliverHeld((n) => rng.int(n));
      }
    };

    const armFault = () => {
      const kind = rng.weighted({ net: 5, crash: 3, disk: 2, db: 1, mms: mms instanceof ProcedureMms ? 2 : 0 });
      faults += 1;
      if (kind === 'net') {
        const fault: NetFault = rng.pick(NET_FAULTS);
        net.arm(fault);
        log(`fault armed: network ${fault} on the next request`);
      } else if (kind === 'crash') {
        armedCrash = rng.pick(CRASH_POINTS);
        log(`fault armed: kill the agent at ${armedCrash}`);
      } else if (kind === 'disk') {
        armedDisk = { step: rng.pick(['write', 'append', 'rename'] as const), code: rng.pick(['ENOSPC', 'EIO']) };
        log(`fault armed: ${armedDisk.code} on the next ${armedDisk.step}`);
      } else if (kind === 'mms' && mms instanceof ProcedureMms) {
        mms.failNext = true;
        log('fault armed: the MMS connection is lost on the next statement');
      } else {
        env.dbFaults.failing = rng.between(1, 4);
        log(`fault armed: the database goes away for ${env.dbFaults.failing} queries`);
      }
    };

    const steps = rng.between(5, options.maxSteps);
    // About one seed in twenty has its database restart: it stops in the middle of the
    // server's work at one step, and starts again by itself a few statements later.
    const restartAt = rng.chance(0.05) ? rng.int(steps) : null;
    for (let i = 0; i < steps; i += 1) {
      advance(rng.between(1, 600) * 1000);
      if (rng.chance(options.faultRate)) armFault();
      if (i === restartAt) {
        faults += 1;
        const after = rng.int(6);
        const downFor = rng.between(2, 12);
        env.database.restartAfter(after, downFor);
        log(`fault armed: the database restarts after ${after} statements, down for ${downFor}`);
      }
      await step();
      await timedJobs();
    }

    // The drain: no more faults; the firm fixes what the MMS refused, posts, and the agent and the MMS catch up.
    log('drain');
    net.arm(null);
    armedCrash = null;
    armedDisk = null;
    env.dbFaults.failing = 0;
    await env.database.settle();
    if (mms instanceof ProcedureMms) mms.failNext = false;
    await net.deliverHeld((n) => rng.int(n));
    for (let round = 0; round < 8 && !agentDead; round += 1) {
      await sync();
      for (const record of (await recordsForChoice()).filter(
        (r) => r.status === 'incomplete' && r.reasons.includes('rejected_by_mms'),
      ))
        await editRecord(record, true);
      // A day on in the first round when the firm has schedules: a declined run's retry, and
      // a schedule that starts tomorrow, come due.
      advance(round === 0 && scheduleCount > 0 ? 86_400_000 : 3_600_000);
      await timedJobs();
      log('drain post all');
      const res = await api(tokens.accountant!, 'POST', '/postings/post', { all: true });
      log(`  -> ${res?.status}`);
      await agentRound();
      for (const fileName of await mms.waiting()) log(`  ${await mms.importFile(fileName, false)}`);
      await agentRound();
      const now = await recordsForChoice();
      const unsettled = now.filter(
        (r) =>
          r.status === 'pending' ||
          r.status === 'queued' ||
          (r.status === 'posted' && r.mmsStatus !== 'applied') ||
          (r.status === 'incomplete' && r.reasons.includes('rejected_by_mms')),
      );
      if (unsettled.length === 0 && (await mms.waiting()).length === 0) break;
    }

    await mms.settle();
    const after = await records();
    await check({
      records: after,
      payments: await payments(),
      batches: await batches(),
      mms,
      model,
      chosen,
      failures,
      read,
      root,
      stateDir,
    });
    if (scheduleCount > 0)
      await checkSchedules({
        db: env.conn.db,
        firmId: firm.id,
        scheduleCount,
        attemptSeen,
        clockMs,
        records: after,
        fail: (text) => failures.push(text),
      });
    // The server never answers 500: the database going away, even restarting, is a 503
    // with Retry-After for the client to try again.
    for (const answer of net.serverErrors) failures.push(`the server answered ${answer}`);
    failures.push(...(options.extraInvariant?.({ records: after, mms }) ?? []));
    return { seed, failures: failures.map(normal), trace, steps, faults };
  } catch (error) {
    failures.push(
      `the simulation itself failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return { seed, failures: failures.map(normal), trace, steps: 0, faults };
  } finally {
    setCrashHook(null);
    setDiskFaultHook(null);
    env.dbFaults.failing = 0;
    await env.database.settle();
    env.database.logTo = () => undefined;
    // The database outlives the seed: its firm must not post automatically in the next one,
    // nor its schedules run (nor a run of them be taken over) in another seed's ticks.
    await env.conn.db.updateTable('firms').set({ auto_post: false }).where('code', '=', code).execute();
    const firmId = env.conn.db.selectFrom('firms').select('id').where('code', '=', code);
    await env.conn.db
      .updateTable('payment_schedules')
      .set({ status: 'cancelled', next_run_on: null })
      .where('firm_id', '=', firmId)
      .where('status', '=', 'active')
      .execute();
    await env.conn.db
      .updateTable('schedule_runs')
      .set({ status: 'missed' })
      .where('firm_id', '=', firmId)
      .where('status', 'in', ['claimed', 'declined'])
      .execute();
    await agent?.stop().catch(() => undefined);
    await rm(root, { recursive: true, force: true });
  }
}

interface CheckInput {
  records: RecordView[];
  payments: PaymentView[];
  batches: BatchView[];
  mms: SimLedger;
  model: Map<string, SimPayment>;
  chosen: Map<string, Set<string>>;
  failures: string[];
  read: <T>(path: string) => Promise<T>;
  root: string;
  stateDir: string;
}

/** The invariants of issue 17, over what the server says and what the MMS holds. */
async function check({
  records,
  payments,
  batches,
  mms,
  model,
  chosen,
  failures,
  read,
  stateDir,
}: CheckInput): Promise<void> {
  const fail = (text: string) => failures.push(text);
  const byId = new Map(records.map((r) => [r.id, r]));

  // Nothing applied twice: each (record, line) once in the MMS, and each record's lines from one file.
  const seenLines = new Map<string, string>();
  const filesOfRecord = new Map<string, Set<string>>();
  for (const line of mms.applied) {
    const key = `${line.recordId}#${line.line}`;
    const from = line.fileName ?? 'the procedure';
    const before = seenLines.get(key);
    if (before !== undefined)
      fail(`record ${line.recordId} line ${line.line} applied twice in the MMS (${before}, ${from})`);
    seenLines.set(key, from);
    const files = filesOfRecord.get(line.recordId) ?? new Set<string>();
    files.add(from);
    filesOfRecord.set(line.recordId, files);
  }
  for (const [recordId, files] of filesOfRecord)
    if (files.size > 1) fail(`record ${recordId} is in ${files.size} applied batches: ${[...files].join(', ')}`);

  // Every record the MMS applied is posted and applied on the server, with exactly the lines the MMS holds.
  const linesOf = new Map<string, typeof mms.applied>();
  for (const line of mms.applied) linesOf.set(line.recordId, [...(linesOf.get(line.recordId) ?? []), line]);
  for (const [recordId, lines] of linesOf) {
    const record = byId.get(recordId);
    if (!record) {
      fail(`the MMS applied record ${recordId}, which the server does not have`);
      continue;
    }
    if (record.status !== 'posted' || record.mmsStatus !== 'applied')
      fail(`the MMS applied record ${recordId}, which the server shows ${record.status}/${record.mmsStatus}`);
    const applied = allocationKey(
      [...lines]
        .sort((a, b) => a.line - b.line)
        .map((l) => ({
          invoiceNumber: l.account === 'trust' ? null : l.invoiceNumber,
          clientNumber: l.clientNumber,
          matterNumber: l.matterNumber,
          amountCents: l.amountCents,
        })),
    );
    if (applied !== allocationKey(record.allocations))
      fail(
        `record ${recordId}: the MMS applied ${applied}, the server's allocations are ${allocationKey(record.allocations)}`,
      );
    const want = chosen.get(recordId);
    if (want !== undefined && !want.has(applied))
      fail(`record ${recordId}: the firm last chose ${[...want].join(' or ')}, the MMS applied ${applied}`);
  }
  for (const record of records) {
    if (record.status === 'posted' && record.mmsStatus === 'applied' && !linesOf.has(record.id))
      fail(`record ${record.id} is posted and applied on the server, but the MMS has none of its lines`);
    const want = chosen.get(record.id);
    if (want !== undefined && !want.has(allocationKey(record.allocations)))
      fail(
        `record ${record.id}: the firm last chose ${[...want].join(' or ')}, the server holds ${allocationKey(record.allocations)}`,
      );
  }

  // Every approved payment that should post is applied exactly once; the others never reach the MMS.
  const paymentsById = new Map(payments.map((p) => [p.id, p]));
  for (const [processorId, meant] of model) {
    const payment = payments.find((p) => p.processorId === processorId);
    if (!payment) continue; // every attempt to take it failed: the firm never had it
    if (payment.origin !== meant.origin)
      fail(`payment ${processorId} has origin ${payment.origin}, taken as ${meant.origin}`);
    const own = records.filter((r) => r.paymentId === payment.id);
    if (!meant.makesRecord) {
      if (own.length > 0)
        fail(`payment ${processorId} (${meant.origin}) has ${own.length} posting records; SPEC §3.1 gives it none`);
      continue;
    }
    const original = own.find((r) => r.reversalOf === null && r.reversalKind === null);
    if (!original) {
      fail(`payment ${processorId} (${meant.origin}) has no posting record`);
      continue;
    }
    const net = mms.applied.filter((l) => own.some((r) => r.id === l.recordId)).reduce((s, l) => s + l.amountCents, 0);
    const serverNet = own
      .filter((r) => r.status === 'posted' && r.mmsStatus === 'applied')
      .reduce((s, r) => s + r.amountCents, 0);
    if (net !== serverNet)
      fail(`payment ${processorId}: the MMS holds ${net} of it, the server's applied records ${serverNet}`);
    if (payment.status === 'approved' && payment.refundedCents === 0 && original.status === 'posted') {
      if (net !== payment.amountCents - payment.surchargeCents)
        fail(
          `payment ${processorId}: approved for ${payment.amountCents - payment.surchargeCents}, the MMS holds ${net}`,
        );
    }
    if (payment.status !== 'approved' && original.status === 'posted') {
      const reversed = own.filter((r) => r.reversalOf !== null && r.reversalKind !== 'correction');
      if (reversed.length === 0)
        fail(`payment ${processorId} is ${payment.status} after posting, with no reversal record`);
    }
  }
  for (const line of mms.applied) {
    if (line.paymentId === null) continue; // the procedure's lines do not name it
    const record = byId.get(line.recordId);
    if (record && record.paymentId !== line.paymentId)
      fail(`line of record ${line.recordId} names payment ${line.paymentId}, the record's is ${record.paymentId}`);
    if (!paymentsById.has(line.paymentId)) fail(`the MMS applied a line of unknown payment ${line.paymentId}`);
  }

  // After the drain: nothing waits, nothing is stuck. A correction's reversal may wait for
  // its replacement, when that is incomplete (the accountant's to mend): the two post only
  // together (SPEC §3.7), as an incomplete record waits for the accountant anyway.
  const waitingForItsPair = (record: RecordView) =>
    record.reversalKind === 'correction' &&
    records.some(
      (other) => other.correctionId === record.correctionId && other.id !== record.id && other.status === 'incomplete',
    );
  // A correction's two halves are in one batch, or neither is in any (SPEC §3.7); a half the
  // MMS refused goes out again alone once mended.
  const halves = new Map<string, RecordView[]>();
  for (const record of records)
    if (record.correctionId !== null)
      halves.set(record.correctionId, [...(halves.get(record.correctionId) ?? []), record]);
  for (const [correctionId, pair] of halves) {
    const batchesOfPair = new Set(pair.map((r) => r.batchId));
    if (pair.length !== 2 || (batchesOfPair.size !== 1 && pair.every((r) => r.mmsRefusals === 0)))
      fail(
        `correction ${correctionId}: ${pair.map((r) => `${r.id} ${r.status} in batch ${r.batchId ?? 'none'}`).join(', ')}`,
      );
  }
  for (const record of records) {
    if (record.status === 'queued' || (record.status === 'pending' && !waitingForItsPair(record)))
      fail(`record ${record.id} is still ${record.status} after the drain`);
    if (record.status === 'posted' && record.mmsStatus !== 'applied')
      fail(`record ${record.id} is posted, the MMS status ${record.mmsStatus} after the drain`);
  }
  for (const batch of batches) {
    if (batch.status !== 'delivered') fail(`batch ${batch.seq} is still ${batch.status} after the drain`);
    if (mms.sink === 'procedure') {
      // The procedure answers record by record: each line applied or refused, none unanswered.
      if (batch.appliedLines + batch.rejectedLines !== batch.lineCount)
        fail(
          `batch ${batch.seq}: ${batch.appliedLines} lines applied and ${batch.rejectedLines} refused of ${batch.lineCount}`,
        );
      continue;
    }
    const inMms = mms.applied.filter((l) => l.fileName === batch.fileName);
    const refused = mms.refusedFiles.includes(batch.fileName);
    if (!refused && inMms.length === 0) fail(`batch ${batch.seq} reached neither the MMS's ledger nor its refusals`);
    if (inMms.length > 0 && batch.appliedLines !== batch.lineCount)
      fail(
        `batch ${batch.seq}: the MMS applied its ${batch.lineCount} lines, the server counts ${batch.appliedLines} applied`,
      );
    if (refused && inMms.length === 0 && batch.rejectedLines !== batch.lineCount)
      fail(
        `batch ${batch.seq}: the MMS refused its ${batch.lineCount} lines, the server counts ${batch.rejectedLines} rejected`,
      );
  }

  // Ledger sums: the MMS per invoice and per matter equals the server's applied records.
  const serverSums = new Map<string, number>();
  for (const r of records.filter((x) => x.status === 'posted' && x.mmsStatus === 'applied'))
    for (const a of r.allocations) {
      const key = a.invoiceNumber ?? `${a.clientNumber}/${a.matterNumber}`;
      serverSums.set(key, (serverSums.get(key) ?? 0) + a.amountCents);
    }
  const mmsSums = new Map<string, number>();
  for (const l of mms.applied) {
    const key = l.account === 'trust' ? `${l.clientNumber}/${l.matterNumber}` : l.invoiceNumber!;
    mmsSums.set(key, (mmsSums.get(key) ?? 0) + l.amountCents);
  }
  for (const key of new Set([...serverSums.keys(), ...mmsSums.keys()]))
    if ((serverSums.get(key) ?? 0) !== (mmsSums.get(key) ?? 0))
      fail(
        `ledger ${key}: the MMS holds ${mmsSums.get(key) ?? 0}, the server's applied records ${serverSums.get(key) ?? 0}`,
      );
  const appliedBatchTotal = batches.filter((b) => b.appliedLines > 0).reduce((s, b) => s + b.totalCents, 0);
  const mmsTotal = mms.applied.reduce((s, l) => s + l.amountCents, 0);
  if (mms.sink === 'file-drop' && appliedBatchTotal !== mmsTotal)
    fail(`applied batches total ${appliedBatchTotal}, the MMS holds ${mmsTotal}`);

  // Counts equal the rows.
  const counts = await read<Record<string, number>>('/postings/counts');
  const views: Record<string, (r: RecordView) => boolean> = {
    pending_incomplete: (r) => r.status === 'pending' || r.status === 'incomplete',
    pending: (r) => r.status === 'pending',
    incomplete: (r) => r.status === 'incomplete',
    posted: (r) => r.status === 'posted',
    removed: (r) => r.status === 'removed',
    queued: (r) => r.status === 'queued',
    all: () => true,
  };
  for (const [view, keep] of Object.entries(views)) {
    const rows = records.filter(keep).length;
    if (counts[view] !== rows) fail(`count ${view} is ${counts[view]}, the rows ${rows}`);
  }
  const batchRecords = batches.reduce((s, b) => s + b.recordCount, 0);
  const inBatches = records.filter((r) => r.batchId !== null).length;
  if (batchRecords < inBatches) fail(`batches count ${batchRecords} records, ${inBatches} records name a batch`);

  // The agent never quarantined anything: no fault here makes a stranger's file.
  const quarantined = await readdir(join(stateDir, 'quarantine')).catch(() => [] as string[]);
  if (quarantined.length > 0) fail(`the agent quarantined ${quarantined.join(', ')}`);
}

/**
 * The invariants of payment schedules: each due date charged once at most, whatever the
 * repeated ticks, lost answers and database faults; every approved charge taken in as
 * one payment; nothing charged for a schedule after its cancel but a run claimed before
 * it; no schedule left behind; and their payments never posting (SPEC §3.2).
 */
async function checkSchedules({
  db,
  firmId,
  scheduleCount,
  attemptSeen,
  clockMs,
  records,
  fail,
}: {
  db: Db;
  firmId: string;
  scheduleCount: number;
  attemptSeen: Map<string, number>;
  clockMs: number;
  records: RecordView[];
  fail: (text: string) => void;
}): Promise<void> {
  const schedules = await db
    .selectFrom('payment_schedules')
    .select(['id', 'description', 'status', 'next_run_on', 'cancelled_at'])
    .where('firm_id', '=', firmId)
    .execute();
  const runs = await db
    .selectFrom('schedule_runs')
    .select(['schedule_id', 'run_on', 'status', 'attempt', 'processor_id', 'payment_id', 'amount_cents'])
    .where('firm_id', '=', firmId)
    .execute();
  const charges = (
    await db
      .selectFrom('sandbox_charges')
      .select(['id', 'idempotency_key', 'status', 'amount_cents', 'created_at'])
      .where('firm_id', '=', firmId)
      .where('idempotency_key', 'like', 'schedule:%')
      .execute()
  ).map((c) => {
    const [, scheduleId, runOn, retry] = c.idempotency_key.split(':');
    return { ...c, scheduleId: scheduleId!, runOn: runOn!, attempt: retry ? 2 : 1 };
  });
  const payments = await db
    .selectFrom('payments')
    .select(['id', 'processor_id', 'amount_cents', 'origin'])
    .where('firm_id', '=', firmId)
    .where('origin', '=', 'payment_schedule')
    .execute();

  if (schedules.length > scheduleCount)
    fail(`the firm set up ${scheduleCount} schedules, the server holds ${schedules.length}`);
  const descriptions = new Set(schedules.map((s) => s.description));
  if (descriptions.size !== schedules.length)
    fail(`a schedule was set up twice: ${schedules.map((s) => s.description).join(', ')}`);

  const today = calendarDateIn(new Date(clockMs), 'America/New_York');
  for (const schedule of schedules) {
    const name = `${schedule.description} (${schedule.id})`;
    if (schedule.status === 'active' && schedule.next_run_on !== null && schedule.next_run_on <= today)
      fail(`${name} is still due on ${schedule.next_run_on} after the drain (today ${today})`);
    const own = runs.filter((r) => r.schedule_id === schedule.id);
    for (const run of own) {
      if (run.status === 'claimed') fail(`${name}: the run of ${run.run_on} is still claimed after the drain`);
      if (run.status === 'declined' && schedule.status !== 'active')
        fail(`${name} is ${schedule.status}, yet its run of ${run.run_on} waits for a retry`);
    }
    const ownCharges = charges.filter((c) => c.scheduleId === schedule.id);
    for (const runOn of new Set(ownCharges.map((c) => c.runOn))) {
      const approved = ownCharges.filter((c) => c.runOn === runOn && c.status !== 'declined');
      if (approved.length > 1) fail(`${name}: the due date ${runOn} was charged ${approved.length} times`);
    }
    if (schedule.cancelled_at !== null) {
      const cancelledMs = new Date(schedule.cancelled_at).getTime();
      for (const charge of ownCharges) {
        if (new Date(charge.created_at).getTime() < cancelledMs) continue;
        const claimedMs = attemptSeen.get(`${schedule.id}|${charge.runOn}|${charge.attempt}`);
        if (claimedMs === undefined || claimedMs >= cancelledMs)
          fail(
            `${name}: charged for ${charge.runOn} (attempt ${charge.attempt}) after its cancel, a run not claimed before it`,
          );
      }
    }
  }
  for (const charge of charges) {
    if (charge.status === 'declined') continue;
    const run = runs.find((r) => r.schedule_id === charge.scheduleId && r.run_on === charge.runOn);
    if (run?.status !== 'paid' || run.processor_id !== charge.id)
      fail(
        `the approved charge for ${charge.scheduleId} on ${charge.runOn} is not the paid run (${run?.status ?? 'no run'})`,
      );
    const taken = payments.filter((p) => p.processor_id === charge.id);
    if (taken.length !== 1)
      fail(`the approved charge for ${charge.scheduleId} on ${charge.runOn} is ${taken.length} payments`);
    else if (taken[0]!.amount_cents !== charge.amount_cents)
      fail(
        `the payment of ${charge.scheduleId} on ${charge.runOn} is ${taken[0]!.amount_cents}, charged ${charge.amount_cents}`,
      );
    if (taken[0] && run?.payment_id !== taken[0].id)
      fail(`the paid run of ${charge.scheduleId} on ${charge.runOn} names another payment`);
  }
  for (const payment of payments) {
    if (!payment.processor_id.startsWith('sbx_ch_')) continue; // keyed in by the firm, checked with the rest
    if (!charges.some((c) => c.id === payment.processor_id))
      fail(`payment ${payment.id} from a schedule has no charge of a schedule`);
    if (records.some((r) => r.paymentId === payment.id))
      fail(`payment ${payment.id} from a schedule has a posting record; SPEC §3.2 gives it none`);
  }
}

/** A failed seed for a person: what broke, every step and fault, and the command that replays it. */
export function describeFailure(result: SeedResult, replay: string): string {
  return [
    `seed ${result.seed} FAILED (${result.steps} steps, ${result.faults} faults):`,
    ...result.failures.map((f) => `  ✗ ${f}`),
    'trace:',
    ...result.trace.map((line) => `  ${line}`),
    `replay: ${replay}`,
  ].join('\n');
}
