import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncInput } from '../../src/contract/agent.ts';
import type { Actor } from '../../src/domain/actor.ts';
import { watchConflicts, type ConflictMet } from '../../src/db/transaction.ts';
import { createFirm } from '../../src/usecases/auth/firms-and-users.ts';
import { syncMms } from '../../src/usecases/sync/sync-mms.ts';
import { call, createTestFirm, startTestApp, type TestApp } from '../support/app.ts';
import { testEngine } from '../support/db.ts';
import { takePayment } from '../support/fixtures.ts';

/**
 * The sync loads the invoices its firm's mirror does not have yet with COPY (PostgreSQL:
 * FROM STDIN; PGlite: from the blob it is given) and upserts the others: the two ways in
 * must leave the same rows, and a sync stays one firm's, whole or nothing, whatever runs
 * beside it.
 */

type Invoice = SyncInput['invoices'][number];

const actor: Actor = { kind: 'system', id: null, label: 'sync-copy@test' };
const CLIENTS = [
  { clientNumber: 'C1', name: 'Acme' },
  { clientNumber: 'C2', name: 'Baker' },
];
const MATTERS = [
  { clientNumber: 'C1', matterNumber: 'M1', description: '' },
  { clientNumber: 'C2', matterNumber: 'M1', description: '' },
];

const invoice = (invoiceNumber: string, balanceCents: number, clientNumber = 'C1'): Invoice => ({
  invoiceNumber,
  clientNumber,
  matterNumber: 'M1',
  invoiceDate: '2026-03-01',
  totalCents: 100_000,
  balanceCents,
  status: balanceCents === 0 ? 'paid' : 'open',
});

/** Numbers COPY's text format has to escape or carry as they are. */
const ODD_NUMBERS = ['INV\\1', 'INV\\\\2\\t', 'INV "3"', "INV-4'", 'INV-ü€5', 'INV,6;|', '\\N', 'INV.7\\.'];

