import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection, Db } from '../../src/db/connect.ts';
import { SYSTEM_ACTOR } from '../../src/domain/actor.ts';
import { cents } from '../../src/domain/money.ts';
import { createFirm } from '../../src/usecases/auth/firms-and-users.ts';
import { takePayment } from '../../src/usecases/payments/take-payment.ts';
import { createTestDb, testEngine } from '../support/db.ts';

/**
 * Issue 17: with about 1,050 open records on one invoice, each payment on it took 550 ms,
 * since classifying it summed every line on the invoice. Intake now reads what the
 * records take from a running figure (migration 0029). The database counts the rows each
 * table gives up in a transaction (pg_stat_xact_user_tables): a payment on an invoice
 * with 1,050 open records must read exactly as many of them as one on an invoice with one
 * (in a firm of its own: the old sum's plan walked every record of the firm).
 */

const OPEN_RECORDS = 1_050;

/** Rows read per table (sequential and through indexes) by the transaction so far. */
async function rowsRead(db: Db): Promise<Record<string, number>> {
  const result = await sql<{ name: string; n: string | number }>`
    select relname as name, coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) as n
    from pg_stat_xact_user_tables where coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) > 0`.execute(db);
  return Object.fromEntries(result.rows.map((r) => [r.name, Number(r.n)]));
}

