import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/db/connect.ts';
import { TAKE_PAYMENT_COLUMNS, type AllocationArgument } from '../../src/db/take-payment.ts';
import { createTestDb, testEngine } from '../support/db.ts';

/** Each JSON argument of take_payment and the table whose row type the function reads it as. */
const ARGUMENTS = {
  payment: 'payments',
  record: 'posting_records',
  allocations: 'allocations',
  audit: 'audit_events',
} as const;

/** The keys the function's source reads from one argument: alias.column after jsonb_populate_record(set), and p_argument->>'key'. */
function keysRead(source: string, argument: keyof typeof ARGUMENTS): string[] {
  const from = new RegExp(
    `jsonb_populate_record(?:set)?\\(null::${ARGUMENTS[argument]}, p_${argument}\\)( with ordinality)?(?: as)? (\\w+)`,
    'g',
  );
  const keys = new Set<string>();
  for (const [, ordinality, alias] of source.matchAll(from)) {
    for (const [, column] of source.matchAll(new RegExp(`\\b${alias}\\.(\\w+)`, 'g'))) {
      // WITH ORDINALITY adds a column of its own, not read from the JSON.
      if (!(ordinality && column === 'ordinality')) keys.add(column!);
    }
  }
  for (const [, key] of source.matchAll(new RegExp(`\\bp_${argument}\\s*->>\\s*'(\\w+)'`, 'g'))) keys.add(key!);
  return [...keys].sort();
}

describe(`take_payment's JSON arguments (src/db/take-payment.ts) on ${testEngine()}`, () => {
  let conn: Connection;
  beforeAll(async () => {
    conn = await createTestDb();
  });
  afterAll(async () => conn.close());

  it('are read by the function key for key, as their TypeScript types declare them', async () => {
    const found = await sql<{ source: string }>`
      select p.prosrc as source from pg_proc p where p.proname = 'take_payment' and p.pronamespace = 'public'::regnamespace`.execute(
      conn.db,
    );
    expect(found.rows, 'one take_payment function').toHaveLength(1);
    const source = found.rows[0]!.source;
    for (const argument of Object.keys(ARGUMENTS) as (keyof typeof ARGUMENTS)[]) {
      const read = keysRead(source, argument);
      expect(read.length, `take_payment reads p_${argument} through jsonb_populate_record(set)`).toBeGreaterThan(0);
      expect(
        read,
        `the keys take_payment reads from p_${argument} (left) and TAKE_PAYMENT_COLUMNS.${argument} (right)`,
      ).toEqual([...TAKE_PAYMENT_COLUMNS[argument]].sort());
    }
  });

  it('refuse a misspelled or missing key at compile time', () => {
    const line: AllocationArgument = {
      line: 1,
      invoice_number: 'INV-1',
      client_number: null,
      matter_number: null,
      amount_cents: 100,
    };
    // @ts-expect-error -- a key take_payment does not read is refused, where it would have been dropped without a word
    const misspelled: AllocationArgument = { ...line, ammount_cents: 100 };
    // @ts-expect-error -- a key left out would be written as null
    const missing: AllocationArgument = { line: 1, invoice_number: 'INV-1', client_number: null, matter_number: null };
    expect([misspelled, missing]).toHaveLength(2);
  });
});
