import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPGlite, connectPostgres, openPGlite, type Connection } from '../../src/db/connect.ts';
import { listMigrations, migrate } from '../../src/db/migrate.ts';
import { searchMatch } from '../../src/db/search.ts';
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

/** A database with the migrations before `migration` applied, for a test to fill and then migrate the rest. */
async function migratedUpTo(migration: string): Promise<Connection> {
  const conn = await createEmptyDb();
  try {
    await migrate(
      conn.db,
      listMigrations().filter((m) => m.name < migration),
    );
  } catch (error) {
    await conn.close();
    throw error;
  }
  return conn;
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
    for (const table of [
      'firms',
      'payments',
      'posting_records',
      'allocations',
      'batches',
      'batch_lines',
      'audit_events',
    ] as const) {
      const row = await conn.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(row.n, table).toBe(0);
    }
  });

  it('reads int8 as a number and a date as YYYY-MM-DD on both engines', async () => {
    const r = await sql<{
      big: number;
      d: string;
    }>`select 9007199254740991::int8 as big, '2026-02-03'::date as d`.execute(conn.db);
    expect(r.rows[0]).toEqual({ big: 9007199254740991, d: '2026-02-03' });
    await expect(sql`select 9007199254740993::int8 as big`.execute(conn.db)).rejects.toThrow(/safe integer/);
  });

  it(
    '0008 gives firms New York and keeps the dates of batches made before it: UTC days, and the day posted where the firm uses it',
    { timeout: 120_000 },
    async () => {
      const empty = await migratedUpTo('0008');
      try {
        const firms = await sql<{
          id: string;
          code: string;
        }>`insert into firms (code, name, use_posted_date) values ('OLDP', 'P', true), ('OLDN', 'N', false) returning id, code`.execute(
          empty.db,
        );
        for (const [i, firm] of firms.rows.entries()) {
          await sql`insert into batches (firm_id, seq, file_name, file_format, content, sha256, line_count, total_cents, record_count, created_by, created_at)
          values (${firm.id}, 1, ${`PB_${firm.code}_000001.csv`}, 'paybridge-csv', '\\x00', ${String(i).repeat(64)}, 1, 0, 1, 'test', '2027-01-01T03:30:00Z')`.execute(
            empty.db,
          );
        }
        await migrate(empty.db);
        const rows = await sql<{ code: string; firm_zone: string; time_zone: string; posting_date: string | null }>`
        select f.code, f.time_zone as firm_zone, b.time_zone, b.posting_date from batches b join firms f on f.id = b.firm_id order by f.code`.execute(
          empty.db,
        );
        expect(rows.rows).toEqual([
          { code: 'OLDN', firm_zone: 'America/New_York', time_zone: 'UTC', posting_date: null },
          { code: 'OLDP', firm_zone: 'America/New_York', time_zone: 'UTC', posting_date: '2027-01-01' },
        ]);
        // What cannot be an IANA name never reaches the column, whatever path writes it.
        await expect(sql`update firms set time_zone = '+05:00' where code = 'OLDN'`.execute(empty.db)).rejects.toThrow(
          /check/,
        );
        await expect(sql`update firms set time_zone = '' where code = 'OLDN'`.execute(empty.db)).rejects.toThrow(
          /check/,
        );
      } finally {
        await empty.close();
      }
    },
  );

  it(
    "0010 carries a firm's agent_status to its one agent token, and drops the table",
    { timeout: 120_000 },
    async () => {
      const empty = await migratedUpTo('0010');
      try {
        const firms = await sql<{
          id: string;
          code: string;
        }>`insert into firms (code, name) values ('ONE', 'One'), ('TWO', 'Two'), ('NONE', 'None') returning id, code`.execute(
          empty.db,
        );
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
        const carried = await sql<{
          token_id: string;
          last_seen_at: Date;
          last_sync_at: Date;
        }>`select token_id, last_seen_at, last_sync_at from agent_contacts`.execute(empty.db);
        expect(carried.rows).toEqual([
          {
            token_id: tokens.rows.find((t) => t.label === 'server room')!.id,
            last_seen_at: new Date('2026-05-01T10:05:00Z'),
            last_sync_at: new Date('2026-05-01T10:00:00Z'),
          },
        ]);
        const left = await sql<{
          n: number;
        }>`select count(*)::int as n from information_schema.tables where table_name = 'agent_status'`.execute(
          empty.db,
        );
        expect(left.rows[0]!.n).toBe(0);
      } finally {
        await empty.close();
      }
    },
  );

  it(
    '0011 moves payment links and quick links into one links table with a kind: every row, id, token hash, status, lease and payment kept',
    { timeout: 120_000 },
    async () => {
      const empty = await migratedUpTo('0011');
      try {
        const firms = await sql<{
          id: string;
          code: string;
        }>`insert into firms (code, name) values ('LNKA', 'A'), ('LNKB', 'B') returning id, code`.execute(empty.db);
        const [a, b] = [firms.rows[0]!.id, firms.rows[1]!.id];
        const paid = await sql<{ id: string }>`
        insert into payments (firm_id, processor_id, processed_at, amount_cents, method, account, payer_name, origin)
        values (${a}, 'ch_1', '2026-05-01T10:00:00Z', 1500, 'card', 'operating', 'Pat', 'connect'),
               (${b}, 'ch_2', '2026-05-01T11:00:00Z', 700, 'card', 'trust', 'Lee', 'quick_link')
        returning id`.execute(empty.db);
        const [p1, p2] = [paid.rows[0]!.id, paid.rows[1]!.id];
        const allocations = JSON.stringify([
          { invoiceNumber: 'I1', clientNumber: 'C1', matterNumber: 'M1', amountCents: 1500 },
        ]);
        await sql`insert into payment_links (id, firm_id, token_hash, amount_cents, allocations, client_number, payer_name, payer_email, status, paying_until, payment_id, created_by, created_at, expires_at, paid_at) values
        ('00000000-0000-4000-8000-000000000001', ${a}, 'hash-pl-1', 1500, ${allocations}::jsonb, 'C1', 'Pat', 'pat@example.com', 'paid', null, ${p1}, 'ann', '2026-05-01T09:00:00Z', '2026-05-02T09:00:00Z', '2026-05-01T10:00:00Z'),
        ('00000000-0000-4000-8000-000000000002', ${a}, 'hash-pl-2', 900, '[]'::jsonb, null, null, null, 'outstanding', '2026-05-01T09:02:00Z', null, 'ann', '2026-05-01T09:00:00Z', '2026-05-02T09:00:00Z', null)`.execute(
          empty.db,
        );
        await sql`insert into quick_links (id, firm_id, token_hash, amount_cents, description, account, payer_name, payer_email, status, paying_until, payment_id, created_by, created_at, expires_at, paid_at, cancelled_at) values
        ('00000000-0000-4000-8000-000000000003', ${b}, 'hash-ql-1', 700, 'Retainer', 'trust', 'Lee', null, 'paid', null, ${p2}, 'bo', '2026-05-01T08:00:00Z', '2026-05-31T08:00:00Z', '2026-05-01T11:00:00Z', null),
        ('00000000-0000-4000-8000-000000000004', ${b}, 'hash-ql-2', 300, 'Copies', 'operating', null, 'x@example.com', 'cancelled', null, null, 'bo', '2026-05-01T08:00:00Z', '2026-05-31T08:00:00Z', null, '2026-05-01T12:00:00Z')`.execute(
          empty.db,
        );
        await migrate(empty.db);
        const rows = await sql<Record<string, unknown>>`
        select id, firm_id, kind, token_hash, amount_cents, account, allocations, client_number, description, payer_name, payer_email, status,
               paying_until, payment_id, created_by, created_at, expires_at, paid_at, cancelled_at
          from links order by id`.execute(empty.db);
        const at = (iso: string) => new Date(iso);
        expect(rows.rows).toEqual([
          {
            id: '00000000-0000-4000-8000-000000000001',
            firm_id: a,
            kind: 'payment',
            token_hash: 'hash-pl-1',
            amount_cents: 1500,
            account: 'operating',
            allocations: JSON.parse(allocations),
            client_number: 'C1',
            description: null,
            payer_name: 'Pat',
            payer_email: 'pat@example.com',
            status: 'paid',
            paying_until: null,
            payment_id: p1,
            created_by: 'ann',
            created_at: at('2026-05-01T09:00:00Z'),
            expires_at: at('2026-05-02T09:00:00Z'),
            paid_at: at('2026-05-01T10:00:00Z'),
            cancelled_at: null,
          },
          {
            id: '00000000-0000-4000-8000-000000000002',
            firm_id: a,
            kind: 'payment',
            token_hash: 'hash-pl-2',
            amount_cents: 900,
            account: 'operating',
            allocations: [],
            client_number: null,
            description: null,
            payer_name: null,
            payer_email: null,
            status: 'outstanding',
            paying_until: at('2026-05-01T09:02:00Z'),
            payment_id: null,
            created_by: 'ann',
            created_at: at('2026-05-01T09:00:00Z'),
            expires_at: at('2026-05-02T09:00:00Z'),
            paid_at: null,
            cancelled_at: null,
          },
          {
            id: '00000000-0000-4000-8000-000000000003',
            firm_id: b,
            kind: 'quick',
            token_hash: 'hash-ql-1',
            amount_cents: 700,
            account: 'trust',
            allocations: null,
            client_number: null,
            description: 'Retainer',
            payer_name: 'Lee',
            payer_email: null,
            status: 'paid',
            paying_until: null,
            payment_id: p2,
            created_by: 'bo',
            created_at: at('2026-05-01T08:00:00Z'),
            expires_at: at('2026-05-31T08:00:00Z'),
            paid_at: at('2026-05-01T11:00:00Z'),
            cancelled_at: null,
          },
          {
            id: '00000000-0000-4000-8000-000000000004',
            firm_id: b,
            kind: 'quick',
            token_hash: 'hash-ql-2',
            amount_cents: 300,
            account: 'operating',
            allocations: null,
            client_number: null,
            description: 'Copies',
            payer_name: null,
            payer_email: 'x@example.com',
            status: 'cancelled',
            paying_until: null,
            payment_id: null,
            created_by: 'bo',
            created_at: at('2026-05-01T08:00:00Z'),
            expires_at: at('2026-05-31T08:00:00Z'),
            paid_at: null,
            cancelled_at: at('2026-05-01T12:00:00Z'),
          },
        ]);
        const left = await sql<{
          n: number;
        }>`select count(*)::int as n from information_schema.tables where table_name in ('payment_links', 'quick_links')`.execute(
          empty.db,
        );
        expect(left.rows[0]!.n).toBe(0);
        // A link's payment still belongs to the link's own firm, and a kind keeps its own fields.
        await expect(
          sql`update links set payment_id = ${p1} where id = '00000000-0000-4000-8000-000000000003'`.execute(empty.db),
        ).rejects.toThrow(/foreign key/);
        await expect(
          sql`update links set description = 'x' where id = '00000000-0000-4000-8000-000000000001'`.execute(empty.db),
        ).rejects.toThrow(/check/);
      } finally {
        await empty.close();
      }
    },
  );

  it(
    '0013 marks the card tokens made before it credit (all test cards then were), and brings pages above 3% down to it',
    { timeout: 120_000 },
    async () => {
      const empty = await migratedUpTo('0013');
      try {
        const firm = await sql<{
          id: string;
        }>`insert into firms (code, name) values ('SUR', 'Sur') returning id`.execute(empty.db);
        const firmId = firm.rows[0]!.id;
        await sql`insert into sandbox_tokens (token_hash, method, brand, last4, outcome) values
          ('card', 'card', 'visa', '4242', 'approve'), ('bank', 'echeck', 'bank', '6789', 'approve')`.execute(empty.db);
        await sql`insert into payment_pages (firm_id, name, slug, account, surcharge_bps) values
          (${firmId}, 'High', 'high', 'operating', 450), (${firmId}, 'Low', 'low', 'operating', 250)`.execute(empty.db);
        await migrate(empty.db);
        const tokens = await sql<{ token_hash: string; funding: string | null }>`
          select token_hash, funding from sandbox_tokens order by token_hash`.execute(empty.db);
        expect(tokens.rows).toEqual([
          { token_hash: 'bank', funding: null },
          { token_hash: 'card', funding: 'credit' },
        ]);
        const pages = await sql<{ slug: string; surcharge_bps: number }>`
          select slug, surcharge_bps from payment_pages order by slug`.execute(empty.db);
        expect(pages.rows).toEqual([
          { slug: 'high', surcharge_bps: 300 },
          { slug: 'low', surcharge_bps: 250 },
        ]);
        await expect(sql`update payment_pages set surcharge_bps = 301`.execute(empty.db)).rejects.toThrow(/check/);
        await expect(
          sql`insert into sandbox_tokens (token_hash, method, brand, last4, outcome) values ('x', 'card', 'visa', '4242', 'approve')`.execute(
            empty.db,
          ),
        ).rejects.toThrow(/check/);
      } finally {
        await empty.close();
      }
    },
  );

  it(
    '0016 makes the declines before it missed (they were never retried), gives each run its amount, and holds a schedule to one end',
    { timeout: 120_000 },
    async () => {
      const empty = await migratedUpTo('0016');
      try {
        const firm = await sql<{
          id: string;
        }>`insert into firms (code, name) values ('END', 'End') returning id`.execute(empty.db);
        const firmId = firm.rows[0]!.id;
        const schedule = await sql<{ id: string }>`
          insert into payment_schedules (firm_id, processor_token, method, amount_cents, account, description, payer_name,
            frequency, anchor_day, next_run_on, created_by)
          values (${firmId}, 'tok', 'card', 4200, 'operating', 'Fee', 'Payer', 'weekly', 5, '2026-01-12', 'test')
          returning id`.execute(empty.db);
        const scheduleId = schedule.rows[0]!.id;
        await sql`insert into schedule_runs (firm_id, schedule_id, run_on, status, claimed_until, decline_reason) values
          (${firmId}, ${scheduleId}, '2026-01-05', 'declined', now(), 'card declined')`.execute(empty.db);
        await migrate(empty.db);
        const runs = await sql<{
          status: string;
          amount_cents: number;
          attempt: number;
          failed_on: string;
          retry_on: string | null;
        }>`select status, amount_cents, attempt, failed_on, retry_on from schedule_runs`.execute(empty.db);
        expect(runs.rows).toEqual([
          { status: 'missed', amount_cents: 4200, attempt: 1, failed_on: '2026-01-05', retry_on: null },
        ]);
        const set = (assignments: string) =>
          sql`update payment_schedules set ${sql.raw(assignments)} where id = ${scheduleId}`.execute(empty.db);
        await expect(set(`end_after_count = 2, ends_on = '2026-03-01'`)).rejects.toThrow(/check/);
        await expect(set('end_after_count = 0')).rejects.toThrow(/check/);
        await expect(set(`invoice_number = 'INV-1'`)).rejects.toThrow(/foreign key/);
        await expect(set(`status = 'completed'`)).rejects.toThrow(/check/);
        await set(`status = 'completed', completed_reason = 'date', next_run_on = null, ends_on = '2026-01-05'`);
        // A declined run waits for its retry: it needs the date.
        await expect(
          sql`insert into schedule_runs (firm_id, schedule_id, run_on, status, claimed_until, amount_cents) values
            (${firmId}, ${scheduleId}, '2026-01-12', 'declined', now(), 4200)`.execute(empty.db),
        ).rejects.toThrow(/check/);
      } finally {
        await empty.close();
      }
    },
  );

  it(
    '0015 gives every firm an Operating and a Trust default account and backfills what picks an account with the default of its kind',
    { timeout: 120_000 },
    async () => {
      const empty = await migratedUpTo('0015');
      try {
        const firms = await sql<{
          id: string;
        }>`insert into firms (code, name) values ('DEPA', 'A'), ('DEPB', 'B') returning id`.execute(empty.db);
        const [a, b] = [firms.rows[0]!.id, firms.rows[1]!.id];
        await sql`insert into payments (firm_id, processor_id, processed_at, amount_cents, method, account, payer_name, origin)
          values (${a}, 'ch_1', '2026-05-01T10:00:00Z', 1500, 'card', 'operating', 'Pat', 'connect'),
                 (${a}, 'ch_2', '2026-05-01T11:00:00Z', 700, 'card', 'trust', 'Lee', 'enter_payment'),
                 (${b}, 'ch_3', '2026-05-01T12:00:00Z', 900, 'card', 'trust', 'Kim', 'enter_payment')`.execute(
          empty.db,
        );
        await sql`insert into payment_pages (firm_id, name, slug, account) values
          (${a}, 'Pay', 'dep-pay', 'operating'), (${b}, 'Retainer', 'dep-retainer', 'trust')`.execute(empty.db);
        await sql`insert into links (firm_id, kind, token_hash, amount_cents, account, description, created_by, expires_at)
          values (${b}, 'quick', 'hash-q', 500, 'trust', 'Retainer', 'ann', '2026-06-01T00:00:00Z')`.execute(empty.db);
        await sql`insert into payment_schedules (firm_id, processor_token, method, amount_cents, account, description, payer_name, frequency, anchor_day, next_run_on, created_by)
          values (${a}, 'tok', 'card', 100, 'trust', 'Monthly', 'Pat', 'monthly', 1, '2026-06-01', 'ann')`.execute(
          empty.db,
        );
        await migrate(empty.db);

        const accounts = await sql<{ firm_id: string; id: string; name: string; kind: string; is_default: boolean }>`
          select firm_id, id, name, kind, is_default from deposit_accounts order by firm_id = ${a} desc, kind`.execute(
          empty.db,
        );
        expect(accounts.rows.map((r) => [r.firm_id, r.name, r.kind, r.is_default])).toEqual([
          [a, 'Operating', 'operating', true],
          [a, 'Trust', 'trust', true],
          [b, 'Operating', 'operating', true],
          [b, 'Trust', 'trust', true],
        ]);
        const idOf = (firm: string, kind: string) =>
          accounts.rows.find((r) => r.firm_id === firm && r.kind === kind)!.id;
        for (const table of ['payments', 'payment_pages', 'links', 'payment_schedules'] as const) {
          const rows = await sql<{ firm_id: string; account: string; deposit_account_id: string }>`
            select firm_id, account, deposit_account_id from ${sql.table(table)}`.execute(empty.db);
          expect(rows.rows.length, table).toBeGreaterThan(0);
          for (const row of rows.rows) expect(row.deposit_account_id, table).toBe(idOf(row.firm_id, row.account));
        }

        // A new firm gets its two defaults; a payment's kind must be its account's.
        const c = (
          await sql<{ id: string }>`insert into firms (code, name) values ('DEPC', 'C') returning id`.execute(empty.db)
        ).rows[0]!.id;
        const mine = await sql<{
          n: number;
        }>`select count(*)::int as n from deposit_accounts where firm_id = ${c} and is_default`.execute(empty.db);
        expect(mine.rows[0]!.n).toBe(2);
        await expect(
          sql`insert into payments (firm_id, processor_id, processed_at, amount_cents, method, account, deposit_account_id, payer_name, origin)
            values (${a}, 'ch_9', now(), 100, 'card', 'operating', ${idOf(a, 'trust')}, 'Pat', 'connect')`.execute(
            empty.db,
          ),
        ).rejects.toThrow(/foreign key/);
        await expect(
          sql`insert into payments (firm_id, processor_id, processed_at, amount_cents, method, account, deposit_account_id, payer_name, origin)
            values (${b}, 'ch_9', now(), 100, 'card', 'operating', ${idOf(a, 'operating')}, 'Pat', 'connect')`.execute(
            empty.db,
          ),
        ).rejects.toThrow(/foreign key/);
        await expect(
          sql`update deposit_accounts set archived = true where id = ${idOf(a, 'trust')}`.execute(empty.db),
        ).rejects.toThrow(/check/);
        await expect(
          sql`insert into deposit_accounts (firm_id, name, kind, is_default) values (${a}, 'Trust 2', 'trust', true)`.execute(
            empty.db,
          ),
        ).rejects.toThrow(/unique|duplicate/);
        await expect(
          sql`insert into deposit_accounts (firm_id, name, kind, ledger_code) values (${a}, 'Bad', 'trust', ${'x'.repeat(31)})`.execute(
            empty.db,
          ),
        ).rejects.toThrow(/check/);
        await expect(sql`update firms set file_format_version = 3 where id = ${a}`.execute(empty.db)).rejects.toThrow(
          /check/,
        );
      } finally {
        await empty.close();
      }
    },
  );

  it('0017 checks at commit that the halves of a correction go out in one batch', async () => {
    const trigger = await sql<{ tgdeferrable: boolean; tginitdeferred: boolean }>`
      select tgdeferrable, tginitdeferred from pg_trigger where tgname = 'posting_records_correction_pair'`.execute(
      conn.db,
    );
    // Deferred: Post writes the records' statuses before the batch's lines, both in one transaction.
    expect(trigger.rows).toEqual([{ tgdeferrable: true, tginitdeferred: true }]);
  });

  it(
    '0019 gives every refund made before it a row dated when its payment was reversed, and keeps payout lines in their payout',
    { timeout: 120_000 },
    async () => {
      const empty = await migratedUpTo('0019');
      try {
        const firm = (
          await sql<{ id: string }>`insert into firms (code, name) values ('PAYO', 'P') returning id`.execute(empty.db)
        ).rows[0]!.id;
        const pays = await sql<{ id: string; processor_id: string }>`
          insert into payments (firm_id, processor_id, processed_at, amount_cents, method, account, payer_name, origin, status, refunded_cents, reversed_at)
          values (${firm}, 'ch_full', '2026-05-01T10:00:00Z', 1500, 'card', 'operating', 'Pat', 'connect', 'refunded', 1500, '2026-05-03T10:00:00Z'),
                 (${firm}, 'ch_part', '2026-05-01T11:00:00Z', 900, 'card', 'trust', 'Lee', 'connect', 'approved', 400, null),
                 (${firm}, 'ch_none', '2026-05-01T12:00:00Z', 700, 'card', 'trust', 'Kim', 'connect', 'approved', 0, null)
          returning id, processor_id`.execute(empty.db);
        const idOf = (processorId: string) => pays.rows.find((p) => p.processor_id === processorId)!.id;
        // One refund of the partly refunded payment already has its processor's row.
        await sql`insert into payment_refunds (firm_id, refund_id, payment_id, amount_cents, created_at)
          values (${firm}, 're_known', ${idOf('ch_part')}, 100, '2026-05-02T09:00:00Z')`.execute(empty.db);
        await migrate(empty.db);

        const rows = await sql<{ payment_id: string; amount_cents: number; created_at: Date }>`
          select payment_id, amount_cents, created_at from payment_refunds order by amount_cents`.execute(empty.db);
        expect(rows.rows.map((r) => [r.payment_id, r.amount_cents])).toEqual([
          [idOf('ch_part'), 100],
          [idOf('ch_part'), 300],
          [idOf('ch_full'), 1500],
        ]);
        expect(rows.rows[2]!.created_at.toISOString()).toBe('2026-05-03T10:00:00.000Z');

        const account = (
          await sql<{ id: string }>`select id from deposit_accounts where firm_id = ${firm} and kind = 'trust'`.execute(
            empty.db,
          )
        ).rows[0]!.id;
        // A payout's net is its parts' sum, and its account is of its kind.
        await expect(
          sql`insert into payouts (firm_id, processor_payout_id, deposit_account_id, account, settled_on, paid_at, paid_on,
              gross_cents, refunds_cents, chargebacks_cents, fees_cents, net_cents, line_count, payment_count)
            values (${firm}, 'po_1', ${account}, 'trust', '2026-05-01', now(), '2026-05-02', 1000, -100, 0, 0, 950, 2, 1)`.execute(
            empty.db,
          ),
        ).rejects.toThrow(/check/);
        await expect(
          sql`insert into payouts (firm_id, processor_payout_id, deposit_account_id, account, settled_on, paid_at, paid_on,
              gross_cents, refunds_cents, chargebacks_cents, fees_cents, net_cents, line_count, payment_count)
            values (${firm}, 'po_1', ${account}, 'operating', '2026-05-01', now(), '2026-05-02', 1000, -100, 0, 0, 900, 2, 1)`.execute(
            empty.db,
          ),
        ).rejects.toThrow(/foreign key/);
      } finally {
        await empty.close();
      }
    },
  );

  /** A firm with one card payment and its posting record, written as the app wrote them before `migration`. */
  async function paymentAndRecord(db: Connection['db'], payer: string, recordSearchText: string) {
    const firm = (
      await sql<{ id: string }>`insert into firms (code, name) values ('SRCH', 'S') returning id`.execute(db)
    ).rows[0]!.id;
    const payment = (
      await sql<{
        id: string;
      }>`insert into payments (firm_id, processor_id, processed_at, amount_cents, method, account,
          payer_name, origin, last4, invoice_numbers, client_number, matter_number)
        values (${firm}, 'ch_old_1', '2026-05-01T10:00:00Z', 125000, 'card', 'operating', ${payer}, 'connect', '4242',
          '{INV-7}', 'C1', 'M1')
        returning id`.execute(db)
    ).rows[0]!.id;
    const record = (
      await sql<{ id: string }>`insert into posting_records (firm_id, payment_id, status, amount_cents, account,
          processed_at, payer_name, origin, method, invoice_numbers, search_text)
        values (${firm}, ${payment}, 'pending', 125000, 'operating', '2026-05-01T10:00:00Z', ${payer}, 'connect', 'card',
          '{INV-7}', ${recordSearchText})
        returning id`.execute(db)
    ).rows[0]!.id;
    await sql`insert into allocations (firm_id, record_id, line, invoice_number, client_number, matter_number, amount_cents)
      values (${firm}, ${record}, 1, 'INV-7', 'C2', 'M2', 125000)`.execute(db);
    return { firm, payment, record };
  }

  /** What each list's search finds in the firm for each text typed in the box. */
  async function found(db: Connection['db'], firm: string, list: 'records' | 'payments', texts: string[]) {
    const table = list === 'records' ? sql`posting_records r` : sql`payments p`;
    const alias = sql.raw(list === 'records' ? 'r' : 'p');
    const each = [];
    for (const q of texts) {
      const rows = await sql<{ id: string }>`select ${alias}.id from ${table}
        where ${alias}.firm_id = ${firm} and ${searchMatch(list, q)!}`.execute(db);
      each.push(rows.rows.map((r) => r.id));
    }
    return each;
  }

  it(
    "0030 keys the amount, last 4 and client/matter of records written before it, so the search box's meanings find them",
    { timeout: 120_000 },
    async () => {
      const empty = await migratedUpTo('0030');
      try {
        // Before 0030 a record's search text was its lower-cased words alone.
        const { firm, record } = await paymentAndRecord(empty.db, 'Dana Whitfield', 'dana whitfield inv-7 c1 m1');
        await migrate(empty.db);
        const texts = ['1,250.00', '$1250', '4242', 'C1 / M1', 'c2/m', 'dana whitfield', 'inv-7'];
        expect(await found(empty.db, firm, 'records', texts)).toEqual(texts.map(() => [record]));
        // A word never matches a key, nor a key another meaning.
        expect(await found(empty.db, firm, 'records', ['125000', '1,250.01', '4243', 'C1 / M2'])).toEqual([
          [],
          [],
          [],
          [],
        ]);
      } finally {
        await empty.close();
      }
    },
  );

  it(
    "0033 gives the payments made before it their search rows, and takes the `#` out of records' words, keys kept",
    { timeout: 120_000 },
    async () => {
      const empty = await migratedUpTo('0033');
      try {
        // As searchText wrote it before 0033: the words with their `#`, then the client/matter keys.
        const { firm, payment, record } = await paymentAndRecord(
          empty.db,
          'Unit #4 Holdings',
          'unit #4 holdings inv-7 c1 m1 c2 m2 #MC1/M1# #MC2/M2#',
        );
        await migrate(empty.db);
        const texts = ['unit #4', 'Unit 4 holdings', '1,250.00', '4242', 'C1 / M1', 'inv-7', 'ch_old_1'];
        expect(await found(empty.db, firm, 'payments', texts)).toEqual(texts.map(() => [payment]));
        expect(await found(empty.db, firm, 'payments', ['C2 / M2', '1250.01', 'nobody'])).toEqual([[], [], []]);
        const recordTexts = texts.filter((q) => q !== 'ch_old_1').concat('C2 / M2');
        expect(await found(empty.db, firm, 'records', recordTexts)).toEqual(recordTexts.map(() => [record]));
        const [row] = (
          await sql<{ search_text: string }>`select search_text from posting_records where id = ${record}`.execute(
            empty.db,
          )
        ).rows;
        expect(row!.search_text).toBe('unit 4 holdings inv-7 c1 m1 c2 m2 #MC1/M1# #MC2/M2#');
        // Written from then on by the triggers: a new payment, and a change to a searched column.
        await sql`update payments set payer_name = 'Unit Five' where id = ${payment}`.execute(empty.db);
        expect(await found(empty.db, firm, 'payments', ['unit five', 'unit 4'])).toEqual([[payment], []]);
      } finally {
        await empty.close();
      }
    },
  );

  it(
    '0036 gives the payout lines made before it the record that carries each and whether it needs attention',
    { timeout: 120_000 },
    async () => {
      const empty = await migratedUpTo('0036');
      try {
        const { firm, record } = await paymentAndRecord(empty.db, 'Pat Old', 'pat old inv-7 c1 m1');
        const account = (
          await sql<{
            id: string;
          }>`select id from deposit_accounts where firm_id = ${firm} and kind = 'operating'`.execute(empty.db)
        ).rows[0]!.id;
        await sql`insert into payouts (firm_id, id, processor_payout_id, deposit_account_id, account, settled_on, paid_at,
            paid_on, gross_cents, refunds_cents, chargebacks_cents, fees_cents, net_cents, line_count, payment_count)
          values (${firm}, '00000000-0000-4000-8000-000000000035', 'po_old', ${account}, 'operating', '2026-05-01', now(),
            '2026-05-02', 126000, 0, 0, -300, 125700, 3, 2)`.execute(empty.db);
        await sql`insert into payout_lines (firm_id, payout_id, line, kind, processor_id, amount_cents)
          values (${firm}, '00000000-0000-4000-8000-000000000035', 1, 'payment', 'ch_old_1', 125000),
                 (${firm}, '00000000-0000-4000-8000-000000000035', 2, 'fee', 'ch_old_1', -300),
                 (${firm}, '00000000-0000-4000-8000-000000000035', 3, 'payment', 'ch_elsewhere', 1000)`.execute(
          empty.db,
        );
        await migrate(empty.db);
        const lines = await sql<{ record_id: string | null; needs_attention: boolean }>`
          select record_id, needs_attention from payout_lines where firm_id = ${firm} order by line`.execute(empty.db);
        expect(lines.rows).toEqual([
          { record_id: record, needs_attention: true },
          { record_id: record, needs_attention: false },
          { record_id: null, needs_attention: true },
        ]);
        // Kept from then on by the triggers: the record removed, the payment line no longer needs the accountant.
        await sql`update posting_records set status = 'removed' where id = ${record}`.execute(empty.db);
        const after = await sql<{ needs_attention: boolean }>`
          select needs_attention from payout_lines where firm_id = ${firm} order by line`.execute(empty.db);
        expect(after.rows.map((r) => r.needs_attention)).toEqual([false, false, true]);
      } finally {
        await empty.close();
      }
    },
  );

  it(
    "0037 keys a record's search row with the amount it has now, lowered before it or after",
    { timeout: 120_000 },
    async () => {
      const empty = await migratedUpTo('0037');
      try {
        const { firm, record } = await paymentAndRecord(empty.db, 'Lee Lowered', 'lee lowered inv-7 c1 m1');
        // A partial refund lowered the receipt before 0037: the search row kept the old amount.
        await sql`update posting_records set amount_cents = 100000 where id = ${record}`.execute(empty.db);
        expect(await found(empty.db, firm, 'records', ['1,250.00', '1,000.00'])).toEqual([[record], []]);
        await migrate(empty.db);
        expect(await found(empty.db, firm, 'records', ['1,250.00', '1,000.00'])).toEqual([[], [record]]);
        await sql`update posting_records set amount_cents = 90000 where id = ${record}`.execute(empty.db);
        expect(await found(empty.db, firm, 'records', ['1,000.00', '900.00'])).toEqual([[], [record]]);
      } finally {
        await empty.close();
      }
    },
  );

  it('keeps one firm from pointing into another', async () => {
    const [a, b] = await conn.db
      .insertInto('firms')
      .values([
        { code: 'MIGA', name: 'A' },
        { code: 'MIGB', name: 'B' },
      ])
      .returning('id')
      .execute();
    await conn.db.insertInto('clients').values({ firm_id: a!.id, client_number: 'C1', name: 'x' }).execute();
    await expect(
      conn.db.insertInto('matters').values({ firm_id: b!.id, client_number: 'C1', matter_number: 'M1' }).execute(),
    ).rejects.toThrow(/foreign key/);
  });
});