describe(`a payment on an invoice with ${OPEN_RECORDS} open records on ${testEngine()}`, () => {
  let conn: Connection;
  const firms = new Map<string, string>();
  let n = 0;

  /** A firm with one open invoice INV and `open` open records on it. */
  async function seedFirm(code: string, open: number): Promise<string> {
    const db = conn.db;
    const firmId = (await createFirm(db, { code, name: `${code} LLP` })).id;
    await sql`insert into clients (firm_id, client_number, name) values (${firmId}, 'C1', 'Client')`.execute(db);
    await sql`insert into matters (firm_id, client_number, matter_number) values (${firmId}, 'C1', 'M1')`.execute(db);
    await sql`insert into invoices (firm_id, invoice_number, client_number, matter_number, invoice_date, total_cents, balance_cents, status)
      values (${firmId}, 'INV', 'C1', 'M1', '2026-01-01', 900000000, 900000000, 'open')`.execute(db);
    // The open records, as intake makes them: pending on the invoice, every tenth one
    // incomplete and beyond what more payments can change (already over the balance).
    await sql`insert into payments (id, firm_id, processor_id, processed_at, amount_cents, surcharge_cents, method, account,
        payer_name, invoice_numbers, client_number, origin)
      select md5(${code} || 'p' || g)::uuid, ${firmId}, 'open_' || g, now(), 1000, 0, 'card', 'operating', 'Payer', '{INV}', 'C1', 'connect'
      from generate_series(1, ${open}) g`.execute(db);
    await sql`insert into posting_records (id, firm_id, payment_id, status, reasons, amount_cents, surcharge_cents, account,
        processed_at, payer_name, origin, method, invoice_numbers, refers_to, search_text)
      select md5(${code} || 'r' || g)::uuid, ${firmId}, md5(${code} || 'p' || g)::uuid,
        case when g % 10 = 0 then 'incomplete' else 'pending' end,
        case when g % 10 = 0 then '{exceeds_balance}'::text[] else '{}' end,
        1000, 0, 'operating', now(), 'Payer', 'connect', 'card', '{INV}', '{INV}', 'payer inv'
      from generate_series(1, ${open}) g`.execute(db);
    await sql`insert into allocations (firm_id, record_id, line, invoice_number, amount_cents)
      select ${firmId}, md5(${code} || 'r' || g)::uuid, 1, 'INV', 1000 from generate_series(1, ${open}) g where g % 10 <> 0`.execute(
      db,
    );
    return firmId;
  }

  /**
   * Another firm's lines, each on an invoice of its own: the statistics of a real mirror
   * (about one line per invoice). Under them the generic plan of invoice_applied started
   * from the invoice's lines to find those of the records left out, so a payment on the
   * busy invoice read every one of its lines, twice (fixed by migration 0035).
   */
  async function seedSpreadFirm(lines: number): Promise<void> {
    const db = conn.db;
    const firmId = (await createFirm(db, { code: 'SPREAD', name: 'SPREAD LLP' })).id;
    await sql`insert into payments (id, firm_id, processor_id, processed_at, amount_cents, surcharge_cents, method, account,
        payer_name, invoice_numbers, client_number, origin)
      select md5('SPREAD p' || g)::uuid, ${firmId}, 'spread_' || g, now(), 1000, 0, 'card', 'operating', 'Payer',
        array['S' || g], 'C1', 'connect'
      from generate_series(1, ${lines}) g`.execute(db);
    await sql`insert into posting_records (id, firm_id, payment_id, status, reasons, amount_cents, surcharge_cents, account,
        processed_at, payer_name, origin, method, invoice_numbers, refers_to, search_text)
      select md5('SPREAD r' || g)::uuid, ${firmId}, md5('SPREAD p' || g)::uuid, 'pending', '{}', 1000, 0, 'operating',
        now(), 'Payer', 'connect', 'card', array['S' || g], array['S' || g], 'payer'
      from generate_series(1, ${lines}) g`.execute(db);
    await sql`insert into allocations (firm_id, record_id, line, invoice_number, amount_cents)
      select ${firmId}, md5('SPREAD r' || g)::uuid, 1, 'S' || g, 1000 from generate_series(1, ${lines}) g`.execute(db);
  }

  beforeAll(async () => {
    conn = await createTestDb();
    firms.set('QUIET', await seedFirm('QUIET', 1));
    firms.set('BUSY', await seedFirm('BUSY', OPEN_RECORDS));
    await seedSpreadFirm(10 * OPEN_RECORDS);
    await sql`analyze`.execute(conn.db);
  }, 180_000);
  afterAll(async () => conn?.close());

  /** Takes one payment on the invoice, and the rows it read, then undoes it. */
  async function rowsReadByPayment(firm: 'QUIET' | 'BUSY') {
    let read: Record<string, number> = {};
    let status: string | undefined;
    await conn.db
      .transaction()
      .execute(async (tx) => {
        const before = await rowsRead(tx);
        const taken = await takePayment(tx, firms.get(firm)!, SYSTEM_ACTOR, {
          processorId: `new_${(n += 1)}`,
          origin: 'connect',
          amountCents: cents(500),
          method: 'card',
          account: 'operating',
          payerName: 'Payer',
          invoiceNumbers: ['INV'],
          clientNumber: 'C1',
          processedAt: new Date().toISOString(),
        });
        status = taken.postingRecord?.status;
        const after = await rowsRead(tx);
        read = Object.fromEntries(Object.entries(after).map(([t, v]) => [t, v - (before[t] ?? 0)]));
        throw new Rollback();
      })
      .catch((error: unknown) => {
        if (!(error instanceof Rollback)) throw error;
      });
    return { status, read };
  }

  it('reads the same rows as a payment on an invoice with one', async () => {
    await rowsReadByPayment('QUIET'); // plans made and cached on both paths
    const quiet = await rowsReadByPayment('QUIET');
    const busy = await rowsReadByPayment('BUSY');
    expect(quiet.status).toBe('pending');
    expect(busy.status).toBe('pending');
    // The count is live in this transaction: the payment's own invoice was read.
    expect(quiet.read.invoices).toBeGreaterThan(0);
    // The tables the records and their lines are in.
    const ofRecords = (read: Record<string, number>) => ({
      posting_records: read.posting_records ?? 0,
      allocations: read.allocations ?? 0,
    });
    expect(ofRecords(busy.read)).toEqual(ofRecords(quiet.read));
  });
});

class Rollback extends Error {}
