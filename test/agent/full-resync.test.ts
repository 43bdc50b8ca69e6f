import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerClient, type SyncBody } from '../../src/agent/client.ts';
import { syncFromPostgres } from '../../src/agent/sources/postgres.ts';
import { call } from '../support/app.ts';
import { takePayment } from '../support/fixtures.ts';
import {
  createTestMms,
  expectSuccess,
  removeDirs,
  runAgentOnce,
  seedBasicMms,
  startAgentServer,
  tempDir,
  writeConfig,
  type AgentServer,
  type TestMms,
} from './harness.ts';

// SPEC §9 `full: true`: an invoice deleted in the MMS is voided in paybridge by a full
// resync, made once a day and on `--full`; an incremental sync (rows changed since the
// last one) cannot see a deletion. A real agent process against the real server, syncing
// from a real PostgreSQL MMS.
describe('the full resync from a PostgreSQL MMS', () => {
  let s: AgentServer;
  let mms: TestMms;
  let root: string;
  let stateDir: string;
  let configFile: string;

  const statusOf = async (invoice: string) =>
    (
      await s.t.conn.db
        .selectFrom('invoices')
        .select('status')
        .where('firm_id', '=', s.firm.id)
        .where('invoice_number', '=', invoice)
        .executeTakeFirst()
    )?.status;
  const syncState = async () =>
    JSON.parse(await readFile(join(stateDir, 'postgres-sync.json'), 'utf8')) as { since: string; lastFullAt?: string };

  beforeAll(async () => {
    [s, mms] = await Promise.all([startAgentServer('FULL'), createTestMms()]);
    await seedBasicMms(mms);
    root = await tempDir('pb-agent-full-');
    stateDir = join(root, 'state');
    await mkdir(join(root, 'inbox'));
    configFile = await writeConfig(root, {
      server: s.url,
      token: s.firm.agent,
      stateDir,
      source: { type: 'postgres', connectionString: mms.url },
      sink: { type: 'file-drop', folder: join(root, 'inbox') },
    });
  });
  afterAll(async () => {
    await s?.close();
    await mms?.close();
    await removeDirs(root);
  });

  it(
    'voids an invoice deleted in the MMS on --full, and on the first sync a day after the last full one, never on the others',
    { timeout: 90_000 },
    async () => {
      const first = await runAgentOnce(configFile);
      expectSuccess(first);
      // No full resync on record: the first sync is one.
      expect(first.stderr).toContain('a full resync');
      const { lastFullAt } = await syncState();
      expect(Date.now() - Date.parse(lastFullAt ?? '')).toBeLessThan(60_000);
      expect(await statusOf('INV-103')).toBe('open');

      // A pending record on an invoice the MMS then deletes.
      const payment = await takePayment(s.t, s.firm, {
        invoiceNumbers: ['INV-103'],
        clientNumber: 'C2',
        amountCents: 5000,
      });
      expect(payment.postingRecord.status).toBe('pending');
      await mms.db.exec(`delete from mms_invoices where invoice_number in ('INV-103', 'INV-102')`);

      const incremental = await runAgentOnce(configFile);
      expectSuccess(incremental);
      expect(incremental.stderr).not.toContain('a full resync');
      expect(await statusOf('INV-103')).toBe('open');
      expect((await syncState()).lastFullAt).toBe(lastFullAt);

      const full = await runAgentOnce(configFile, {}, ['--full']);
      expectSuccess(full);
      expect(full.stderr).toContain('a full resync');
      expect(await statusOf('INV-103')).toBe('void');
      expect(await statusOf('INV-102')).toBe('void');
      // The invoices still in the MMS stay open, and the record on the voided one can no longer be posted.
      expect(await statusOf('INV-100')).toBe('open');
      const record = (await call(s.t, s.firm.viewer, 'GET', `/postings/${payment.postingRecord.id}`)).json<{
        status: string;
        reasons: string[];
      }>();
      expect(record).toMatchObject({ status: 'incomplete', reasons: ['invoice_closed'] });

      // A day later, without --full: the first sync is a full one again.
      await mms.db.exec(`delete from mms_invoices where invoice_number = 'INV-101'`);
      expectSuccess(await runAgentOnce(configFile));
      expect(await statusOf('INV-101')).toBe('open');
      const state = await syncState();
      await writeFile(
        join(stateDir, 'postgres-sync.json'),
        JSON.stringify({ ...state, lastFullAt: new Date(Date.now() - 24 * 3_600_000 - 60_000).toISOString() }),
      );
      const daily = await runAgentOnce(configFile);
      expectSuccess(daily);
      expect(daily.stderr).toContain('a full resync');
      expect(await statusOf('INV-101')).toBe('void');
      expect(await statusOf('INV-100')).toBe('open');
    },
  );

  it("sends a paged full resync with full: true on its last page only, naming the earlier pages' open invoices, so none of them is voided", async () => {
    await mms.db.exec(`
      insert into mms_clients (client_number, name) values ('FP', 'Paged client');
      insert into mms_matters (client_number, matter_number, description) values ('FP', 'M1', 'Paged');
      insert into mms_invoices (invoice_number, client_number, matter_number, invoice_date, total_cents, balance_cents, status)
        select 'FP-' || i, 'FP', 'M1', '2026-04-01', 1000, case when i = 2 then 0 else 1000 end, case when i = 2 then 'paid' else 'open' end
        from generate_series(1, 5) i;`);
    const client = new ServerClient(s.url, s.firm.agent);
    const pages: SyncBody[] = [];
    const summary = await syncFromPostgres(
      mms.db,
      async (body) => {
        pages.push(body);
        await client.sync(body);
      },
      join(root, 'paged-state'),
      pino({ level: 'silent' }),
      2,
      { forceFull: true },
    );
    expect(summary.full).toBe(true);
    expect(pages.length).toBeGreaterThan(2);
    expect(pages.map((p) => p.full)).toEqual([...pages.slice(1).map(() => false), true]);
    const last = pages.at(-1)!;
    const earlierOpen = pages
      .slice(0, -1)
      .flatMap((p) => p.invoices.filter((v) => v.status === 'open').map((v) => v.invoiceNumber));
    expect(earlierOpen.length).toBeGreaterThan(0);
    expect(last.earlierInvoiceNumbers).toEqual(earlierOpen);
    expect(pages.slice(0, -1).every((p) => p.earlierInvoiceNumbers === undefined)).toBe(true);
    // Every invoice the MMS lists is as the MMS has it, wherever its page was.
    for (const invoice of ['INV-100', 'FP-1', 'FP-3', 'FP-4', 'FP-5']) expect(await statusOf(invoice)).toBe('open');
    expect(await statusOf('FP-2')).toBe('paid');
    expect(await statusOf('INV-101')).toBe('void');
  });

  it('refuses --full without a postgres source, saying why', async () => {
    const ledes = await writeConfig(root, {
      server: s.url,
      token: s.firm.agent,
      stateDir,
      source: { type: 'ledes', folder: join(root, 'inbox') },
      sink: { type: 'file-drop', folder: join(root, 'inbox') },
    });
    const run = await runAgentOnce(ledes, {}, ['--full']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("--full resyncs from a postgres source, and this config's source is ledes");
  });
});
