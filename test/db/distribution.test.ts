import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/db/connect.ts';
import { createTestDb, testEngine } from '../support/db.ts';

/**
 * Issue 17: the path past one PostgreSQL is distributing by firm_id (Citus). A
 * distributed table's primary key, unique constraints and foreign keys must lead with its
 * distribution column, so every firm-owned table's keys lead with firm_id. This test reads
 * the catalogue: a table or key added later that breaks the rule fails it.
 */

/**
 * Keys that find a firm before anything names one, so they are global by nature; under
 * Citus each becomes a small reference table from the key to its firm_id.
 */
const GLOBAL_KEYS: Record<string, string> = {
  'users.users_email_key': 'sign-in names a user by email alone',
  'sessions.sessions_pkey': "a session cookie's hash finds its user and firm",
  'api_tokens.api_tokens_token_hash_key': "a bearer token's hash finds its firm",
  'links.links_token_hash_key': "a payer's link token finds its firm",
  'payment_pages.payment_pages_slug_key': "a payment page's public address finds its firm",
  'password_links.password_links_token_hash_key': 'an invite or reset link finds the firm of the person who opens it',
  'rate_limit_hits.rate_limit_hits_pkey':
    'a request rate limit counts a route and an address before any firm is named (sign-in, payers)',
};

/**
 * Tables with no firm_id at all, each for its reason; under Citus each is a reference (or
 * local) table. A new table without firm_id fails the test until it is listed here.
 */
const GLOBAL_TABLES: Record<string, string> = {
  firms: 'the distribution key itself',
  schema_migrations: 'which migrations ran: the schema, not any firm',
  sign_in_failures: 'the per-account throttle counts an email as typed, before a firm is known',
  rate_limit_hits: 'the request rate limits, counted by route and address (its key is in GLOBAL_KEYS)',
};

/**
 * The sandbox processor's own ledger: it stands in for a processor outside paybridge,
 * which would not live in paybridge's database at all.
 */
const PROCESSOR_TABLES = new Set([
  'sandbox_tokens',
  'sandbox_charges',
  'sandbox_events',
  'sandbox_payouts',
  'sandbox_settled',
  'sandbox_vault',
]);

/** Tables without a key by design. */
const KEYLESS: Record<string, string> = {
  posting_record_tallies: 'append-only count deltas, summed when read: a row is never found by a key',
};

describe(`the schema on ${testEngine()} is ready to distribute by firm_id`, () => {
  let conn: Connection;
  beforeAll(async () => {
    conn = await createTestDb();
  });
  afterAll(async () => conn.close());

  it("leads every firm-owned table's primary key, unique constraints and foreign keys with firm_id", async () => {
    const keys = await sql<{ tbl: string; name: string; kind: string; columns: string[]; refers: string | null }>`
      select c.conrelid::regclass::text as tbl, c.conname as name, c.contype::text as kind,
        array(select a.attname::text from unnest(c.conkey) with ordinality k(attnum, ord)
              join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum order by k.ord) as columns,
        case when c.contype = 'f' then c.confrelid::regclass::text end as refers
      from pg_constraint c
      where c.contype in ('p', 'u', 'f')
        and c.conrelid in (
          select a.attrelid from pg_attribute a join pg_class r on r.oid = a.attrelid
          where a.attname = 'firm_id' and r.relkind = 'r' and r.relnamespace = current_schema()::regnamespace)
      order by 1, 2`.execute(conn.db);
    const tables = new Set([...keys.rows.map((k) => k.tbl), ...Object.keys(KEYLESS)]);
    expect(tables.size).toBeGreaterThan(20);
    const offending = keys.rows
      .filter((k) => !PROCESSOR_TABLES.has(k.tbl) && !(`${k.tbl}.${k.name}` in GLOBAL_KEYS))
      // A firm's own foreign key to the firms table is the distribution column itself.
      .filter((k) => !(k.kind === 'f' && k.refers === 'firms' && k.columns.join() === 'firm_id'))
      .filter((k) => k.columns[0] !== 'firm_id')
      .map((k) => `${k.tbl}.${k.name} (${k.columns.join(', ')})`);
    expect(offending).toEqual([]);
    // Every firm-owned table has a primary key, and it leads with firm_id (or is a global key above).
    for (const table of tables) {
      if (PROCESSOR_TABLES.has(table) || table in KEYLESS) continue;
      const pk = keys.rows.find((k) => k.tbl === table && k.kind === 'p');
      expect(pk, `${table} has no primary key`).toBeDefined();
    }
  });

  it('keeps every unique index (not only constraints) on a firm-owned table leading with firm_id', async () => {
    const indexes = await sql<{ tbl: string; name: string; first: string }>`
      select i.indrelid::regclass::text as tbl, i.indexrelid::regclass::text as name,
        coalesce((select a.attname::text from pg_attribute a where a.attrelid = i.indrelid and a.attnum = i.indkey[0]), 'expression') as first
      from pg_index i
      where i.indisunique
        and i.indrelid in (
          select a.attrelid from pg_attribute a join pg_class r on r.oid = a.attrelid
          where a.attname = 'firm_id' and r.relkind = 'r' and r.relnamespace = current_schema()::regnamespace)
      order by 1, 2`.execute(conn.db);
    const offending = indexes.rows
      .filter((i) => !PROCESSOR_TABLES.has(i.tbl) && !(`${i.tbl}.${i.name}` in GLOBAL_KEYS))
      .filter((i) => i.first !== 'firm_id')
      .map((i) => `${i.tbl}.${i.name}`);
    expect(offending).toEqual([]);
    // The exceptions are real unique keys of the schema, not stale names.
    const everyUnique = await sql<{ key: string }>`
      select i.indrelid::regclass::text || '.' || i.indexrelid::regclass::text as key
      from pg_index i join pg_class r on r.oid = i.indrelid
      where i.indisunique and r.relnamespace = current_schema()::regnamespace`.execute(conn.db);
    for (const key of Object.keys(GLOBAL_KEYS)) expect(everyUnique.rows.map((i) => i.key)).toContain(key);
  });

  it('has no table without firm_id but the global ones listed with their reason', async () => {
    const global = await sql<{ name: string }>`
      select c.relname::text as name from pg_class c
      where c.relkind = 'r' and c.relnamespace = current_schema()::regnamespace
        and not exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'firm_id')
      order by 1`.execute(conn.db);
    expect(global.rows.map((r) => r.name)).toEqual(Object.keys(GLOBAL_TABLES).sort());
  });
});
