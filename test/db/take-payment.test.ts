import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/db/connect.ts';
import { TAKE_PAYMENT_COLUMNS, type AllocationArgument } from '../../src/db/take-payment.ts';
import { createTestDb, testEngine } from '../support/db.ts';
import { readIntakeFacts } from '../../src/db/payments.ts';
import { listDepositAccounts } from '../../src/db/deposit-accounts.ts';
import { inTransaction } from '../../src/db/transaction.ts';
import { createFirm } from '../../src/usecases/auth/firms-and-users.ts';

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

describe(`readIntakeFacts (src/db/payments.ts) on ${testEngine()}`, () => {
  let conn: Connection;
  beforeAll(async () => {
    conn = await createTestDb();
  });
  afterAll(async () => conn.close());

  it("runs intake_facts once, and reads the firm's default deposit account of the kind asked in the same statement", async () => {
    const firm = await createFirm(conn.db, { code: 'FACTS', name: 'Facts LLP' });
    const want = { numbers: ['INV-1'], matters: [['C1', 'M1']] as [string, string][] };
    // track_functions counts each call of a PL/pgSQL function in this transaction: the
    // fingerprint must not call intake_facts a second time (the planner did, once).
    const read = await inTransaction(conn.db, async (tx) => {
      await sql`set local track_functions = 'all'`.execute(tx);
      const facts = await readIntakeFacts(tx, firm.id, want, false, 'trust');
      const calls = await sql<{ n: number | string }>`
        select pg_stat_get_xact_function_calls('intake_facts'::regproc) as n`.execute(tx);
      return { facts, calls: Number(calls.rows[0]!.n) };
    });
    expect(read.calls, 'calls of intake_facts for one read').toBe(1);
    const trust = (await listDepositAccounts(conn.db, firm.id)).find((a) => a.kind === 'trust' && a.isDefault)!;
    expect(read.facts?.deposit).toEqual({ id: trust.id, name: trust.name, default_memo: trust.defaultMemo });
    expect(read.facts?.fingerprint).toMatch(/^[0-9a-f]{32}$/);

    const none = await readIntakeFacts(conn.db, firm.id, want, false, null);
    expect(none?.deposit, 'no account kind asked: no account read').toBeNull();
    expect(none?.fingerprint, 'the same facts, the same fingerprint').toBe(read.facts?.fingerprint);
  });
});
