import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerClient } from '../../src/agent/client.ts';
import { syncFromPostgres } from '../../src/agent/sources/postgres.ts';
import { call } from '../support/app.ts';
import { takePayment } from '../support/fixtures.ts';
import {
  createTestMms,
  expectSuccess,
  makeBatch,
  removeDirs,
  runAgentOnce,
  seedBasicMms,
  serverBatches,
  startAgentServer,
  tempDir,
  writeConfig,
  type AgentServer,
  type TestMms,
} from './harness.ts';

// A real PostgreSQL MMS with demo-schema.sql and install.sql, and a real agent process
// syncing from it and posting into it through paybridge_post_receipt.
describe('the agent on a PostgreSQL MMS: postgres source and procedure sink', () => {
  let s: AgentServer;
  let mms: TestMms;
  let root: string;
  let stateDir: string;
  let configFile: string;

  const receipts = async () =>
    (await mms.db.query<{ n: string }>('select count(*)::text as n from mms_receipts'))[0]!.n;
  const mmsBalance = async (invoice: string) =>
    (
      await mms.db.query<{ b: string }>('select balance_cents::text as b from mms_invoices where invoice_number = $1', [
        invoice,
      ])
    )[0]!.b;
  const serverInvoice = (invoice: string) =>
    s.t.conn.db
      .selectFrom('invoices')
      .select(['balance_cents', 'status'])
      .where('firm_id', '=', s.firm.id)
      .where('invoice_number', '=', invoice)
      .executeTakeFirst();
  const statusOf = async (id: string) => (await serverBatches(s)).find((b) => b.id === id)?.status;

  beforeAll(async () => {
    [s, mms] = await Promise.all([startAgentServer('PROC'), createTestMms()]);
    await seedBasicMms(mms);
    root = await tempDir('pb-agent-pg-');
    stateDir = join(root, 'state');
    configFile = await writeConfig(root, {
      server: s.url,
      token: s.firm.agent,
      stateDir,
      source: { type: 'postgres', connectionString: mms.url },
      sink: { type: 'procedure', connectionString: mms.url },
    });
  });
  afterAll(async () => {
    await s?.close();
    await mms?.close();
    await removeDirs(root);
  });

  it(
    'syncs the MMS to the server, posts each batch line once however the agent dies, and syncs the new balances back',
    { timeout: 90_000 },
    async () => {
      expectSuccess(await runAgentOnce(configFile));
      expect(await serverInvoice('INV-100')).toEqual({ balance_cents: 100000, status: 'open' });

      // Dies after the MMS commit, before the ack: the restart redoes the batch, and the procedure applies nothing twice.
      const first = await makeBatch(s, 2);
      const crashed = await runAgentOnce(configFile, { PAYBRIDGE_AGENT_CRASH_AT: 'after-commit' });
      expect(crashed.signal).toBe('SIGKILL');
      expect(await receipts()).toBe('2');
      expect(await statusOf(first.id)).toBe('queued');
      // The journal lost too, as if the ack were lost after the commit: the lines are posted again and found already applied.
      await rm(stateDir, { recursive: true });
      const redone = await runAgentOnce(configFile);
      expectSuccess(redone);
      expect(redone.stderr).toContain('"already_applied":2');
      expect(await receipts()).toBe('2');
      expect(await statusOf(first.id)).toBe('delivered');
      expect(await mmsBalance('INV-100')).toBe('98000');

      for (const point of ['before-ack', 'after-ack'] as const) {
        const batch = await makeBatch(s, 1);
        expect((await runAgentOnce(configFile, { PAYBRIDGE_AGENT_CRASH_AT: point })).signal).toBe('SIGKILL');
        expectSuccess(await runAgentOnce(configFile));
        expect(await statusOf(batch.id)).toBe('delivered');
      }
      expect(await receipts()).toBe('4');
      expect(await mmsBalance('INV-100')).toBe('96000');
      // The last run's sync came before its delivery; this one brings the MMS's new balance to paybridge.
      expectSuccess(await runAgentOnce(configFile));
      expect(await serverInvoice('INV-100')).toEqual({ balance_cents: 96000, status: 'open' });

      // A second acknowledgement changes nothing on the server.
      const again = await call(s.t, s.firm.agent, 'POST', `/agent/batches/${first.id}/ack`, {
        sha256: (await serverBatches(s)).find((b) => b.id === first.id)!.sha256,
      });
      expect(again.json().alreadyAcknowledged).toBe(true);
    },
  );

  it('pages a large sync, clients before matters before invoices, and saves the since only after every page', async () => {
    await mms.db.exec(`
      insert into mms_clients (client_number, name) select 'P' || i, 'Paged client ' || i from generate_series(1, 7) i;
      insert into mms_matters (client_number, matter_number, description) select 'P' || i, 'M1', 'Paged' from generate_series(1, 7) i;
      insert into mms_invoices (invoice_number, client_number, matter_number, invoice_date, total_cents, balance_cents)
        select 'PI-' || i, 'P' || i, 'M1', '2026-04-01', 10000000000, 10000000000 from generate_series(1, 7) i;`);
    const client = new ServerClient(s.url, s.firm.agent);
    const pages: number[][] = [];
    const post = async (body: Parameters<ServerClient['sync']>[0]) => {
      pages.push([body.clients.length, body.matters.length, body.invoices.length]);
      await client.sync(body);
    };
    const pagedState = join(root, 'paged-state');
    let calls = 0;
    const failing = async () => {
      calls += 1;
      if (calls === 2) throw new Error('server went away');
    };
    await expect(syncFromPostgres(mms.db, failing, pagedState, pino({ level: 'silent' }), 3)).rejects.toThrow(
      'server went away',
    );
    await expect(readFile(join(pagedState, 'postgres-sync.json'), 'utf8')).rejects.toThrow('ENOENT');
    const summary = await syncFromPostgres(mms.db, post, pagedState, pino({ level: 'silent' }), 3);
    expect(summary.invoices).toBe(11);
    // 10 clients, 10 matters, 11 invoices in pages of 3 of each kind.
    expect(pages).toEqual([
      [3, 0, 0],
      [3, 0, 0],
      [3, 0, 0],
      [1, 3, 0],
      [0, 3, 0],
      [0, 3, 0],
      [0, 1, 3],
      [0, 0, 3],
      [0, 0, 3],
      [0, 0, 2],
    ]);
    // The largest amount paybridge takes (SPEC §2) arrives exact.
    expect(await serverInvoice('PI-7')).toEqual({ balance_cents: 10000000000, status: 'open' });
    const saved = JSON.parse(await readFile(join(pagedState, 'postgres-sync.json'), 'utf8')) as { since: string };
    expect(Date.parse(saved.since)).toBeLessThan(Date.now() - 290_000);
  });

  it('names the MMS row and column of a value the server would refuse, and sends nothing', async () => {
    const bad: [string, string, RegExp][] = [
      [
        `insert into mms_invoices (invoice_number, client_number, matter_number, invoice_date, total_cents, balance_cents) values ('BIG-1', 'C1', 'M1', '2026-04-01', 10000000001, 0)`,
        `delete from mms_invoices where invoice_number = 'BIG-1'`,
        /invoice BIG-1: total of 10000000001 cents is too large: .*at most \$100,000,000\.00/,
      ],
      [
        `insert into mms_invoices (invoice_number, client_number, matter_number, invoice_date, total_cents, balance_cents) values ('OLD-1', 'C1', 'M1', '1899-12-31', 100, 100)`,
        `delete from mms_invoices where invoice_number = 'OLD-1'`,
        /invoice OLD-1: invoice_date "1899-12-31" must be a date in the years 1900 to 2999/,
      ],
      [
        `insert into mms_invoices (invoice_number, client_number, matter_number, invoice_date, total_cents, balance_cents) values ('FAR-1', 'C1', 'M1', '10000-01-01', 100, 100)`,
        `delete from mms_invoices where invoice_number = 'FAR-1'`,
        /invoice FAR-1: invoice_date "10000-01-01" must be a date/,
      ],
      [
        `insert into mms_clients (client_number, name) values ('NL-1', e'Two\nlines')`,
        `delete from mms_clients where client_number = 'NL-1'`,
        /client NL-1: name "Two\\nlines" must not contain control characters/,
      ],
      [
        `insert into mms_matters (client_number, matter_number, description) values ('C1', 'LS-1', e'a\u2028b')`,
        `delete from mms_matters where matter_number = 'LS-1'`,
        /matter C1\/LS-1: description "a\\u2028b" must not contain U\+2028 or U\+2029/,
      ],
    ];
    for (const [index, [insert, remove, named]] of bad.entries()) {
      await mms.db.exec(insert);
      const sent: unknown[] = [];
      const state = join(root, `bad-row-state-${index}`);
      try {
        await expect(
          syncFromPostgres(mms.db, async (body) => void sent.push(body), state, pino({ level: 'silent' })),
        ).rejects.toThrow(named);
      } finally {
        await mms.db.exec(remove);
      }
      // The row is named as it is read, before the page holding it is sent, and no since is saved.
      expect(sent).toEqual([]);
      await expect(readFile(join(state, 'postgres-sync.json'), 'utf8')).rejects.toThrow('ENOENT');
    }
  });

  it(
    'applies the records the MMS takes, reports the one it refuses, delivers the next batch, and applies the fixed record once',
    { timeout: 120_000 },
    async () => {
      const record = async (id: string) =>
        (await call(s.t, s.firm.viewer, 'GET', `/postings/${id}`)).json<{
          status: string;
          reasons: string[];
          mmsStatus: string | null;
          mmsMessage: string | null;
          version: number;
          batchId: string | null;
        }>();
      const take = async (invoice: string) =>
        (await takePayment(s.t, s.firm, { amountCents: 1000, invoiceNumbers: [invoice] })).postingRecord.id;
      const ledgerLines = async (recordId: string) =>
        (
          await mms.db.query<{ n: string }>('select count(*)::text as n from mms_receipts where record_id = $1', [
            recordId,
          ])
        )[0]!.n;
      const postAll = async () =>
        (await call(s.t, s.firm.accountant, 'POST', '/postings/post', { all: true })).json().batch as {
          id: string;
          seq: number;
        };

      expectSuccess(await runAgentOnce(configFile));
      const [first, refused, last] = [await take('INV-101'), await take('INV-102'), await take('INV-101')];
      const batch = await postAll();
      const next = await take('INV-100');
      const nextBatch = await postAll();
      // The MMS takes a cheque on INV-102 while the batch is queued: its line no longer fits.
      await mms.db.exec(`update mms_invoices set balance_cents = 500 where invoice_number = 'INV-102'`);
      const receiptsBefore = Number(await receipts());

      // Killed after the commit and the acknowledgement, before the answer reached the server.
      const crashed = await runAgentOnce(configFile, { PAYBRIDGE_AGENT_CRASH_AT: 'before-report' });
      expect(crashed.signal).toBe('SIGKILL');
      expect(Number(await receipts())).toBe(receiptsBefore + 2);
      expect(await statusOf(batch.id)).toBe('delivered');
      expect((await record(refused)).mmsStatus).toBe('awaiting');
      // The cheque is reversed meanwhile: posting the batch again would now apply the refused line.
      await mms.db.exec(`update mms_invoices set balance_cents = 100000 where invoice_number = 'INV-102'`);

      const restarted = await runAgentOnce(configFile);
      expectSuccess(restarted);
      // Reported from the journal, not posted again.
      expect(await ledgerLines(refused)).toBe('0');
      expect(await record(refused)).toMatchObject({
        status: 'incomplete',
        mmsStatus: 'rejected',
        mmsMessage: `receipt ${refused} line 1: 1000 cents exceeds the open balance of 500 cents on invoice INV-102`,
        batchId: null,
      });
      expect((await record(refused)).reasons).toContain('rejected_by_mms');
      for (const id of [first, last]) {
        expect(await record(id)).toMatchObject({ status: 'posted', mmsStatus: 'applied' });
        expect(await ledgerLines(id)).toBe('1');
      }
      // The refusal held nothing back: the next batch went out and was applied.
      expect(await statusOf(nextBatch.id)).toBe('delivered');
      expect(await record(next)).toMatchObject({ status: 'posted', mmsStatus: 'applied' });

      // Fixed by reallocating it, and posted again in a new batch: applied once.
      const patched = await call(s.t, s.firm.accountant, 'PATCH', `/postings/${refused}`, {
        version: (await record(refused)).version,
        allocations: [{ invoiceNumber: 'INV-100', amountCents: 1000 }],
      });
      expect(patched.statusCode, patched.body).toBe(200);
      expect(patched.json().status).toBe('pending');
      const again = await postAll();
      expect([again.seq]).not.toContain(batch.seq);
      expectSuccess(await runAgentOnce(configFile));
      expect(await record(refused)).toMatchObject({
        status: 'posted',
        mmsStatus: 'applied',
        mmsMessage: null,
        batchId: again.id,
      });
      expect(await ledgerLines(refused)).toBe('1');
      expect(
        (
          await mms.db.query<{ invoice_number: string }>(
            'select invoice_number from mms_receipts where record_id = $1',
            [refused],
          )
        ).map((r) => r.invoice_number),
      ).toEqual(['INV-100']);
    },
  );

  it('refuses a batch that is not paybridge-csv, saying why', async () => {
    await s.t.conn.db.updateTable('firms').set({ file_format: 'juris-csv' }).where('id', '=', s.firm.id).execute();
    const batch = await makeBatch(s, 1);
    const run = await runAgentOnce(configFile);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `batch ${batch.seq} is in the juris-csv format, but the procedure sink reads paybridge-csv only`,
    );
    expect(await statusOf(batch.id)).toBe('queued');
  });
});
