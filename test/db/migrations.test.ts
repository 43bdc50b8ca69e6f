import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPGlite, connectPostgres, openPGlite, type Connection } from '../../src/db/connect.ts';
import { listMigrations, migrate } from '../../src/db/migrate.ts';
import { createTestDb, testEngine } from '../support/db.ts';
import { adminQuery, databaseUrl, dropDatabase, uniqueName } from '../support/engines.ts';

/** A database with no migration applied, to migrate step by step. */
async function createEmptyDb(): Promise<Connection> {
  if (testEngine() === 'pglite') return connectPGlite(await openPGlite(undefined));
  const name = uniqueName('pb_m');
  await adminQuery(`create database ${name}`);
  const conn = connectPostgres(databaseUrl(name), 2);
  return {
    ...conn,
    async close() {
      await conn.close();
      await dropDatabase(name);
    },
  };
}

describe(`migrations on ${testEngine()}`, () => {
  let conn: Connection;
  beforeAll(async () => {
    conn = await createTestDb();
  });
  afterAll(async () => conn.close());

  it('are numbered, each number once, in order, and all applied to the template', async () => {
    const files = listMigrations().map((m) => m.name);
    expect(files.length).toBeGreaterThan(0);
    expect([...files].sort()).toEqual(files);
    // Numbers only rise; one may be missing while the branch that takes it is not merged yet.
    const numbers = files.map((name) => Number(name.slice(0, 4)));
    expect(numbers[0]).toBe(1);
    numbers.slice(1).forEach((n, i) => expect(n, files[i + 1]).toBeGreaterThan(numbers[i]!));
    const applied = await sql<{ name: string }>`select name from schema_migrations order by name`.execute(conn.db);
    expect(applied.rows.map((r) => r.name)).toEqual(files);
  });

  it('applying them again changes nothing', async () => {
    expect(await migrate(conn.db)).toEqual([]);
  });

  it('built every table empty', async () => {
    for (const table of ['firms', 'payments', 'posting_records', 'allocations', 'batches', 'batch_lines', 'audit_events'] as const) {
      const row = await conn.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(row.n, table).toBe(0);
    }
  });

  it('reads int8 as a number and a date as YYYY-MM-DD on both engines', async () => {
    const r = await sql<{ big: number; d: string }>`select 9007199254740991::int8 as big, '2026-02-03'::date as d`.execute(conn.db);
    expect(r.rows[0]).toEqual({ big: 9007199254740991, d: '2026-02-03' });
    await expect(sql`select 9007199254740993::int8 as big`.execute(conn.db)).rejects.toThrow(/safe integer/);
  });

  it('0008 gives firms New York and keeps the dates of batches made before it: UTC days, and the day posted where the firm uses it', { timeout: 120_000 }, async () => {
    const empty = await createEmptyDb();
    try {
      await migrate(empty.db, listMigrations().filter((m) => m.name < '0008'));
      const firms = await sql<{ id: string; code: string }>`insert into firms (code, name, use_posted_date) values ('OLDP', 'P', true), ('OLDN', 'N', false) returning id, code`.execute(empty.db);
      for (const [i, firm] of firms.rows.entries()) {
        await sql`insert into batches (firm_id, seq, file_name, file_format, content, sha256, line_count, total_cents, record_count, created_by, created_at)
          values (${firm.id}, 1, ${`PB_${firm.code}_000001.csv`}, 'paybridge-csv', '\\x00', ${String(i).repeat(64)}, 1, 0, 1, 'test', '2027-01-01T03:30:00Z')`.execute(empty.db);
      }
      await migrate(empty.db);
      const rows = await sql<{ code: string; firm_zone: string; time_zone: string; posting_date: string | null }>`
        select f.code, f.time_zone as firm_zone, b.time_zone, b.posting_date from batches b join firms f on f.id = b.firm_id order by f.code`.execute(empty.db);
      expect(rows.rows).toEqual([
        { code: 'OLDN', firm_zone: 'America/New_York', time_zone: 'UTC', posting_date: null },
        { code: 'OLDP', firm_zone: 'America/New_York', time_zone: 'UTC', posting_date: '2027-01-01' },
      ]);
      // What cannot be an IANA name never reaches the column, whatever path writes it.
      await expect(sql`update firms set time_zone = '+05:00' where code = 'OLDN'`.execute(empty.db)).rejects.toThrow(/check/);
      await expect(sql`update firms set time_zone = '' where code = 'OLDN'`.execute(empty.db)).rejects.toThrow(/check/);
    } finally {
      await empty.close();
    }
  });

  it("0010 carries a firm's agent_status to its one agent token, and drops the table", { timeout: 120_000 }, async () => {
    const empty = await createEmptyDb();
    try {
      await migrate(empty.db, listMigrations().filter((m) => m.name < '0010'));
      const firms = await sql<{ id: string; code: string }>`insert into firms (code, name) values ('ONE', 'One'), ('TWO', 'Two'), ('NONE', 'None') returning id, code`.execute(empty.db);
      const id = (code: string) => firms.rows.find((f) => f.code === code)!.id;
      const tokens = await sql<{ id: string; label: string }>`
        insert into api_tokens (firm_id, kind, token_hash, label) values
          (${id('ONE')}, 'agent', 'h1', 'server room'), (${id('ONE')}, 'agent', 'h0', 'old'),
          (${id('TWO')}, 'agent', 'h2', 'a'), (${id('TWO')}, 'agent', 'h3', 'b')
        returning id, label`.execute(empty.db);
      // ONE's second token was revoked: its one live agent token is "server room".
      await sql`update api_tokens set revoked_at = now() where label = 'old'`.execute(empty.db);
      await sql`insert into agent_status (firm_id, last_sync_at, last_seen_at) values
        (${id('ONE')}, '2026-05-01T10:00:00Z', '2026-05-01T10:05:00Z'), (${id('TWO')}, '2026-05-01T11:00:00Z', '2026-05-01T11:00:00Z'),
        (${id('NONE')}, '2026-05-01T12:00:00Z', '2026-05-01T12:00:00Z')`.execute(empty.db);
      await migrate(empty.db);
      const carried = await sql<{ token_id: string; last_seen_at: Date; last_sync_at: Date }>`select token_id, last_seen_at, last_sync_at from agent_contacts`.execute(empty.db);
      expect(carried.rows).toEqual([
        { token_id: tokens.rows.find((t) => t.label === 'server room')!.id, last_seen_at: new Date('2026-05-01T10:05:00Z'), last_sync_at: new Date('2026-05-01T10:00:00Z') },
      ]);
      const left = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables where table_name = 'agent_status'`.execute(empty.db);
      expect(left.rows[0]!.n).toBe(0);
    } finally {
      await empty.close();
    }
  });

  it('keeps one firm from pointing into another', async () => {
    const [a, b] = await conn.db.insertInto('firms').values([{ code: 'MIGA', name: 'A' }, { code: 'MIGB', name: 'B' }]).returning('id').execute();
    await conn.db.insertInto('clients').values({ firm_id: a!.id, client_number: 'C1', name: 'x' }).execute();
    await expect(
      conn.db.insertInto('matters').values({ firm_id: b!.id, client_number: 'C1', matter_number: 'M1' }).execute(),
    ).rejects.toThrow(/foreign key/);
  });
});
