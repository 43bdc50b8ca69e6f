import { execFile } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { connectPostgres } from '../../src/db/connect.ts';
import { migrate } from '../../src/db/migrate.ts';
import { createTestFirm, startAppOn, type TestApp, type TestFirm } from '../support/app.ts';
import { paymentBody, syncBasicMms } from '../support/fixtures.ts';

const run = promisify(execFile);
const BIN = '/usr/lib/postgresql/15/bin';

/** A free TCP port on 127.0.0.1, for the private cluster. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A PostgreSQL 15 cluster of this test's own, in a temporary directory on a free port:
 * restarting the shared server at 127.0.0.1:5432 would fail every other test running on
 * it at the time. Run as the postgres user when the tests run as root (initdb refuses root).
 */
class PrivateCluster {
  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  static async create(): Promise<PrivateCluster> {
    const dir = await mkdtemp(join(tmpdir(), 'pb-pg-'));
    const cluster = new PrivateCluster(dir, await freePort());
    if (process.getuid?.() === 0) await chown(dir, Number((await run('id', ['-u', 'postgres'])).stdout), 0);
    await cluster.ctl(`${BIN}/initdb`, [
      '-D',
      cluster.data,
      '-A',
      'trust',
      '-U',
      'postgres',
      '-E',
      'UTF8',
      '--no-sync',
    ]);
    await cluster.start();
    return cluster;
  }

  get data() {
    return join(this.dir, 'data');
  }

  url(database: string) {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  private async ctl(command: string, args: string[]) {
    const asPostgres = process.getuid?.() === 0;
    await run(asPostgres ? 'runuser' : command, asPostgres ? ['-u', 'postgres', '--', command, ...args] : args);
  }

  start() {
    // fsync off: what is tested is the server process going away, not the machine's power.
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
    return this.ctl(`${BIN}/pg_ctl`, ['-D', this.data, '-l', join(this.dir, 'log'), '-w', '-o', options, 'start']);
  }

  /** A fast shutdown, as `pg_ctlcluster … restart` does: every session is ended, in-flight transactions roll back. */
  stop() {
    return this.ctl(`${BIN}/pg_ctl`, ['-D', this.data, '-m', 'fast', '-w', 'stop']);
  }

  async remove() {
    await this.stop().catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }
}

interface Attempt {
  body: ReturnType<typeof paymentBody>;
  processorId: string;
  status: number;
  code: string | undefined;
  retryAfter: string | undefined;
}

/**
 * Issue 17, PostgreSQL restarts: with payments being taken in a loop, PostgreSQL stops for
 * a few seconds and starts again. Meanwhile every request is answered 503
 * database_unavailable with Retry-After (never 500, and the process does not die); the
 * server recovers by itself; every payment acknowledged with a 2xx is in the database, and
 * every refused one, sent again, is taken once.
 */
describe('PostgreSQL restarting under load', () => {
  let cluster: PrivateCluster;
  let t: TestApp;
  let firm: TestFirm;

  beforeAll(async () => {
    cluster = await PrivateCluster.create();
    const admin = new pg.Client({ connectionString: cluster.url('postgres') });
    await admin.connect();
    await admin.query('create database paybridge');
    await admin.end();
    const conn = connectPostgres(cluster.url('paybridge'), 10);
    await migrate(conn.db);
    t = await startAppOn(conn, { ...loadConfig({}), demo: false });
    firm = await createTestFirm(t, 'RESTART');
    await syncBasicMms(t, firm);
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await cluster?.remove();
  });

  it(
    'answers 503 with Retry-After while it is gone, recovers, and loses nothing acknowledged',
    { timeout: 60_000 },
    async () => {
      const attempts: Attempt[] = [];
      const pay = async (body = paymentBody()): Promise<Attempt> => {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/payments',
          headers: { authorization: `Bearer ${firm.accountant}` },
          payload: body,
        });
        const code = res.statusCode >= 400 ? res.json<{ error: { code: string } }>().error.code : undefined;
        const retryAfter = res.headers['retry-after'];
        return {
          body,
          processorId: body.processorId,
          status: res.statusCode,
          code,
          retryAfter: retryAfter?.toString(),
        };
      };
      let phase: 'before' | 'down' | 'after' | 'done' = 'before';
      const byPhase = { before: [] as Attempt[], down: [] as Attempt[], after: [] as Attempt[] };
      const load = async () => {
        while (phase !== 'done') {
          const current = phase;
          const attempt = await pay();
          attempts.push(attempt);
          byPhase[current].push(attempt);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      };
      const workers = [load(), load(), load(), load()];
      const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

      await settle(1_500);
      phase = 'down';
      await cluster.stop();
      await settle(3_000); // the outage: a few seconds
      phase = 'after';
      await cluster.start();
      // Recovered by itself: payments are taken again within seconds of the restart.
      const restarted = performance.now();
      while (!byPhase.after.some((a) => a.status === 201)) {
        expect(performance.now() - restarted, 'taking payments again after the restart').toBeLessThan(15_000);
        await settle(50);
      }
      await settle(1_000);
      phase = 'done';
      await Promise.all(workers);

      // (A request started just before the stop may be refused too: it is counted with the ones before.)
      expect(byPhase.before.filter((a) => a.status === 201).length).toBeGreaterThan(0);
      // While it was gone (and while it started again): 503 database_unavailable with Retry-After, each time.
      expect(byPhase.down.length).toBeGreaterThan(0);
      for (const a of byPhase.down.filter((x) => x.status !== 201))
        expect(a).toMatchObject({ status: 503, code: 'database_unavailable', retryAfter: '5' });
      // Throughout: taken, or refused as unavailable; never a 500.
      expect(attempts.filter((a) => a.status !== 201 && a.status !== 503)).toEqual([]);
      expect(attempts.filter((a) => a.status === 503).every((a) => a.code === 'database_unavailable')).toBe(true);
      expect(attempts.filter((a) => a.status === 503).length).toBeGreaterThan(0);

      // Nothing acknowledged is lost.
      const stored = new Set(
        (await t.conn.db.selectFrom('payments').select('processor_id').where('firm_id', '=', firm.id).execute()).map(
          (p) => p.processor_id,
        ),
      );
      const acknowledged = attempts.filter((a) => a.status === 201).map((a) => a.processorId);
      expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);

      // A refused payment sent again (as the client is told to) is taken once, even one whose
      // commit the server made but whose answer was lost with the connection.
      const refused = attempts.filter((a) => a.status === 503);
      for (const a of refused.slice(0, 20)) {
        const again = await pay(a.body);
        expect([200, 201]).toContain(again.status);
      }
      const counts = await t.conn.db
        .selectFrom('payments')
        .select(['processor_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('firm_id', '=', firm.id)
        .groupBy('processor_id')
        .having((eb) => eb.fn.countAll(), '>', 1)
        .execute();
      expect(counts).toEqual([]);
      expect((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    },
  );
});
