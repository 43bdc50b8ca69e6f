import { sql } from 'kysely';
import type { Db } from '../../src/db/connect.ts';
import { isUuid } from '../../src/domain/ids.ts';

// Columns that change when a firm's own token is merely used (at most once a minute, and an
// agent's contact at most every 5 s, SPEC §5.2); a refused request may touch them without
// changing anything the firm owns.
const VOLATILE = ['last_used_at', 'last_seen_at'];

/** Every table of the schema that carries firm_id, found in information_schema so new tables are covered. */
export async function firmTables(db: Db): Promise<string[]> {
  const result = await sql<{ table_name: string }>`
    select c.table_name from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = current_schema() and c.column_name = 'firm_id' and t.table_type = 'BASE TABLE'
    order by c.table_name`.execute(db);
  return result.rows.map((r) => r.table_name);
}

/**
 * Every row a firm owns, in every table, plus its firms row (the settings), as sorted JSON
 * text per table: two snapshots are equal exactly when nothing of the firm changed.
 */
export async function firmSnapshot(db: Db, firmId: string): Promise<Record<string, string[]>> {
  const snapshot: Record<string, string[]> = {};
  for (const table of await firmTables(db)) {
    const rows = await sql<{ row: string }>`
      select (to_jsonb(t) - ${VOLATILE}::text[])::text as row from ${sql.table(table)} t where t.firm_id = ${firmId}`.execute(
      db,
    );
    snapshot[table] = rows.rows.map((r) => r.row).sort();
  }
  const firm = await sql<{ row: string }>`select to_jsonb(f)::text as row from firms f where f.id = ${firmId}`.execute(
    db,
  );
  snapshot.firms = firm.rows.map((r) => r.row);
  return snapshot;
}

/** How many rows each firm-owned table holds for the firm. */
export function countsOf(snapshot: Record<string, string[]>): Record<string, number> {
  return Object.fromEntries(Object.entries(snapshot).map(([table, rows]) => [table, rows.length]));
}

/** Every uuid the firm owns (the `id` of each row, its firm id), to look for in another firm's answers. */
export async function firmIds(db: Db, firmId: string): Promise<string[]> {
  const ids = new Set<string>([firmId]);
  for (const table of await firmTables(db)) {
    const hasId = await sql<{ n: number }>`
      select count(*)::int as n from information_schema.columns
      where table_schema = current_schema() and table_name = ${table} and column_name = 'id'`.execute(db);
    if (hasId.rows[0]?.n !== 1) continue;
    const rows = await sql<{
      id: string;
    }>`select t.id::text as id from ${sql.table(table)} t where t.firm_id = ${firmId}`.execute(db);
    for (const row of rows.rows) if (isUuid(row.id)) ids.add(row.id);
  }
  return [...ids];
}

/** How many rows every table of the schema holds, firm-owned or not (sessions, sandbox tokens, …). */
export async function tableCounts(db: Db): Promise<Record<string, number>> {
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(db);
  const counts: Record<string, number> = {};
  for (const { table_name: table } of tables.rows) {
    const row = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db);
    counts[table] = row.rows[0]!.n;
  }
  return counts;
}
