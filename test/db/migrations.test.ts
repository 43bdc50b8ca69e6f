import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/db/connect.ts';
import { listMigrations, migrate } from '../../src/db/migrate.ts';
import { createTestDb, testEngine } from '../support/db.ts';

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

  it('keeps one firm from pointing into another', async () => {
    const [a, b] = await conn.db.insertInto('firms').values([{ code: 'MIGA', name: 'A' }, { code: 'MIGB', name: 'B' }]).returning('id').execute();
    await conn.db.insertInto('clients').values({ firm_id: a!.id, client_number: 'C1', name: 'x' }).execute();
    await expect(
      conn.db.insertInto('matters').values({ firm_id: b!.id, client_number: 'C1', matter_number: 'M1' }).execute(),
    ).rejects.toThrow(/foreign key/);
  });
});