describe('the sync loads new invoices with COPY and upserts known ones', () => {
  let t: TestApp;
  let firms = 0;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  const newFirm = async () => {
    firms += 1;
    const firm = await createFirm(t.conn.db, { code: `COPY${firms}`, name: 'Copy' });
    await syncMms(t.conn.db, firm.id, actor, { clients: CLIENTS, matters: MATTERS, invoices: [], full: false });
    return firm.id;
  };
  const sync = (firmId: string, invoices: Invoice[], now?: Date) =>
    syncMms(t.conn.db, firmId, actor, { clients: [], matters: [], invoices, full: false }, now);
  const rowsOf = async (firmId: string) =>
    (
      await sql<Invoice & { updatedAt: string }>`
        select invoice_number as "invoiceNumber", client_number as "clientNumber", matter_number as "matterNumber",
          to_char(invoice_date, 'YYYY-MM-DD') as "invoiceDate", total_cents::int as "totalCents",
          balance_cents::int as "balanceCents", status, to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS') as "updatedAt"
        from invoices where firm_id = ${firmId} order by invoice_number collate "C"`.execute(t.conn.db)
    ).rows;

  it('writes the same rows as the upsert would, odd characters and all', async () => {
    const wanted = ODD_NUMBERS.map((n, i) => invoice(n, 1_000 * i, i % 2 ? 'C2' : 'C1'));
    const at = new Date('2026-05-01T10:00:00.123Z');

    const copied = await newFirm();
    expect(await sync(copied, wanted, at)).toMatchObject({ invoices: wanted.length });

    // Synced first with other facts, so the second sync finds them all and upserts.
    const upserted = await newFirm();
    await sync(
      upserted,
      wanted.map((v) => ({ ...v, balanceCents: 50_000, status: 'open', clientNumber: 'C2' })),
    );
    expect(await sync(upserted, wanted, at)).toMatchObject({ invoices: wanted.length });

    const expected = [...wanted]
      .sort((a, b) => (a.invoiceNumber < b.invoiceNumber ? -1 : 1))
      .map((v) => ({ ...v, updatedAt: '2026-05-01T10:00:00.123' }));
    expect(await rowsOf(copied)).toEqual(expected);
    expect(await rowsOf(upserted)).toEqual(expected);
  });

  it('counts new and changed invoices, and touches only those, in a sync that mixes them with unchanged ones', async () => {
    const firmId = await newFirm();
    const first = new Date('2026-05-02T00:00:00Z');
    await sync(firmId, [invoice('A-1', 100), invoice('A-2', 200), invoice('A-3', 300)], first);
    const second = new Date('2026-05-03T00:00:00Z');
    const answer = await sync(
      firmId,
      [invoice('A-1', 100), invoice('A-2', 150), invoice('A-4', 400), invoice('A-0', 0)],
      second,
    );
    expect(answer).toMatchObject({ invoices: 3, closed: 0 });
    const rows = await rowsOf(firmId);
    expect(rows.map((r) => [r.invoiceNumber, r.balanceCents, r.updatedAt.slice(0, 10)])).toEqual([
      ['A-0', 0, '2026-05-03'],
      ['A-1', 100, '2026-05-02'],
      ['A-2', 150, '2026-05-03'],
      ['A-3', 300, '2026-05-02'],
      ['A-4', 400, '2026-05-03'],
    ]);
  });

  it("never leaves a client's payment on an invoice that a sync moved to another client", async () => {
    const firm = await createTestFirm(t, 'COPYMOVE');
    await syncMms(t.conn.db, firm.id, actor, { clients: CLIENTS, matters: MATTERS, invoices: [], full: false });
    await sync(firm.id, [invoice('M-1', 90_000, 'C1')]);
    const paid = await takePayment(t, firm, {
      invoiceNumbers: ['M-1'],
      clientNumber: 'C1',
      amountCents: 30_000,
    });
    expect(paid.postingRecord).toMatchObject({ status: 'pending', reasons: [] });

    // The MMS moved M-1 to Baker; the same sync brings new invoices, loaded by COPY.
    await sync(firm.id, [invoice('M-1', 90_000, 'C2'), invoice('M-2', 50_000, 'C1'), invoice('M-3', 50_000, 'C2')]);
    const moved = (await call(t, firm.accountant, 'GET', `/postings/${paid.postingRecord.id}`)).json();
    expect(moved).toMatchObject({ status: 'incomplete', reasons: ['client_mismatch'] });

    // Back to Acme: the record is pending on it again.
    await sync(firm.id, [invoice('M-1', 90_000, 'C1')]);
    const back = (await call(t, firm.accountant, 'GET', `/postings/${paid.postingRecord.id}`)).json();
    expect(back).toMatchObject({ status: 'pending', reasons: [] });
    expect(back.allocations).toMatchObject([{ invoiceNumber: 'M-1', amountCents: 30_000 }]);
  });

  it('takes two syncs of one firm at once: each invoice once, with the facts of the sync that came last', async () => {
    const firmId = await newFirm();
    const left = Array.from({ length: 300 }, (_, i) => invoice(`R-${String(i).padStart(4, '0')}`, 10 + i));
    const right = Array.from({ length: 300 }, (_, i) => invoice(`R-${String(i + 150).padStart(4, '0')}`, 10 + i + 150));
    const answers = await Promise.all([sync(firmId, left), sync(firmId, right)]);
    // The overlap (R-0150..R-0299) has the same facts in both: whichever came second finds it unchanged.
    expect(answers[0].invoices + answers[1].invoices).toBe(450);
    const rows = await rowsOf(firmId);
    expect(rows).toHaveLength(450);
    expect(rows.every((r) => r.balanceCents === 10 + Number(r.invoiceNumber.slice(2)))).toBe(true);
  });

  it("takes two firms' syncs at once, each into its own mirror only", async () => {
    const [a, b] = [await newFirm(), await newFirm()];
    const numbers = Array.from({ length: 200 }, (_, i) => `F-${i}`);
    await Promise.all([
      sync(
        a,
        numbers.map((n) => invoice(n, 111)),
      ),
      sync(
        b,
        numbers.map((n) => invoice(n, 222, 'C2')),
      ),
    ]);
    const [rowsA, rowsB] = [await rowsOf(a), await rowsOf(b)];
    expect(rowsA).toHaveLength(200);
    expect(rowsB).toHaveLength(200);
    expect(rowsA.every((r) => r.balanceCents === 111 && r.clientNumber === 'C1')).toBe(true);
    expect(rowsB.every((r) => r.balanceCents === 222 && r.clientNumber === 'C2')).toBe(true);
  });

  it('refuses a sync of new invoices whole, writing none of them, when one row is bad', async () => {
    const firm = await createTestFirm(t, 'COPYBAD');
    await syncMms(t.conn.db, firm.id, actor, { clients: CLIENTS, matters: MATTERS, invoices: [], full: false });
    const many = Array.from({ length: 2_000 }, (_, i) => invoice(`B-${i}`, 500));
    for (const bad of [
      { ...invoice('B-1999', 500), matterNumber: 'M404' },
      invoice('B-0', 600), // a second B-0
      { ...invoice('B-1999', 500), balanceCents: 200_000 },
    ]) {
      const res = await call(t, firm.agent, 'POST', '/agent/sync', { invoices: [...many, bad] });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.code).toBe('invalid_sync');
      expect(await rowsOf(firm.id)).toEqual([]);
    }
    const good = await call(t, firm.agent, 'POST', '/agent/sync', { invoices: many });
    expect(good.json()).toMatchObject({ invoices: 2_000 });
  });

  const onPostgres = testEngine() === 'postgres' ? it : undefined;
  onPostgres?.(
    'makes a sync wait while another sync of the firm is open, then upserts what that one loaded instead of loading it twice',
    async () => {
      const firmId = await newFirm();
      const waitingForLocks = async () =>
        (
          await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock'`.execute(t.conn.db)
        ).rows[0]!.n;
      const first = [invoice('W-1', 10), invoice('W-2', 20)];
      const second = [invoice('W-2', 25), invoice('W-3', 30)];
      let later: ReturnType<typeof sync> | undefined;
      const conflicts: ConflictMet[] = [];
      const unwatch = watchConflicts(t.conn.db, (conflict) => conflicts.push(conflict));
      await t.conn.db.transaction().execute(async (tx) => {
        await syncMms(tx, firmId, actor, { clients: [], matters: [], invoices: first, full: false });
        // The second sync starts while the first has loaded W-1 and W-2 but not committed.
        later = sync(firmId, second);
        later.catch(() => undefined); // awaited below
        while ((await waitingForLocks()) === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      });
      expect(await later!).toMatchObject({ invoices: 2 });
      unwatch();
      // It waited for the sync lock: no duplicate met, no run of it thrown away and retried.
      expect(conflicts).toEqual([]);
      expect((await rowsOf(firmId)).map((r) => [r.invoiceNumber, r.balanceCents])).toEqual([
        ['W-1', 10],
        ['W-2', 25],
        ['W-3', 30],
      ]);
    },
  );
  onPostgres?.(
    'under REPEATABLE READ, a sync that could not see the invoices another sync added meanwhile fails as a serialization failure, to be run again',
    async () => {
      const firmId = await newFirm();
      const rollback = new Error('rolled back');
      const failed = await t.conn.db
        .transaction()
        .execute(async (tx) => {
          await sql`set transaction isolation level repeatable read`.execute(tx);
          await sql`select 1 from invoices where firm_id = ${firmId}`.execute(tx); // takes the snapshot
          await sync(firmId, [invoice('RR-1', 10)]); // another transaction, committed
          const error: unknown = await syncMms(tx, firmId, actor, {
            clients: [],
            matters: [],
            invoices: [invoice('RR-1', 10)],
            full: false,
          }).catch((e: unknown) => e);
          expect(error).toMatchObject({ code: '40001' });
          throw rollback;
        })
        .catch((e: unknown) => e);
      expect(failed).toBe(rollback);
      expect(await rowsOf(firmId)).toHaveLength(1);
    },
  );
});
