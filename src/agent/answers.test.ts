import { cents } from '../domain/money.ts';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { renderBatchFile, type FileLine, type RenderedFile } from '../domain/posting-file.ts';
import { createAgent, type Agent } from './agent.ts';
import type { BatchOutcome } from './client.ts';
import { setCrashHook } from './crash.ts';
import { RECORDS_PER_REPORT } from './deliver.ts';
import { Journal } from './journal.ts';
import { pgliteMms, type MmsDb } from './mms-db.ts';

/**
 * The agent's side of the MMS's answer (SPEC §5.1), against a stand-in for the server's
 * agent routes (POST …/ack and …/outcome as the contract has them), so the agent is
 * tested here on its own; test/agent runs the real agent process against the real server.
 */
interface FakeBatch {
  id: string;
  seq: number;
  file: RenderedFile;
  acked: boolean;
  ackBodies: unknown[];
  /** 'batch' for a whole-batch answer, else per record. */
  answers: Map<string, string>;
}

class FakeServer {
  batches: FakeBatch[] = [];
  outcomes: { seq: number; body: BatchOutcome; status: number }[] = [];
  /** Statuses to answer the next outcome reports with, before (or, with `after`, after) taking them. */
  failNext: { status: number; after?: boolean }[] = [];
  private server: Server = createServer((req, res) => void this.handle(req, res));
  url = '';

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  addBatch(lines: FileLine[]): FakeBatch {
    const seq = this.batches.length + 1;
    const batch = {
      id: randomUUID(),
      seq,
      file: renderBatchFile('paybridge-csv', 'ANS', seq, lines),
      acked: false,
      ackBodies: [],
      answers: new Map(),
    };
    this.batches.push(batch);
    return batch;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const send = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    const path = new URL(req.url ?? '/', this.url).pathname;
    if (req.method === 'GET' && path === '/api/v1/agent/batches') {
      send(200, {
        items: this.batches
          .filter((b) => !b.acked)
          .map((b) => ({
            id: b.id,
            seq: b.seq,
            fileName: b.file.fileName,
            fileFormat: 'paybridge-csv',
            sha256: b.file.sha256,
            lineCount: b.file.lineCount,
            totalCents: b.file.totalCents,
          })),
      });
      return;
    }
    const match = /^\/api\/v1\/agent\/batches\/([0-9a-f-]{36})\/(file|ack|outcome)$/.exec(path);
    const batch = this.batches.find((b) => b.id === match?.[1]);
    if (!match || !batch) {
      send(404, { error: { code: 'not_found', message: 'no such batch' } });
      return;
    }
    if (match[2] === 'file') {
      res.writeHead(200, { 'x-sha256': batch.file.sha256 });
      return void res.end(batch.file.content);
    }
    if (match[2] === 'ack') {
      batch.ackBodies.push(JSON.parse(body));
      const alreadyAcknowledged = batch.acked;
      batch.acked = true;
      send(200, { alreadyAcknowledged });
      return;
    }
    const outcome = JSON.parse(body) as BatchOutcome;
    const failure = this.failNext.shift();
    if (failure && !failure.after) {
      send(failure.status, { error: { code: 'unavailable', message: 'try again' } });
      return;
    }
    if (!batch.acked) {
      send(409, { error: { code: 'batch_not_acknowledged', message: 'not yet acknowledged' } });
      return;
    }
    const given =
      'records' in outcome
        ? outcome.records.map(
            (r) => [r.recordId, JSON.stringify([r.outcome, 'message' in r ? r.message : null])] as const,
          )
        : [['batch', JSON.stringify(outcome)] as const];
    const counts = { applied: 0, rejected: 0, alreadyAnswered: 0 };
    for (const [key, answer] of given) {
      const before = batch.answers.get(key);
      if (before !== undefined && before !== answer) {
        send(409, { error: { code: 'answer_conflict', message: `${key} was answered otherwise` } });
        return;
      }
    }
    for (const [key, answer] of given) {
      if (batch.answers.has(key)) counts.alreadyAnswered += 1;
      else if (answer.includes('rejected')) counts.rejected += 1;
      else counts.applied += 1;
      batch.answers.set(key, answer);
    }
    this.outcomes.push({ seq: batch.seq, body: outcome, status: failure?.status ?? 200 });
    if (failure) {
      send(failure.status, { error: { code: 'unavailable', message: 'lost on the way back' } });
      return;
    }
    send(200, counts);
  }
}

