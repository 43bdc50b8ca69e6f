import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv, createCliDatabase, REPO_ROOT, runCli, type CliDatabase } from '../cli/harness.ts';
import { testEngine } from '../support/db.ts';
import { syncBasicMms } from '../support/fixtures.ts';
import {
  createTestMms,
  listing,
  makeBatch,
  removeDirs,
  seedBasicMms,
  serverFile,
  startAgentServer,
  tempDir,
  type AgentServer,
  type TestMms,
} from './harness.ts';

describe('the demo MMS credit upload', () => {
  let s: AgentServer;
  let mms: TestMms;
  let folder: string;

  beforeAll(async () => {
    [s, mms] = await Promise.all([startAgentServer('CREDIT'), createTestMms()]);
    await Promise.all([syncBasicMms(s.t, s.firm), seedBasicMms(mms)]);
    folder = await tempDir('pb-credit-');
  });
  afterAll(async () => {
    await s?.close();
    await mms?.close();
    await removeDirs(folder);
  });

  const receipts = async () =>
    (
      await mms.db.query<{ n: string }>(`select count(*)::text as n from mms_receipts where source = 'credit_upload'`)
    )[0]!.n;

  it(
    'imports delivered files once into archive/, and refuses one whose trailer does not match its lines',
    { timeout: 60_000 },
    async () => {
      const good = await makeBatch(s, 2);
      const bad = await makeBatch(s, 1);
      const goodBytes = await serverFile(s, good.id);
      await writeFile(join(folder, good.fileName), goodBytes);
      // A line removed by hand: the trailer still counts it.
      const badText = (await serverFile(s, bad.id)).toString('utf8').split('\n');
      await writeFile(join(folder, bad.fileName), [badText[0], ...badText.slice(2)].join('\n'));
      await writeFile(join(folder, '.PB_CREDIT_000009.csv.partial'), 'still being written');

      const run = await runCli(['mms', 'credit-upload', '--folder', folder, '--database', mms.url], {});
      expect(run.code, run.stderr).toBe(1);
      const summary = JSON.parse(run.stdout) as { archived: unknown[]; rejected: { file: string; reason: string }[] };
      expect(summary.archived).toEqual([{ file: good.fileName, lines: 2, applied: 2, alreadyApplied: 0 }]);
      expect(summary.rejected).toEqual([
        { file: bad.fileName, reason: expect.stringContaining('the trailer says 1 but the file has 0 lines') },
      ]);
      expect(await listing(folder)).toEqual(['.PB_CREDIT_000009.csv.partial', 'archive/', 'rejected/']);
      expect(await listing(join(folder, 'rejected'))).toEqual([bad.fileName, `${bad.fileName}.error`]);
      expect(await readFile(join(folder, 'archive', good.fileName))).toEqual(goodBytes);
      expect(await receipts()).toBe('2');

      // The same file delivered again (say, restored by hand): nothing is applied twice.
      await copyFile(join(folder, 'archive', good.fileName), join(folder, good.fileName));
      const again = await runCli(['mms', 'credit-upload', '--folder', folder, '--database', mms.url], {});
      expect(again.code, again.stderr).toBe(0);
      expect(JSON.parse(again.stdout).archived).toEqual([
        { file: good.fileName, lines: 2, applied: 0, alreadyApplied: 2 },
      ]);
      expect(await receipts()).toBe('2');
    },
  );
});

// `npm start` on a fresh machine: the demo MMS, its in-process agent and the drop folder.
// Registered on PGlite, the engine `npm start` uses out of the box.
const onPglite = testEngine() === 'pglite' ? describe : null;

onPglite?.('the demo loop in npm start', () => {
  let database: CliDatabase | undefined;
  afterAll(async () => database?.remove());

  it(
    'delivers a batch posted through the API to DATA_DIR/mms-inbox and marks it delivered',
    { timeout: 120_000 },
    async () => {
      database = await createCliDatabase({ migrated: true });
      const dataDir = database.env.DATA_DIR!;
      const child = spawn(process.execPath, ['bin/paybridge.js', 'start'], {
        cwd: REPO_ROOT,
        env: childEnv({ ...database.env, PORT: '0', PAYBRIDGE_DEMO: '1' }),
      });
      let stdout = '';
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = once(child, 'exit');
      try {
        const url = await new Promise<string>((resolve, reject) => {
          child.stdout.on('data', (chunk: Buffer) => {
            stdout += chunk.toString();
            const match = /running at (http:\/\/\S+)[\s\S]*MMS inbox:/.exec(stdout);
            if (match?.[1]) resolve(match[1]);
          });
          child.on('exit', () => reject(new Error(`paybridge start exited early: ${stderr}`)));
        });
        const inbox = join(dataDir, 'mms-inbox');
        const login = await fetch(`${url}/api/v1/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'accountant@hartwell-finch.example', password: 'paybridge-demo' }),
        });
        const { csrfToken } = (await login.json()) as { csrfToken: string };
        const cookie = login.headers
          .getSetCookie()
          .map((c) => c.split(';')[0])
          .join('; ');

        // The demo MMS's ledger has what the seed's first batch applied, so the agent's first
        // sync shows invoice 24-0117 paid: the $290 payment still on it cannot go pending
        // (it would put $1,580 on a $1,290 invoice).
        for (let i = 0; i < 60 && !stderr.includes('synced from the MMS'); i += 1) await sleep(250);
        const onInvoice = await fetch(`${url}/api/v1/postings?view=all&q=24-0117&limit=50`, { headers: { cookie } });
        const records = (
          (await onInvoice.json()) as {
            items: { amountCents: number; status: string; reasons: string[]; mmsStatus: string | null }[];
          }
        ).items;
        expect(records.find((r) => r.amountCents === 129_000)).toMatchObject({
          status: 'posted',
          mmsStatus: 'applied',
        });
        expect(records.find((r) => r.amountCents === 29_000)).toMatchObject({
          status: 'incomplete',
          reasons: ['invoice_closed'],
        });
        const posted = await fetch(`${url}/api/v1/postings/post`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
          body: JSON.stringify({ all: true }),
        });
        const { batch } = (await posted.json()) as { batch: { id: string; fileName: string } };
        // The demo agent's long-poll takes the batch at once; the loop leaves room for a slow machine.
        let seen = { status: 'queued', answerExpected: false };
        for (let i = 0; i < 40 && seen.status !== 'delivered'; i += 1) {
          await sleep(500);
          const res = await fetch(`${url}/api/v1/batches/${batch.id}`, { headers: { cookie } });
          seen = (await res.json()) as typeof seen;
        }
        // The demo agent watches the credit upload's archive/ and rejected/: it promised the MMS's answer.
        expect(seen).toMatchObject({ status: 'delivered', answerExpected: true });
        const names = await listing(inbox);
        expect(names).toContain(batch.fileName);
        const file = await fetch(`${url}/api/v1/batches/${batch.id}/file`, { headers: { cookie } });
        expect(await readFile(join(inbox, batch.fileName))).toEqual(Buffer.from(await file.arrayBuffer()));
        expect(await listing(join(dataDir, 'agent-state'))).toContain('journal.jsonl');
      } finally {
        child.kill('SIGTERM');
        const [code] = await exited;
        expect(code, stderr).toBe(0);
      }
      expect(stderr).toContain('"msg":"agent stopped"');
    },
  );
});
