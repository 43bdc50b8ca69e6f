import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/actor.ts';
import { acknowledgeBatch } from '../../src/usecases/batches/acknowledge-batch.ts';
import { getConnectStatus } from '../../src/usecases/connect/get-connect-status.ts';
import { recordAgentContact } from '../../src/usecases/connect/record-agent-contact.ts';
import { postRecords } from '../../src/usecases/postings/post-records.ts';
import { call, createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';
import { testEngine } from '../support/db.ts';
import { syncBasicMms, takePayment } from '../support/fixtures.ts';

/** SPEC §5.2: what each agent last did, shown to every user, and the warning when batches wait. */

const AGENT_HEADERS = {
  'x-paybridge-agent-version': '1.4.2',
  'x-paybridge-agent-host': 'mms-srv-01',
  'x-paybridge-agent-source': 'postgres',
  'x-paybridge-agent-sink': 'file-drop',
  'x-paybridge-agent-poll-seconds': '30',
};
const NO_REPORT = { version: null, host: null, source: null, sink: null, pollSeconds: null };
const at = (base: Date, seconds: number) => new Date(base.getTime() + seconds * 1000);

interface StatusBody {
  agents: {
    label: string;
    lastSeenAt: string | null;
    version: string | null;
    host: string | null;
    source: string | null;
    sink: string | null;
    pollSeconds: number | null;
    lastSync: unknown;
    lastDelivery: unknown;
  }[];
  waitingBatches: number;
  oldestWaitingSince: string | null;
  warning: string | null;
  deliverySeconds: { median: number | null; p95: number | null; samples: number };
}

describe(`Connect status on ${testEngine()}`, () => {
  let t: TestApp;
  let a: TestFirm;
  let b: TestFirm;

  async function status(firm: TestFirm): Promise<StatusBody> {
    const res = await call(t, firm.viewer, 'GET', '/connect/status');
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }

  async function agentTokenId(firm: TestFirm): Promise<string> {
    const row = await t.conn.db
      .selectFrom('api_tokens')
      .select('id')
      .where('firm_id', '=', firm.id)
      .where('kind', '=', 'agent')
      .orderBy('created_at')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async function agentActor(firm: TestFirm): Promise<Actor> {
    return { kind: 'agent', id: await agentTokenId(firm), label: 'agent' };
  }

  beforeAll(async () => {
    t = await startTestApp();
    a = await createTestFirm(t, 'CSA');
    b = await createTestFirm(t, 'CSB');
  });
  afterAll(async () => t?.close());

  it('lists an agent token never used, with nothing recorded yet', async () => {
    expect(await status(a)).toEqual({
      agents: [{ label: '', lastSeenAt: null, ...NO_REPORT, lastSync: null, lastDelivery: null }],
      waitingBatches: 0,
      oldestWaitingSince: null,
      warning: null,
      deliverySeconds: { median: null, p95: null, samples: 0 },
    });
  });

  it('records what the agent says of itself in its headers, at most once every 5 s', async () => {
    const before = Date.now();
    expect((await call(t, a.agent, 'GET', '/agent/clock', undefined, { headers: AGENT_HEADERS })).statusCode).toBe(200);
    // Straight after, another version: not written for another 5 s.
    await call(t, a.agent, 'GET', '/agent/clock', undefined, {
      headers: { ...AGENT_HEADERS, 'x-paybridge-agent-version': '9.9.9' },
    });
    const [agent] = (await status(a)).agents;
    expect(agent).toMatchObject({
      version: '1.4.2',
      host: 'mms-srv-01',
      source: 'postgres',
      sink: 'file-drop',
      pollSeconds: 30,
    });
    expect(new Date(agent!.lastSeenAt!).getTime()).toBeGreaterThanOrEqual(before - 1);

    // The database's own check, for every server instance together: a contact 4.999 s after
    // the last is not written, one 5 s after is.
    const token = await agentTokenId(a);
    const t0 = new Date('2031-03-01T09:00:00Z');
    expect(await recordAgentContact(t.conn.db, a.id, token, { ...NO_REPORT, version: '2.0.0' }, t0)).toBe(true);
    expect(await recordAgentContact(t.conn.db, a.id, token, { ...NO_REPORT, version: '2.0.1' }, at(t0, 4.999))).toBe(
      false,
    );
    expect((await status(a)).agents[0]).toMatchObject({ lastSeenAt: t0.toISOString(), version: '2.0.0' });
    expect(await recordAgentContact(t.conn.db, a.id, token, { ...NO_REPORT, version: '2.0.2' }, at(t0, 5))).toBe(true);
    expect((await status(a)).agents[0]).toMatchObject({ lastSeenAt: at(t0, 5).toISOString(), version: '2.0.2' });
  });

  it('ignores a header that is not as described, and keeps the first characters of one too long', async () => {
    const junk = await call(t, b.admin, 'POST', '/tokens', { kind: 'agent', label: 'junk' });
    expect(junk.statusCode).toBe(201);
    const res = await call(t, junk.json().token, 'GET', '/agent/batches', undefined, {
      headers: {
        'x-paybridge-agent-version': `v${'1'.repeat(100)}`,
        'x-paybridge-agent-host': 'h'.repeat(300),
        'x-paybridge-agent-source': 'oracle',
        'x-paybridge-agent-sink': 'ftp',
        'x-paybridge-agent-poll-seconds': '1.5',
      },
    });
    expect(res.statusCode).toBe(200);
    const junkAgent = (await status(b)).agents.find((x) => x.label === 'junk')!;
    expect(junkAgent).toMatchObject({
      version: `v${'1'.repeat(63)}`,
      host: 'h'.repeat(255),
      source: null,
      sink: null,
      pollSeconds: null,
    });
    expect(junkAgent.lastSeenAt).not.toBeNull();

    const other = await call(t, b.admin, 'POST', '/tokens', { kind: 'agent', label: 'tabs' });
    await call(t, other.json().token, 'GET', '/agent/clock', undefined, {
      headers: {
        'x-paybridge-agent-version': 'a\tb',
        'x-paybridge-agent-host': '   ',
        'x-paybridge-agent-poll-seconds': '0',
        'x-paybridge-agent-source': 'none',
      },
    });
    expect((await status(b)).agents.find((x) => x.label === 'tabs')).toMatchObject({
      version: null,
      host: null,
      pollSeconds: null,
      source: 'none',
      sink: null,
    });
  });

  it('records the last sync: the pages of one sync add up, the next sync starts afresh', async () => {
    const page = (readAfter: string | undefined, invoices: string[]) =>
      call(t, b.agent, 'POST', '/agent/sync', {
        clients: [{ clientNumber: 'C1', name: 'Acme Holdings' }],
        matters: [{ clientNumber: 'C1', matterNumber: 'M1', description: 'Lease dispute' }],
        invoices: invoices.map((n) => ({
          invoiceNumber: n,
          clientNumber: 'C1',
          matterNumber: 'M1',
          invoiceDate: '2026-01-05',
          totalCents: 1000,
          balanceCents: 1000,
          status: 'open',
        })),
        full: false,
        ...(readAfter ? { readAfter } : {}),
      });
    const readAfter = new Date(Date.now() - 1000).toISOString();
    expect((await page(readAfter, ['S-1', 'S-2'])).statusCode).toBe(200);
    expect((await page(readAfter, ['S-3'])).statusCode).toBe(200);
    const synced = (await status(b)).agents.find((x) => x.label === '')!;
    expect(synced.lastSync).toMatchObject({
      received: { clients: 2, matters: 2, invoices: 3 },
      changed: { clients: 1, matters: 1, invoices: 3, closed: 0 },
    });

    // A full sync of S-1 alone: S-2 and S-3 are closed.
    const full = await call(t, b.agent, 'POST', '/agent/sync', {
      clients: [],
      matters: [],
      full: true,
      invoices: [
        {
          invoiceNumber: 'S-1',
          clientNumber: 'C1',
          matterNumber: 'M1',
          invoiceDate: '2026-01-05',
          totalCents: 1000,
          balanceCents: 500,
          status: 'open',
        },
      ],
    });
    expect(full.statusCode, full.body).toBe(200);
    const next = (await status(b)).agents.find((x) => x.label === '')!;
    expect(next.lastSync).toMatchObject({
      received: { clients: 0, matters: 0, invoices: 1 },
      changed: { clients: 0, matters: 0, invoices: 1, closed: 2 },
    });
    expect(new Date((next.lastSync as { at: string }).at).getTime()).toBeGreaterThanOrEqual(
      new Date((synced.lastSync as { at: string }).at).getTime(),
    );
  });

  it('records the last delivery from the acknowledgement, and not again from a repeat', async () => {
    await syncBasicMms(t, a);
    await takePayment(t, a, { invoiceNumbers: ['INV-100'] });
    const batch = (await call(t, a.accountant, 'POST', '/postings/post', { all: true })).json().batch as {
      id: string;
      seq: number;
    };
    const file = await call(t, a.agent, 'GET', `/agent/batches/${batch.id}/file`);
    const ack = await call(t, a.agent, 'POST', `/agent/batches/${batch.id}/ack`, {
      sha256: String(file.headers['x-sha256']),
    });
    expect(ack.statusCode).toBe(200);
    const delivered = (await status(a)).agents[0]!.lastDelivery;
    expect(delivered).toEqual({
      at: ack.json().deliveredAt,
      seq: batch.seq,
      fileName: `PB_CSA_${String(batch.seq).padStart(6, '0')}.csv`,
    });
    await new Promise((r) => setTimeout(r, 20));
    await call(t, a.agent, 'POST', `/agent/batches/${batch.id}/ack`, { sha256: String(file.headers['x-sha256']) });
    expect((await status(a)).agents[0]!.lastDelivery).toEqual(delivered);
  });

  it('warns when batches wait and no agent has been in contact for 3 × its poll interval, and clears when one is (fixed clocks)', async () => {
    const w = await createTestFirm(t, 'CSW');
    await syncBasicMms(t, w); // the agent token's first contact, just now: moved out of the way below
    const token = await agentTokenId(w);
    await t.conn.db.updateTable('agent_contacts').set({ last_seen_at: null }).where('firm_id', '=', w.id).execute();
    await takePayment(t, w, { invoiceNumbers: ['INV-100'] });
    const t0 = new Date('2031-04-01T12:00:00Z');
    const batch = await postRecords(t.conn.db, w.id, { kind: 'user', id: null, label: 'test' }, { all: true }, t0);
    const warningAt = async (seconds: number) => (await getConnectStatus(t.conn.db, w.id, at(t0, seconds))).warning;

    // No agent ever in contact: the warning once the batch has waited 3 minutes.
    expect(await warningAt(179)).toBeNull();
    expect(await warningAt(180)).toBe(
      "1 batch is waiting (the oldest for 3 minutes) and no Connect agent has ever been in contact: install the agent on the firm's server with an agent token, and start it.",
    );
    const shown = await getConnectStatus(t.conn.db, w.id, at(t0, 180));
    expect(shown).toMatchObject({ waitingBatches: 1, oldestWaitingSince: t0.toISOString() });

    // An agent polling every 120 s: silent for 3 × 120 s is too long, not a second less.
    expect(await recordAgentContact(t.conn.db, w.id, token, { ...NO_REPORT, pollSeconds: 120 }, at(t0, 200))).toBe(
      true,
    );
    expect(await warningAt(200)).toBeNull();
    expect(await warningAt(200 + 360)).toBeNull();
    expect(await warningAt(200 + 361)).toBe(
      "1 batch is waiting and no Connect agent has been in contact for 6 minutes: check that the agent's service is running on the firm's server and can reach paybridge.",
    );
    expect(await recordAgentContact(t.conn.db, w.id, token, { ...NO_REPORT, pollSeconds: 120 }, at(t0, 600))).toBe(
      true,
    );
    expect(await warningAt(601)).toBeNull();

    // Nothing waits once the batch is delivered, however long the agent is silent after.
    await acknowledgeBatch(
      t.conn.db,
      w.id,
      await agentActor(w),
      batch!.id,
      (await t.conn.db.selectFrom('batches').select('sha256').where('id', '=', batch!.id).executeTakeFirstOrThrow())
        .sha256,
      at(t0, 700),
    );
    expect(await warningAt(100_000)).toBeNull();
  });

  it('shows the warning through the API to every role, and it clears when the agent makes contact', async () => {
    const v = await createTestFirm(t, 'CSV');
    // Synced by hand, not by the agent, so that it has never been in contact.
    await t.conn.db
      .insertInto('clients')
      .values({ firm_id: v.id, client_number: 'C1', name: 'Acme Holdings' })
      .execute();
    await t.conn.db
      .insertInto('matters')
      .values({ firm_id: v.id, client_number: 'C1', matter_number: 'M1', description: 'Lease dispute' })
      .execute();
    await t.conn.db
      .insertInto('invoices')
      .values({
        firm_id: v.id,
        invoice_number: 'INV-100',
        client_number: 'C1',
        matter_number: 'M1',
        invoice_date: '2026-01-05',
        total_cents: 100000,
        balance_cents: 100000,
        status: 'open',
      })
      .execute();
    await takePayment(t, v, { invoiceNumbers: ['INV-100'] });
    await postRecords(
      t.conn.db,
      v.id,
      { kind: 'user', id: null, label: 'test' },
      { all: true },
      new Date(Date.now() - 10 * 60_000),
    );
    for (const role of ['viewer', 'accountant', 'admin'] as const) {
      const res = await call(t, v[role], 'GET', '/connect/status');
      expect(res.statusCode).toBe(200);
      expect(res.json().warning, role).toMatch(
        /^1 batch is waiting \(the oldest for 10 minutes\) and no Connect agent has ever been in contact/,
      );
    }
    await call(t, v.agent, 'GET', '/agent/batches?waitSeconds=0', undefined, { headers: AGENT_HEADERS });
    expect((await status(v)).warning).toBeNull();
  });

  it("measures the usual delivery time over the firm's last 50 delivered batches", async () => {
    const d = await createTestFirm(t, 'CSD');
    // Five old batches that took 1,000 s each, then fifty that took 1 s … 50 s: the old ones are not counted.
    await sql`
      insert into batches (firm_id, seq, file_name, file_format, content, sha256, line_count, total_cents, record_count, created_by, time_zone, created_at, status, delivered_at)
      select ${d.id}, s, 'PB_CSD_' || lpad(s::text, 6, '0') || '.csv', 'paybridge-csv', '\\x00', lpad(to_hex(s), 64, '0'), 1, 0, 1, 'test', 'UTC',
             timestamptz '2031-01-01T00:00:00Z' + make_interval(hours => s),
             'delivered',
             timestamptz '2031-01-01T00:00:00Z' + make_interval(hours => s) + make_interval(secs => case when s <= 5 then 1000 else s - 5 end)
      from generate_series(1, 55) as s`.execute(t.conn.db);
    expect((await status(d)).deliverySeconds).toEqual({ median: 25, p95: 48, samples: 50 });
  });

  it("is the firm's own: another firm's agents, batches and times are not in it", async () => {
    await call(t, a.agent, 'GET', '/agent/clock', undefined, { headers: { 'x-paybridge-agent-host': 'only-firm-a' } });
    await t.conn.db.updateTable('agent_contacts').set({ host: 'only-firm-a' }).where('firm_id', '=', a.id).execute();
    const ofB = await call(t, b.viewer, 'GET', '/connect/status');
    expect(ofB.body).not.toContain('only-firm-a');
    expect(ofB.body).not.toContain('PB_CSA_');
    expect((await status(a)).agents.map((x) => x.host)).toEqual(['only-firm-a']);
  });

  it('lists a revoked agent token no more', async () => {
    const labels = async () => (await status(b)).agents.map((x) => x.label).sort();
    expect(await labels()).toEqual(['', 'junk', 'tabs']);
    const tabs = await t.conn.db
      .selectFrom('api_tokens')
      .select('id')
      .where('firm_id', '=', b.id)
      .where('label', '=', 'tabs')
      .executeTakeFirstOrThrow();
    expect((await call(t, b.admin, 'DELETE', `/tokens/${tabs.id}`)).statusCode).toBeLessThan(300);
    expect(await labels()).toEqual(['', 'junk']);
  });
});