const TOKEN = `pb_agent_${'t'.repeat(43)}`;
const silent = pino({ level: 'silent' });

function line(recordId: string, overrides: Partial<FileLine> = {}): FileLine {
  return {
    recordId,
    paymentId: randomUUID(),
    line: 1,
    postingDate: '2026-03-02',
    account: 'operating',
    invoiceNumber: 'INV-1',
    clientNumber: 'C1',
    matterNumber: 'M1',
    amountCents: cents(1000),
    surchargeCents: cents(0),
    method: 'card',
    payer: 'Pat Payer',
    memo: '',
    ...overrides,
  };
}

describe("the file-drop sink reports the MMS import's answer from its folders", () => {
  let server: FakeServer;
  let root: string;
  let inbox: string;
  let archive: string;
  let rejected: string;
  const agents: Agent[] = [];

  async function agent(answerFolders = true): Promise<Agent> {
    const sink = answerFolders
      ? { type: 'file-drop' as const, folder: inbox, processedFolder: archive, rejectedFolder: rejected }
      : { type: 'file-drop' as const, folder: inbox };
    const made = await createAgent(
      { server: server.url, token: TOKEN, stateDir: join(root, 'state'), sink, syncSeconds: 300, pollSeconds: 60 },
      { logger: silent },
    );
    agents.push(made);
    return made;
  }
  /** What the MMS import does: moves the file to one of its folders. */
  const importInto = async (folder: string, fileName: string) => rename(join(inbox, fileName), join(folder, fileName));

  beforeEach(async () => {
    server = new FakeServer();
    await server.start();
    root = await mkdtemp(join(tmpdir(), 'pb-answers-'));
    [inbox, archive, rejected] = [join(root, 'inbox'), join(root, 'inbox', 'archive'), join(root, 'inbox', 'rejected')];
    await mkdir(inbox);
  });
  afterEach(async () => {
    await Promise.all(agents.splice(0).map((a) => a.stop()));
    await server.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('promises the answer, then reports a rejected file with its .error text and a processed one as applied, each once', async () => {
    const first = server.addBatch([line(randomUUID())]);
    const second = server.addBatch([line(randomUUID()), line(randomUUID())]);
    const a = await agent();
    expect(await a.deliverOnce()).toEqual({ delivered: 2, waiting: 2, answered: 0 });
    expect(first.ackBodies).toEqual([{ sha256: first.file.sha256, expectAnswer: true }]);
    expect(server.outcomes).toEqual([]);

    // The import's folders do not exist until it first moves a file: nothing yet, no error.
    expect(await a.deliverOnce()).toEqual({ delivered: 0, waiting: 0, answered: 0 });
    await mkdir(rejected);
    await mkdir(archive);
    await importInto(rejected, first.file.fileName);
    await writeFile(
      join(rejected, `${first.file.fileName}.error`),
      `\ufeff${first.file.fileName}: refused by the ledger:\tclient C1 matter M1 does not exist\u0000\r\n`,
    );
    await importInto(archive, second.file.fileName);
    expect(await a.deliverOnce()).toEqual({ delivered: 0, waiting: 0, answered: 2 });
    expect(server.outcomes).toEqual([
      {
        seq: 1,
        status: 200,
        body: {
          outcome: 'rejected',
          message: `${first.file.fileName}: refused by the ledger: client C1 matter M1 does not exist`,
        },
      },
      { seq: 2, status: 200, body: { outcome: 'applied' } },
    ]);

    // Answered is journaled: neither this agent nor a restarted one reports again.
    expect((await a.deliverOnce()).answered).toBe(0);
    await a.stop();
    expect((await (await agent()).deliverOnce()).answered).toBe(0);
    expect(server.outcomes).toHaveLength(2);
  });

  it('still reports the answer when the agent died after the server took its acknowledgement, before journaling it', async () => {
    // Found by the whole-loop simulation (src/sim): the server lists the batch no more, and the
    // restarted agent, whose journal had no `acked`, never reported the MMS's answer for it.
    const batch = server.addBatch([line(randomUUID())]);
    const a = await agent();
    setCrashHook((point) => {
      if (point === 'after-ack') throw new Error('killed after the acknowledgement');
    });
    try {
      await expect(a.deliverOnce()).rejects.toThrow('killed after the acknowledgement');
    } finally {
      setCrashHook(null);
    }
    expect(batch.acked).toBe(true);
    await a.stop();
    await mkdir(archive);
    await importInto(archive, batch.file.fileName);
    expect(await (await agent()).deliverOnce()).toEqual({ delivered: 0, waiting: 0, answered: 1 });
    expect(server.outcomes.map((o) => o.body)).toEqual([{ outcome: 'applied' }]);
    expect((await Journal.open(join(root, 'state'))).awaitingAnswer()).toEqual([]);
  });

  it('says so in plain words when the rejected file has no .error, and cuts a huge one to what the server takes', async () => {
    const quiet = server.addBatch([line(randomUUID())]);
    const loud = server.addBatch([line(randomUUID())]);
    const a = await agent();
    await a.deliverOnce();
    await mkdir(rejected);
    await importInto(rejected, quiet.file.fileName);
    await importInto(rejected, loud.file.fileName);
    await writeFile(
      join(rejected, `${loud.file.fileName}.error`),
      Buffer.concat([Buffer.from('bad line\n'), Buffer.alloc(100_000, 0xff)]),
    );
    await a.deliverOnce();
    const [first, second] = server.outcomes.map((o) => o.body);
    expect(first).toEqual({
      outcome: 'rejected',
      message: `the MMS import refused ${quiet.file.fileName} without saying why (no text in ${quiet.file.fileName}.error beside it)`,
    });
    expect(second).toMatchObject({ outcome: 'rejected', message: expect.stringMatching(/^bad line\n\ufffd+…$/) });
    expect(second && 'message' in second ? second.message.length : 0).toBe(2000);
  });

  it("does not take a file of the batch's name with other bytes for its answer", async () => {
    const batch = server.addBatch([line(randomUUID())]);
    const a = await agent();
    await a.deliverOnce();
    await mkdir(archive);
    await writeFile(join(archive, batch.file.fileName), 'an older install of paybridge wrote this one\n');
    expect((await a.deliverOnce()).answered).toBe(0);
    await importInto(archive, batch.file.fileName);
    expect((await a.deliverOnce()).answered).toBe(1);
    expect(server.outcomes.map((o) => o.body)).toEqual([{ outcome: 'applied' }]);
  });

  it('tells the server again after it lost the answer or its reply, and journals the answer only once it is taken', async () => {
    const batch = server.addBatch([line(randomUUID())]);
    const a = await agent();
    await a.deliverOnce();
    await mkdir(archive);
    await importInto(archive, batch.file.fileName);
    // Refused before taking it (a 503): not journaled, offered again next round.
    server.failNext.push({ status: 503 });
    await expect(a.deliverOnce()).rejects.toThrow('/outcome answered 503');
    expect((await Journal.open(join(root, 'state'))).awaitingAnswer().map((b) => b.seq)).toEqual([1]);
    // Taken, but the reply is lost: the agent does not know, reports again, and the server counts it as a repeat.
    server.failNext.push({ status: 503, after: true });
    await expect(a.deliverOnce()).rejects.toThrow('/outcome answered 503');
    expect((await a.deliverOnce()).answered).toBe(1);
    expect(server.outcomes.map((o) => o.status)).toEqual([503, 200]);
    expect(batch.answers).toEqual(new Map([['batch', JSON.stringify({ outcome: 'applied' })]]));
    expect((await Journal.open(join(root, 'state'))).awaitingAnswer()).toEqual([]);
  });

  it('delivers later batches when the server refuses one answer, and names that batch', async () => {
    const first = server.addBatch([line(randomUUID())]);
    const a = await agent();
    await a.deliverOnce();
    await mkdir(archive);
    await importInto(archive, first.file.fileName);
    first.answers.set('batch', JSON.stringify({ outcome: 'rejected', message: 'someone else said so' }));
    const second = server.addBatch([line(randomUUID())]);
    await expect(a.deliverOnce()).rejects.toThrow(
      /did not take the MMS's answer for batch 1 \(POST .*\/outcome answered 409 answer_conflict/,
    );
    expect(second.acked).toBe(true);
    expect(await readdir(inbox)).toContain(second.file.fileName);
  });

  it('promises nothing without the answer folders, and never reports', async () => {
    const batch = server.addBatch([line(randomUUID())]);
    const a = await agent(false);
    await a.deliverOnce();
    expect(batch.ackBodies).toEqual([{ sha256: batch.file.sha256 }]);
    await mkdir(archive);
    await importInto(archive, batch.file.fileName);
    expect(await a.deliverOnce()).toEqual({ delivered: 0, waiting: 0, answered: 0 });
    expect(server.outcomes).toEqual([]);
  });
});

describe('the procedure sink posts each record whole or not at all, and reports each', () => {
  let server: FakeServer;
  let pglite: PGlite;
  let mms: MmsDb;
  let root: string;
  const agents: Agent[] = [];

  beforeAll(async () => {
    pglite = await PGlite.create();
    mms = pgliteMms(pglite);
    for (const script of ['demo-schema.sql', 'install.sql'])
      await mms.exec(await readFile(new URL(`../../sql/mms/postgres/${script}`, import.meta.url), 'utf8'));
    await mms.exec(`
      insert into mms_clients (client_number, name) values ('C1', 'Acme Holdings');
      insert into mms_matters (client_number, matter_number, description) values ('C1', 'M1', 'Lease dispute');
      insert into mms_invoices (invoice_number, client_number, matter_number, invoice_date, total_cents, balance_cents)
        values ('INV-1', 'C1', 'M1', '2026-01-05', 1000000, 1000000);`);
  }, 60_000);
  afterAll(async () => pglite?.close());
  beforeEach(async () => {
    server = new FakeServer();
    await server.start();
    root = await mkdtemp(join(tmpdir(), 'pb-answers-proc-'));
  });
  afterEach(async () => {
    await Promise.all(agents.splice(0).map((a) => a.stop()));
    await server.stop();
    await rm(root, { recursive: true, force: true });
    await mms.exec(
      "delete from mms_receipts; update mms_invoices set balance_cents = total_cents, status = 'open'; delete from mms_matters where matter_number = 'M9'",
    );
  });

  async function agent(): Promise<Agent> {
    // The agent closes its MMS on stop; this one is shared by the tests.
    const shared: MmsDb = { ...mms, close: async () => {} };
    const made = await createAgent(
      {
        server: server.url,
        token: TOKEN,
        stateDir: join(root, 'state'),
        sink: { type: 'procedure', connectionString: 'postgres://embedded/mms' },
        syncSeconds: 300,
        pollSeconds: 60,
      },
      { logger: silent, openMms: async () => shared },
    );
    agents.push(made);
    return made;
  }
  const ledger = async () =>
    (
      await mms.query<{ record_id: string; line: number }>(
        'select record_id, line from mms_receipts order by record_id, line',
      )
    ).map((r) => `${r.record_id}/${r.line}`);

  it('applies the good records, rolls back a refused one whole, reports each, and delivers the next batch', async () => {
    const [good, half, trust, last] = ['a-good', 'b-half', 'c-trust', 'd-last'];
    const refusedBatch = server.addBatch([
      line(good),
      line(half, { line: 1 }),
      // Its first line would be taken; the second names an invoice the MMS lacks, so neither lands.
      line(half, { line: 2, invoiceNumber: 'INV-404' }),
      line(trust, { account: 'trust', invoiceNumber: null, clientNumber: 'C1', matterNumber: 'M9' }),
      line(last, { amountCents: cents(2500) }),
    ]);
    const next = server.addBatch([line('e-next')]);
    const a = await agent();
    expect(await a.deliverOnce()).toEqual({ delivered: 2, waiting: 2, answered: 2 });
    expect(await ledger()).toEqual([`${good}/1`, `${last}/1`, 'e-next/1']);
    expect(refusedBatch.ackBodies).toEqual([{ sha256: refusedBatch.file.sha256, expectAnswer: true }]);
    expect(server.outcomes.map((o) => o.body)).toEqual([
      {
        records: [
          { recordId: good, outcome: 'applied' },
          { recordId: half, outcome: 'rejected', message: `receipt ${half} line 2: invoice INV-404 does not exist` },
          {
            recordId: trust,
            outcome: 'rejected',
            message: `receipt ${trust} line 1: client C1 matter M9 does not exist`,
          },
          { recordId: last, outcome: 'applied' },
        ],
      },
      { outcome: 'applied' },
    ]);
    expect(next.acked).toBe(true);

    // Restarted: nothing is posted or reported again.
    await a.stop();
    expect((await (await agent()).deliverOnce()).answered).toBe(0);
    expect(server.outcomes).toHaveLength(2);
  });

  it('reports from the journal after the report failed, never by posting again', async () => {
    const trust = 'c-trust';
    const batch = server.addBatch([
      line('a-good'),
      line(trust, { account: 'trust', invoiceNumber: null, clientNumber: 'C1', matterNumber: 'M9' }),
    ]);
    server.failNext.push({ status: 503 });
    const a = await agent();
    await expect(a.deliverOnce()).rejects.toThrow('/outcome answered 503');
    expect(batch.acked).toBe(true);
    await a.stop();
    // The MMS gains the matter meanwhile: posting the batch again would now apply the trust line.
    await mms.exec(`insert into mms_matters (client_number, matter_number, description) values ('C1', 'M9', 'Escrow')`);
    expect((await (await agent()).deliverOnce()).answered).toBe(1);
    expect(await ledger()).toEqual(['a-good/1']);
    expect(server.outcomes.at(-1)?.body).toEqual({
      records: [
        { recordId: 'a-good', outcome: 'applied' },
        {
          recordId: trust,
          outcome: 'rejected',
          message: `receipt ${trust} line 1: client C1 matter M9 does not exist`,
        },
      ],
    });
  });

  it(
    `reports a large batch's records ${RECORDS_PER_REPORT} at a time, refused ones wherever they sit`,
    { timeout: 60_000 },
    async () => {
      const ids = Array.from({ length: RECORDS_PER_REPORT + 1 }, (_, i) => `r-${String(i).padStart(5, '0')}`);
      const refused = new Set([ids[0], ids[150], ids[RECORDS_PER_REPORT]]);
      server.addBatch(
        ids.map((id) => line(id, refused.has(id) ? { invoiceNumber: 'INV-404' } : { amountCents: cents(1) })),
      );
      await (await agent()).deliverOnce();
      const sizes = server.outcomes.map((o) => ('records' in o.body ? o.body.records.length : 0));
      expect(sizes).toEqual([RECORDS_PER_REPORT, 1]);
      const answers = server.batches[0]!.answers;
      expect(answers.size).toBe(RECORDS_PER_REPORT + 1);
      expect(ids.filter((id) => answers.get(id)?.includes('rejected'))).toEqual([...refused]);
      expect(await ledger()).toEqual(ids.filter((id) => !refused.has(id)).map((id) => `${id}/1`));
    },
  );

  it('rolls back the whole batch, and reports nothing, when the MMS fails for a reason that is not a refusal', async () => {
    const install = await readFile(new URL('../../sql/mms/postgres/install.sql', import.meta.url), 'utf8');
    // A serialization failure (40001) on one record: a busy MMS, not a word about the line.
    await mms.exec(`
      create or replace function paybridge_post_receipt(record_id text, line integer, invoice_number text, client_number text,
        matter_number text, amount bigint, posting_date date, account text, memo text) returns text
      language plpgsql volatile as $$
      begin
        if record_id = 'b-busy' then raise exception 'could not serialize access' using errcode = '40001'; end if;
        return mms_apply_receipt('procedure', $1, $2, $3, $4, $5, $6, $7, $8, $9);
      end $$;`);
    const batch = server.addBatch([line('a-good'), line('b-busy'), line('c-good')]);
    const a = await agent();
    try {
      await expect(a.deliverOnce()).rejects.toThrow('could not serialize access');
    } finally {
      await mms.exec(install);
    }
    expect(await ledger()).toEqual([]);
    expect([batch.acked, server.outcomes]).toEqual([false, []]);
    expect(await a.deliverOnce()).toEqual({ delivered: 1, waiting: 1, answered: 1 });
    expect(await ledger()).toEqual(['a-good/1', 'b-busy/1', 'c-good/1']);
  });
});
