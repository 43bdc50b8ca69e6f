import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditUpload } from '../../src/mms/credit-upload.ts';
import { call } from '../support/app.ts';
import { testEngine } from '../support/db.ts';
import { syncBasicMms, takePayment, type PaymentOverrides } from '../support/fixtures.ts';
import {
  createTestMms,
  expectSuccess,
  listing,
  removeDirs,
  runAgentOnce,
  seedBasicMms,
  startAgentServer,
  tempDir,
  writeConfig,
  type AgentServer,
  type TestMms,
} from './harness.ts';

// SPEC §5.1 through the file drop: the real agent process, the real server, and the demo
// MMS's real credit upload moving each file to archive/ or rejected/ with its .error.
// The MMS of seedBasicMms lacks INV-104, which paybridge's mirror has (syncBasicMms):
// a line paying it is refused by the ledger.

interface RecordView {
  id: string;
  status: string;
  reasons: string[];
  mmsStatus: string | null;
  mmsMessage: string | null;
  version: number;
  batchId: string | null;
  history: { action: string }[];
}

const onPostgres = testEngine() === 'postgres' ? it : null;

describe(`the MMS's answer through the drop folder's processed and rejected folders (${testEngine()})`, () => {
  let s: AgentServer;
  let mms: TestMms;
  let root: string;
  let inbox: string;
  let configFile: string;

  beforeAll(async () => {
    [s, mms] = await Promise.all([startAgentServer('ANSWER'), createTestMms()]);
    await Promise.all([syncBasicMms(s.t, s.firm), seedBasicMms(mms)]);
    root = await tempDir('pb-agent-answers-');
    inbox = join(root, 'inbox');
    await mkdir(inbox);
    configFile = await writeConfig(root, {
      server: s.url,
      token: s.firm.agent,
      stateDir: './state',
      sink: {
        type: 'file-drop',
        folder: './inbox',
        processedFolder: './inbox/archive',
        rejectedFolder: './inbox/rejected',
      },
    });
  });
  afterAll(async () => {
    await s?.close();
    await mms?.close();
    await removeDirs(root);
  });

  const record = async (id: string) => (await call(s.t, s.firm.viewer, 'GET', `/postings/${id}`)).json<RecordView>();
  const take = async (overrides: PaymentOverrides) =>
    (await takePayment(s.t, s.firm, { amountCents: 1000, ...overrides })).postingRecord.id;
  const postAll = async () => {
    const res = await call(s.t, s.firm.accountant, 'POST', '/postings/post', { all: true });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().batch as { id: string; fileName: string };
  };
  const ledgerLines = async (recordId: string) =>
    (
      await mms.db.query<{ n: string }>('select count(*)::text as n from mms_receipts where record_id = $1', [recordId])
    )[0]!.n;

  it(
    'a refused file puts its records back in Incomplete with the .error text, an imported one makes them applied, and a fixed record is applied once',
    { timeout: 120_000 },
    async () => {
      const good = await take({ invoiceNumbers: ['INV-100'] });
      const bad = await take({ invoiceNumbers: ['INV-104'], clientNumber: 'C2', payerName: 'Baker & Sons' });
      const refusedBatch = await postAll();
      expectSuccess(await runAgentOnce(configFile));
      expect((await record(bad)).mmsStatus).toBe('awaiting');

      const upload = await creditUpload(mms.db, inbox);
      expect(upload.rejected.map((r) => r.file)).toEqual([refusedBatch.fileName]);
      const errorText = (await readFile(join(inbox, 'rejected', `${refusedBatch.fileName}.error`), 'utf8')).trim();
      expect(errorText).toContain('invoice INV-104 does not exist');
      expectSuccess(await runAgentOnce(configFile));
      // The credit upload refuses the whole file: every record of it comes back.
      for (const id of [good, bad]) {
        expect(await record(id)).toMatchObject({
          status: 'incomplete',
          mmsStatus: 'rejected',
          mmsMessage: errorText,
          batchId: null,
        });
        expect((await record(id)).reasons).toContain('rejected_by_mms');
      }

      // The next batch goes through, and the MMS's import makes it applied.
      const next = await take({ invoiceNumbers: ['INV-101'] });
      const nextBatch = await postAll();
      expectSuccess(await runAgentOnce(configFile));
      expect((await creditUpload(mms.db, inbox)).archived.map((a) => a.file)).toEqual([nextBatch.fileName]);
      expectSuccess(await runAgentOnce(configFile));
      expect(await record(next)).toMatchObject({ status: 'posted', mmsStatus: 'applied', mmsMessage: null });

      // The refused record fixed (its client's own open invoice) and posted again: a new batch, applied once.
      const before = await record(bad);
      const patched = await call(s.t, s.firm.accountant, 'PATCH', `/postings/${bad}`, {
        version: before.version,
        allocations: [{ invoiceNumber: 'INV-103', amountCents: 1000 }],
      });
      expect(patched.statusCode, patched.body).toBe(200);
      expect(patched.json().status).toBe('pending');
      const again = await postAll();
      expect(again.id).not.toBe(refusedBatch.id);
      expectSuccess(await runAgentOnce(configFile));
      expect((await creditUpload(mms.db, inbox)).archived.map((a) => a.file)).toEqual([again.fileName]);
      expectSuccess(await runAgentOnce(configFile));
      expect(await record(bad)).toMatchObject({
        status: 'posted',
        mmsStatus: 'applied',
        mmsMessage: null,
        batchId: again.id,
      });
      expect(await ledgerLines(bad)).toBe('1');
      // The other record of the refused file waits, unposted, for an accountant to say what to do;
      // told the problem is fixed, it goes out as it is, in a batch of its own, and is applied once.
      expect(await record(good)).toMatchObject({ status: 'incomplete', mmsStatus: 'rejected' });
      expect(await ledgerLines(good)).toBe('0');
      const asItIs = await call(s.t, s.firm.accountant, 'PATCH', `/postings/${good}`, {
        version: (await record(good)).version,
        allocations: [{ invoiceNumber: 'INV-100', amountCents: 1000 }],
        mmsProblemFixed: true,
      });
      expect(asItIs.json().status, asItIs.body).toBe('pending');
      const last = await postAll();
      expectSuccess(await runAgentOnce(configFile));
      expect((await creditUpload(mms.db, inbox)).archived.map((a) => a.file)).toEqual([last.fileName]);
      expectSuccess(await runAgentOnce(configFile));
      expect(await record(good)).toMatchObject({ status: 'posted', mmsStatus: 'applied', batchId: last.id });
      expect([await ledgerLines(good), await ledgerLines(bad)]).toEqual(['1', '1']);
      // The old batch's file is as it was, in rejected/.
      expect(await listing(join(inbox, 'rejected'))).toEqual([refusedBatch.fileName, `${refusedBatch.fileName}.error`]);
    },
  );

  // Killed between seeing the answer in the folder and telling the server, or after telling
  // it but before journaling that: the restart reports it, and the server takes it once.
  // Process-level crash cases run on PostgreSQL only, as in exactly-once.test.ts.
  onPostgres?.(
    'reports the answer once after kill -9 on either side of telling the server',
    { timeout: 120_000 },
    async () => {
      for (const point of ['before-report', 'after-report'] as const) {
        const id = await take({ invoiceNumbers: ['INV-102'] });
        await postAll();
        expectSuccess(await runAgentOnce(configFile));
        expect((await creditUpload(mms.db, inbox)).archived).toHaveLength(1);
        const crashed = await runAgentOnce(configFile, { PAYBRIDGE_AGENT_CRASH_AT: point });
        expect(crashed.signal, `${point}: ${crashed.stderr}`).toBe('SIGKILL');
        expect((await record(id)).mmsStatus).toBe(point === 'before-report' ? 'awaiting' : 'applied');

        const restarted = await runAgentOnce(configFile);
        expectSuccess(restarted);
        // Told once more after the crash, the server counts it as a repeat when it already had it.
        expect(restarted.stderr).toContain(
          point === 'before-report'
            ? '"applied":1,"rejected":0,"alreadyAnswered":0'
            : '"applied":0,"rejected":0,"alreadyAnswered":1',
        );
        expect(JSON.parse(restarted.stdout.trim())).toMatchObject({ answered: 1 });
        const after = await record(id);
        expect(after).toMatchObject({ status: 'posted', mmsStatus: 'applied' });
        expect(after.history.filter((h) => h.action.startsWith('mms_applied')).map((h) => h.action)).toEqual([
          'mms_applied',
        ]);
        expect(await ledgerLines(id)).toBe('1');
        // A third run has nothing left to say.
        const quiet = await runAgentOnce(configFile);
        expectSuccess(quiet);
        expect(JSON.parse(quiet.stdout.trim())).toMatchObject({ answered: 0 });
      }
    },
  );
});
