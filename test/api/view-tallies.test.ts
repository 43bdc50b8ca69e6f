import { cents } from '../../src/domain/money.ts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection, Db } from '../../src/db/connect.ts';
import { createFirm } from '../../src/usecases/auth/firms-and-users.ts';
import type { Actor } from '../../src/domain/actor.ts';
import { takePayment } from '../../src/usecases/payments/take-payment.ts';
import { countMatching, countRecords, listRecords } from '../../src/usecases/postings/list-records.ts';
import { syncMms } from '../../src/usecases/sync/sync-mms.ts';
import { postRecords } from '../../src/usecases/postings/post-records.ts';
import { FOLD_AFTER_PIECES, foldTallies } from '../../src/usecases/postings/tallies.ts';
import { createTestDb } from '../support/db.ts';

const actor: Actor = { kind: 'user', id: null, label: 'tally@test' };
let conn: Connection;
let firms = 0;

beforeAll(async () => {
  conn = await createTestDb();
});
afterAll(async () => conn.close());

async function firmWithPayments(db: Db, count: number, account: 'operating' | 'trust' = 'operating') {
  firms += 1;
  const firm = await createFirm(db, { code: `TALLY${firms}`, name: 'Tally' });
  for (let n = 0; n < count; n += 1) {
    await takePayment(db, firm.id, actor, {
      processorId: `tally-${firms}-${n}`,
      origin: 'connect',
      amountCents: cents(1000 + n),
      method: 'card',
      account: n % 3 ? account : 'trust',
      payerName: `Payer ${n}`,
      invoiceNumbers: [],
      processedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    });
  }
  return firm;
}

const pieces = async (db: Db, firmId: string) =>
  (
    await sql<{ n: number }>`select count(*)::int as n from posting_record_tallies where firm_id = ${firmId}`.execute(
      db,
    )
  ).rows[0]!.n;

describe('view counts from the tallies (migration 0004)', () => {
  it('agree with counting the records, and count only the firm asked about', async () => {
    const a = await firmWithPayments(conn.db, 6);
    const b = await firmWithPayments(conn.db, 2);
    const counts = await countRecords(conn.db, a.id, {});
    expect(counts.all).toBe(6);
    expect(counts.incomplete).toBe(6); // no invoices synced: every one is incomplete
    expect((await countRecords(conn.db, b.id, {})).all).toBe(2);
    expect((await countRecords(conn.db, a.id, { account: 'trust' })).all).toBe(2);
    expect((await countRecords(conn.db, a.id, { origin: 'connect' })).all).toBe(6);
    expect((await countRecords(conn.db, a.id, { origin: 'payment_page' })).all).toBe(0);
  });

  it('fold a pile of signed changes into one row per group without changing any count', async () => {
    const firm = await firmWithPayments(conn.db, 4);
    const before = await countRecords(conn.db, firm.id, {});
    // Changes that cancel out, as many status changes back and forth would leave behind.
    await sql`insert into posting_record_tallies (firm_id, status, account, origin, records, cents)
      select ${firm.id}, 'pending', 'operating', 'connect', case when g % 2 = 0 then 1 else -1 end, case when g % 2 = 0 then 500 else -500 end
      from generate_series(1, ${FOLD_AFTER_PIECES + 10}) g`.execute(conn.db);
    expect(await pieces(conn.db, firm.id)).toBeGreaterThan(FOLD_AFTER_PIECES);
    expect(await countRecords(conn.db, firm.id, {})).toEqual(before); // this read folds
    expect(await pieces(conn.db, firm.id)).toBeLessThanOrEqual(4);
    expect(await countRecords(conn.db, firm.id, {})).toEqual(before);
  });

  it('lose nothing when folds run while payments are taken and posted', async () => {
    const firm = await firmWithPayments(conn.db, 3);
    await Promise.all([
      ...Array.from({ length: 4 }, () => foldTallies(conn.db, firm.id)),
      ...Array.from({ length: 6 }, (_, n) =>
        takePayment(conn.db, firm.id, actor, {
          processorId: `tally-race-${n}`,
          origin: 'connect',
          amountCents: cents(700),
          method: 'card',
          account: 'operating',
          payerName: 'Racer',
          invoiceNumbers: [],
          processedAt: new Date(Date.UTC(2026, 1, 1, 0, 0, n)).toISOString(),
        }),
      ),
    ]);
    await foldTallies(conn.db, firm.id);
    const counted = await countMatching(conn.db, firm.id, {});
    const counts = await countRecords(conn.db, firm.id, {});
    expect(counts.all).toBe(9);
    expect(counts.incomplete).toBe(counted.find((c) => c.status === 'incomplete')?.n);
  });
});

describe('search through the trigram table (migration 0004)', () => {
  it('finds a record by payer, follows a post, and never finds another firm’s record', async () => {
    const a = await firmWithPayments(conn.db, 3);
    const b = await firmWithPayments(conn.db, 3);
    const found = await listRecords(conn.db, a.id, { view: 'all', limit: 50, sort: 'desc', q: 'payer 1' });
    expect(found.items.map((r) => r.payerName)).toEqual(['Payer 1']);
    // The other firm has a "Payer 1" too; each search answers only its own.
    const other = await listRecords(conn.db, b.id, { view: 'all', limit: 50, sort: 'desc', q: 'payer 1' });
    expect(other.items.map((r) => r.id)).not.toContain(found.items[0]!.id);
    expect((await countRecords(conn.db, a.id, { q: 'PAYER 2' })).all).toBe(1);
    // % and _ typed in the box are literal.
    expect((await listRecords(conn.db, a.id, { view: 'all', limit: 50, sort: 'desc', q: 'payer%' })).items).toEqual([]);
  });

  it('still finds a record after Post All moved it', async () => {
    const firm = await firmWithPayments(conn.db, 0);
    await syncMms(conn.db, firm.id, actor, {
      clients: [{ clientNumber: 'C9', name: 'Client' }],
      matters: [{ clientNumber: 'C9', matterNumber: 'M9', description: '' }],
      invoices: [
        {
          invoiceNumber: 'INV-9',
          clientNumber: 'C9',
          matterNumber: 'M9',
          invoiceDate: '2026-01-01',
          totalCents: 100_000,
          balanceCents: 100_000,
          status: 'open',
        },
      ],
      full: false,
    });
    await takePayment(conn.db, firm.id, actor, {
      processorId: `tally-post-${firm.id}`,
      origin: 'connect',
      amountCents: cents(100),
      method: 'card',
      account: 'operating',
      payerName: 'Zed Mover',
      invoiceNumbers: ['INV-9'],
      clientNumber: 'C9',
      processedAt: '2026-03-01T00:00:00.000Z',
    });
    expect((await countRecords(conn.db, firm.id, {})).pending).toBe(1);
    await postRecords(conn.db, firm.id, actor, { all: true });
    const queued = await listRecords(conn.db, firm.id, { view: 'queued', limit: 50, sort: 'desc', q: 'zed mov' });
    expect(queued.items.map((r) => r.payerName)).toEqual(['Zed Mover']);
    expect((await countRecords(conn.db, firm.id, { q: 'zed' })).queued).toBe(1);
    expect((await countRecords(conn.db, firm.id, {})).queued).toBe(1);
  });
});
