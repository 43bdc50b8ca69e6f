import { cents } from '../../src/domain/money.ts';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { findDefaultDepositAccount } from '../../src/db/deposit-accounts.ts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { takenByOthers, type ClaimLine } from '../../src/domain/claims.ts';
import { RECORD_STATUSES } from '../../src/domain/types.ts';
import type { Connection } from '../../src/db/connect.ts';
import { readInvoiceApplied } from '../../src/db/mirror.ts';
import { createTestDb, testEngine } from '../support/db.ts';

/**
 * STYLE §14: the database function invoice_applied (migration 0007) computes, for intake's
 * speed, the rule src/domain/claims.ts defines. Random records in every status, with lines
 * positive and negative, reflected or not, on a few invoices: the two agree on every
 * invoice, with and without records left out, and again after the records' statuses,
 * lines and reflections changed.
 */

const INVOICES = ['A', 'B', 'C'];
const line = fc.record({
  invoice: fc.option(fc.constantFrom(...INVOICES), { nil: null }),
  cents: fc.integer({ min: -5_000, max: 20_000 }).filter((c) => c !== 0),
  reflected: fc.boolean(),
});
const record = fc.record({
  status: fc.constantFrom(...RECORD_STATUSES),
  lines: fc.array(line, { minLength: 1, maxLength: 3 }),
  excluded: fc.boolean(),
  // What happens to the record afterwards: a new status, its lines reflected (or no
  // longer), its lines replaced. invoice_applied reads a figure triggers keep up to date
  // (migration 0029), so every kind of write must move it as the rule says.
  later: fc.option(
    fc.record({
      status: fc.constantFrom(...RECORD_STATUSES),
      toggleReflected: fc.boolean(),
      lines: fc.option(fc.array(line, { minLength: 1, maxLength: 3 }), { nil: null }),
    }),
    { nil: null },
  ),
});

describe(`invoice_applied equals the domain's claims rule on ${testEngine()}`, () => {
  let conn: Connection;
  let run = 0;
  beforeAll(async () => {
    conn = await createTestDb();
  });
  afterAll(async () => conn.close());

  it('for random records in every status, as written and after they change', { timeout: 90_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(record, { maxLength: 8 }), async (records) => {
        run += 1;
        const db = conn.db;
        const firm = await db
          .insertInto('firms')
          .values({ code: `CL${run}`, name: 'Claims' })
          .returning('id')
          .executeTakeFirstOrThrow();
        await db.insertInto('clients').values({ firm_id: firm.id, client_number: 'C1', name: 'c' }).execute();
        await db.insertInto('matters').values({ firm_id: firm.id, client_number: 'C1', matter_number: 'M1' }).execute();
        await db
          .insertInto('invoices')
          .values(
            INVOICES.map((n) => ({
              firm_id: firm.id,
              invoice_number: n,
              client_number: 'C1',
              matter_number: 'M1',
              invoice_date: '2026-01-01',
              total_cents: 1,
              balance_cents: 1,
              status: 'open',
            })),
          )
          .execute();
        const operating = await findDefaultDepositAccount(db, firm.id, 'operating');
        const batch = randomUUID();
        const ids: string[] = [];
        const left: string[] = [];
        const insertLines = (
          id: string,
          recordLines: { invoice: string | null; cents: number; reflected: boolean }[],
        ) =>
          db
            .insertInto('allocations')
            .values(
              recordLines.map((l, n) => ({
                firm_id: firm.id,
                record_id: id,
                line: n + 1,
                invoice_number: l.invoice,
                client_number: l.invoice === null ? 'C1' : null,
                matter_number: l.invoice === null ? 'M1' : null,
                amount_cents: l.cents,
                reflected_at: l.reflected ? new Date() : null,
              })),
            )
            .execute();
        for (const [i, r] of records.entries()) {
          const payment = await db
            .insertInto('payments')
            .values({
              firm_id: firm.id,
              processor_id: `p${i}`,
              processed_at: new Date(),
              amount_cents: 1,
              surcharge_cents: 0,
              method: 'card',
              account: 'operating',
              deposit_account_id: operating.id,
              payer_name: 'x',
              invoice_numbers: [],
              origin: 'connect',
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          const id = randomUUID();
          const batched = r.status === 'queued' || r.status === 'posted';
          if (i === 0) {
            await sql`insert into batches (id, firm_id, seq, file_name, file_format, content, sha256, line_count, total_cents, record_count, created_by, time_zone)
              values (${batch}, ${firm.id}, 1, 'f', 'paybridge-csv', '\\x00', ${'0'.repeat(64)}, 1, 0, 1, 'test', 'UTC')`.execute(
              db,
            );
          }
          await db
            .insertInto('posting_records')
            .values({
              id,
              firm_id: firm.id,
              payment_id: payment.id,
              status: r.status,
              reasons: r.status === 'incomplete' ? ['exceeds_balance'] : [],
              amount_cents: r.lines.reduce((sum, l) => sum + l.cents, 0) || 1,
              surcharge_cents: 0,
              invoice_numbers: [],
              account: 'operating',
              processed_at: new Date(),
              payer_name: 'x',
              origin: 'connect',
              method: 'card',
              batch_id: batched ? batch : null,
            })
            .execute();
          await insertLines(id, r.lines);
          ids.push(id);
          if (r.excluded) left.push(id);
        }
        const expectRuleHolds = async () => {
          const lines = (
            await db
              .selectFrom('allocations as a')
              .innerJoin('posting_records as r', (j) =>
                j.onRef('r.firm_id', '=', 'a.firm_id').onRef('r.id', '=', 'a.record_id'),
              )
              .select(['a.record_id', 'r.status', 'a.invoice_number', 'a.amount_cents', 'a.reflected_at'])
              .where('a.firm_id', '=', firm.id)
              .execute()
          ).map((l): ClaimLine => ({
            recordId: l.record_id,
            status: l.status,
            invoiceNumber: l.invoice_number,
            amountCents: cents(l.amount_cents),
            reflected: l.reflected_at !== null,
          }));
          for (const exclude of [[], left]) {
            expect(await readInvoiceApplied(db, firm.id, INVOICES, exclude)).toEqual(
              takenByOthers(lines, new Set(exclude)),
            );
          }
        };
        await expectRuleHolds();

        for (const [i, r] of records.entries()) {
          const later = r.later;
          if (!later) continue;
          const batched = later.status === 'queued' || later.status === 'posted';
          await db
            .updateTable('posting_records')
            .set({
              status: later.status,
              reasons: later.status === 'incomplete' ? ['exceeds_balance'] : [],
              batch_id: batched ? batch : null,
            })
            .where('firm_id', '=', firm.id)
            .where('id', '=', ids[i]!)
            .execute();
          if (later.toggleReflected)
            await sql`update allocations set reflected_at = case when reflected_at is null then now() end
              where firm_id = ${firm.id} and record_id = ${ids[i]!}`.execute(db);
          if (later.lines) {
            await db
              .deleteFrom('allocations')
              .where('firm_id', '=', firm.id)
              .where('record_id', '=', ids[i]!)
              .execute();
            await insertLines(ids[i]!, later.lines);
          }
        }
        await expectRuleHolds();
      }),
      { numRuns: testEngine() === 'pglite' ? 40 : 60 },
    );
  });
});
