import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngine } from '../support/db.ts';
import { adminQuery, databaseUrl, dropDatabase, uniqueName } from '../support/engines.ts';

// The demo MMS and the install script run in the MMS's database, not paybridge's: each
// engine gets an empty database of its own, and both scripts are applied to it as a firm's
// IT person would, twice to prove a second run is harmless.
const DEMO_SCHEMA = readFileSync(new URL('../../sql/mms/postgres/demo-schema.sql', import.meta.url), 'utf8');
const INSTALL = readFileSync(new URL('../../sql/mms/postgres/install.sql', import.meta.url), 'utf8');

type Row = Record<string, unknown>;

interface MmsDb {
  exec(script: string): Promise<void>;
  rows<T extends Row>(text: string, params?: unknown[]): Promise<T[]>;
  /** A second session on the same database, where the engine has one (PostgreSQL). */
  session?(): Promise<MmsDb>;
  close(): Promise<void>;
}

async function pgSession(url: string, onClose: () => Promise<void> = async () => {}): Promise<MmsDb> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    exec: async (script) => {
      await client.query(script);
    },
    rows: async <T extends Row>(text: string, params: unknown[] = []) => (await client.query<T>(text, params)).rows,
    session: () => pgSession(url),
    close: async () => {
      await client.end();
      await onClose();
    },
  };
}

async function openMmsDb(): Promise<MmsDb> {
  if (testEngine() === 'pglite') {
    const pglite = new PGlite();
    await pglite.waitReady;
    return {
      exec: async (script) => {
        await pglite.exec(script);
      },
      rows: async <T extends Row>(text: string, params: unknown[] = []) => (await pglite.query<T>(text, params)).rows,
      close: () => pglite.close(),
    };
  }
  const name = uniqueName('pb_mms');
  await adminQuery(`create database ${name}`);
  return pgSession(databaseUrl(name), () => dropDatabase(name));
}

// Everything is read back as text so both engines answer alike and cents stay exact.
interface InvoiceRow extends Row {
  invoice_number: string;
  client_number: string;
  matter_number: string;
  invoice_date: string;
  total: string;
  balance: string;
  status: string;
}

const POST = `select paybridge_post_receipt(
  record_id => $1, line => $2, invoice_number => $3, client_number => $4, matter_number => $5,
  amount => $6, posting_date => $7, account => $8, memo => $9) as result`;

interface Line {
  record: string;
  line: number;
  invoice: string | null;
  client?: string | null;
  matter?: string | null;
  cents: number;
  account?: string;
  memo?: string;
}

async function post(db: MmsDb, l: Line): Promise<string> {
  const [row] = await db.rows<{ result: string }>(POST, [
    l.record,
    l.line,
    l.invoice,
    l.client ?? null,
    l.matter ?? null,
    l.cents,
    '2026-02-10',
    l.account ?? 'operating',
    l.memo ?? 'card payment',
  ]);
  return row!.result;
}

async function invoices(db: MmsDb, since: string | null): Promise<InvoiceRow[]> {
  return db.rows<InvoiceRow>(
    `select invoice_number, client_number, matter_number, invoice_date::text, total::text, balance::text, status
     from paybridge_invoices($1::timestamptz) order by invoice_number`,
    [since],
  );
}

async function invoice(db: MmsDb, number: string): Promise<{ balance: string; status: string }> {
  const [row] = await db.rows<{ balance: string; status: string }>(
    'select balance_cents::text as balance, status from mms_invoices where invoice_number = $1',
    [number],
  );
  return row!;
}

async function receiptCount(db: MmsDb): Promise<number> {
  const [row] = await db.rows<{ n: string }>('select count(*)::text as n from mms_receipts');
  return Number(row!.n);
}

const OLD = '2020-01-01T00:00:00Z';
const SINCE = '2020-06-01T00:00:00Z';

describe(`the MMS install script on ${testEngine()}`, () => {
  let db: MmsDb;

  beforeAll(async () => {
    db = await openMmsDb();
    for (const script of [DEMO_SCHEMA, DEMO_SCHEMA, INSTALL, INSTALL]) await db.exec(script);
    await db.exec(`
      insert into mms_clients (client_number, name, updated_at) values
        ('ACME01', 'Acme Holdings, Inc.', '${OLD}'), ('GLOBEX', 'Globex Corporation', '${OLD}');
      insert into mms_matters (client_number, matter_number, description, updated_at) values
        ('ACME01', '2026-0007', 'Supply contract dispute', '${OLD}'),
        ('ACME01', '2026-0009', 'Lease renewal', '${OLD}'),
        ('GLOBEX', '2025-0311', 'Patent portfolio review', '${OLD}');
      insert into mms_invoices (invoice_number, client_number, matter_number, invoice_date, total_cents, balance_cents, status, updated_at) values
        ('INV-0142', 'ACME01', '2026-0007', '2026-01-31', 437500, 437500, 'open', '${OLD}'),
        ('INV-0143', 'GLOBEX', '2025-0311', '2026-01-31', 1206050, 1206050, 'open', '${OLD}'),
        ('INV-0144', 'ACME01', '2026-0009', '2026-02-05', 98000, 98000, 'open', '${OLD}'),
        ('INV-0099', 'ACME01', '2026-0007', '2025-12-31', 5000, 5000, 'void', '${OLD}');
    `);
  });
  afterAll(async () => db?.close());

  it('creates the four functions with the parameters of SPEC §6', async () => {
    const rows = await db.rows<{ name: string; args: string; result: string }>(
      `select p.proname::text as name, pg_get_function_arguments(p.oid) as args, pg_get_function_result(p.oid) as result
       from pg_proc p where p.proname like 'paybridge\\_%' order by p.proname`,
    );
    expect(rows).toEqual([
      {
        name: 'paybridge_clients',
        args: 'since timestamp with time zone',
        result: 'TABLE(client_number text, name text, updated_at timestamp with time zone)',
      },
      {
        name: 'paybridge_invoices',
        args: 'since timestamp with time zone',
        result:
          'TABLE(invoice_number text, client_number text, matter_number text, invoice_date date, total bigint, balance bigint, status text, updated_at timestamp with time zone)',
      },
      {
        name: 'paybridge_matters',
        args: 'since timestamp with time zone',
        result: 'TABLE(client_number text, matter_number text, description text, updated_at timestamp with time zone)',
      },
      {
        name: 'paybridge_post_receipt',
        args: 'record_id text, line integer, invoice_number text, client_number text, matter_number text, amount bigint, posting_date date, account text, memo text',
        result: 'text',
      },
    ]);
  });

  it('hands out everything for a NULL since, and only what changed after a given time', async () => {
    expect(await invoices(db, null)).toEqual([
      {
        invoice_number: 'INV-0099',
        client_number: 'ACME01',
        matter_number: '2026-0007',
        invoice_date: '2025-12-31',
        total: '5000',
        balance: '5000',
        status: 'void',
      },
      {
        invoice_number: 'INV-0142',
        client_number: 'ACME01',
        matter_number: '2026-0007',
        invoice_date: '2026-01-31',
        total: '437500',
        balance: '437500',
        status: 'open',
      },
      {
        invoice_number: 'INV-0143',
        client_number: 'GLOBEX',
        matter_number: '2025-0311',
        invoice_date: '2026-01-31',
        total: '1206050',
        balance: '1206050',
        status: 'open',
      },
      {
        invoice_number: 'INV-0144',
        client_number: 'ACME01',
        matter_number: '2026-0009',
        invoice_date: '2026-02-05',
        total: '98000',
        balance: '98000',
        status: 'open',
      },
    ]);
    expect(await invoices(db, SINCE)).toEqual([]);

    await db.exec(`
      update mms_invoices set invoice_date = '2026-02-01' where invoice_number = 'INV-0143';
      update mms_invoices set status = status where invoice_number = 'INV-0142';
      insert into mms_invoices (invoice_number, client_number, matter_number, invoice_date, total_cents, balance_cents)
        values ('INV-0145', 'GLOBEX', '2025-0311', '2026-02-09', 1000, 1000);
      update mms_clients set name = 'Globex Corp.' where client_number = 'GLOBEX';
      insert into mms_matters (client_number, matter_number, description) values ('GLOBEX', '2026-0001', 'Trademark opposition');
    `);
    expect((await invoices(db, SINCE)).map((i) => i.invoice_number)).toEqual(['INV-0143', 'INV-0145']);
    expect(await invoices(db, null)).toHaveLength(5);

    const clients = await db.rows<{ client_number: string; name: string }>(
      'select client_number, name from paybridge_clients($1)',
      [SINCE],
    );
    expect(clients).toEqual([{ client_number: 'GLOBEX', name: 'Globex Corp.' }]);
    expect(await db.rows('select * from paybridge_clients(null)')).toHaveLength(2);
    const matters = await db.rows<{ client_number: string; matter_number: string; description: string }>(
      'select client_number, matter_number, description from paybridge_matters($1)',
      [SINCE],
    );
    expect(matters).toEqual([
      { client_number: 'GLOBEX', matter_number: '2026-0001', description: 'Trademark opposition' },
    ]);
    expect(await db.rows('select * from paybridge_matters(null)')).toHaveLength(4);
  });

  it('applies a line once: a repeat answers already_applied and changes nothing', async () => {
    const line = {
      record: 'rec-1',
      line: 1,
      invoice: 'INV-0142',
      client: 'ACME01',
      matter: '2026-0007',
      cents: 137500,
    };
    expect(await post(db, line)).toBe('applied');
    expect(await invoice(db, 'INV-0142')).toEqual({ balance: '300000', status: 'open' });
    expect(await post(db, line)).toBe('already_applied');
    expect(await post(db, line)).toBe('already_applied');
    expect(await invoice(db, 'INV-0142')).toEqual({ balance: '300000', status: 'open' });
    expect(await receiptCount(db)).toBe(1);
    // The payment moved the invoice, so the next sync carries the new balance.
    expect((await invoices(db, SINCE)).map((i) => i.invoice_number)).toContain('INV-0142');
  });

  it('marks an invoice paid when a payment clears it, and open again after a reversal', async () => {
    // Client and matter may be left out of an operating line: the invoice supplies them.
    expect(await post(db, { record: 'rec-1', line: 2, invoice: 'INV-0142', cents: 300000 })).toBe('applied');
    expect(await invoice(db, 'INV-0142')).toEqual({ balance: '0', status: 'paid' });

    expect(await post(db, { record: 'rec-2', line: 1, invoice: 'INV-0142', cents: -125050, memo: 'chargeback' })).toBe(
      'applied',
    );
    expect(await invoice(db, 'INV-0142')).toEqual({ balance: '125050', status: 'open' });
    expect(await post(db, { record: 'rec-2', line: 1, invoice: 'INV-0142', cents: -125050, memo: 'chargeback' })).toBe(
      'already_applied',
    );
    expect(await invoice(db, 'INV-0142')).toEqual({ balance: '125050', status: 'open' });

    const [receipt] = await db.rows<{ client_number: string; matter_number: string; source: string }>(
      `select client_number, matter_number, source from mms_receipts where record_id = 'rec-1' and line = 2`,
    );
    expect(receipt).toEqual({ client_number: 'ACME01', matter_number: '2026-0007', source: 'procedure' });
  });

  it('records a trust line for its matter without touching any invoice', async () => {
    const before = await invoices(db, null);
    const trust = {
      record: 'rec-3',
      line: 1,
      invoice: null,
      client: 'GLOBEX',
      matter: '2025-0311',
      cents: 500000,
      account: 'trust',
    };
    expect(await post(db, trust)).toBe('applied');
    expect(await post(db, trust)).toBe('already_applied');
    expect(await post(db, { ...trust, line: 2, cents: -120000 })).toBe('applied');
    expect(await invoices(db, null)).toEqual(before);
    const balances = await db.rows(
      'select client_number, matter_number, balance_cents::text as balance from mms_trust_balances',
    );
    expect(balances).toEqual([{ client_number: 'GLOBEX', matter_number: '2025-0311', balance: '380000' }]);
  });

  describe('refuses, writing nothing,', () => {
    const refusals: [string, Line, RegExp][] = [
      [
        'an invoice that does not exist',
        { record: 'bad', line: 1, invoice: 'INV-9999', cents: 100 },
        /invoice INV-9999 does not exist/,
      ],
      [
        'more than the open balance',
        { record: 'bad', line: 1, invoice: 'INV-0144', cents: 98001 },
        /98001 cents exceeds the open balance of 98000 cents on invoice INV-0144/,
      ],
      [
        'an unknown account',
        { record: 'bad', line: 1, invoice: 'INV-0144', cents: 100, account: 'escrow' },
        /unknown account "escrow"/,
      ],
      [
        'a reversal above the invoice total',
        { record: 'bad', line: 1, invoice: 'INV-0144', cents: -1 },
        /above its total of 98000 cents/,
      ],
      ['a void invoice', { record: 'bad', line: 1, invoice: 'INV-0099', cents: 100 }, /invoice INV-0099 is void/],
      [
        'an invoice of another client',
        { record: 'bad', line: 1, invoice: 'INV-0144', client: 'GLOBEX', cents: 100 },
        /belongs to client ACME01 matter 2026-0009, not client GLOBEX/,
      ],
      [
        'an operating line without an invoice',
        { record: 'bad', line: 1, invoice: null, client: 'ACME01', matter: '2026-0009', cents: 100 },
        /needs an invoice number/,
      ],
      ['a zero amount', { record: 'bad', line: 1, invoice: 'INV-0144', cents: 0 }, /non-zero/],
      [
        'a trust line naming an invoice',
        {
          record: 'bad',
          line: 1,
          invoice: 'INV-0144',
          client: 'ACME01',
          matter: '2026-0009',
          cents: 100,
          account: 'trust',
        },
        /names no invoice/,
      ],
      [
        'a trust line for an unknown matter',
        { record: 'bad', line: 1, invoice: null, client: 'ACME01', matter: 'NOPE', cents: 100, account: 'trust' },
        /client ACME01 matter NOPE does not exist/,
      ],
      [
        'a trust reversal that would overdraw the matter',
        {
          record: 'bad',
          line: 1,
          invoice: null,
          client: 'GLOBEX',
          matter: '2025-0311',
          cents: -380001,
          account: 'trust',
        },
        /exceeds the trust balance of 380000 cents/,
      ],
      [
        'a repeated key carrying a different amount',
        { record: 'rec-1', line: 1, invoice: 'INV-0142', cents: 137501 },
        /rec-1 line 1 was already applied as 137500 cents/,
      ],
    ];

    for (const [name, line, message] of refusals) {
      it(name, async () => {
        const before = { invoices: await invoices(db, null), receipts: await receiptCount(db) };
        await expect(post(db, line)).rejects.toThrow(message);
        expect({ invoices: await invoices(db, null), receipts: await receiptCount(db) }).toEqual(before);
      });
    }
  });

  // PGlite is one session, so a race between two sessions exists only on PostgreSQL:
  // the test is registered there and not at all on PGlite (nothing is skipped).
  const onPostgres = testEngine() === 'postgres' ? it : null;
  onPostgres?.('applies a line once when two sessions deliver it at the same time', async () => {
    const a = await db.session!();
    const b = await db.session!();
    try {
      const line = { record: 'rec-4', line: 1, invoice: 'INV-0143', cents: 1206050 };
      await a.exec('begin');
      expect(await post(a, line)).toBe('applied');
      // b blocks on the invoice lock until a commits, then finds the line a wrote rather
      // than refusing it against the now-zero balance.
      const second = post(b, line);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await a.exec('commit');
      expect(await second).toBe('already_applied');
      expect(await invoice(db, 'INV-0143')).toEqual({ balance: '0', status: 'paid' });

      // Two different lines racing for one balance: the second sees what the first spent.
      await a.exec('begin');
      expect(await post(a, { record: 'rec-5', line: 1, invoice: 'INV-0145', cents: 600 })).toBe('applied');
      // The expectation is attached before the commit: b's refusal may arrive in the same
      // turn as a's commit, and a rejection without a handler by then is reported as unhandled.
      const refused = expect(post(b, { record: 'rec-6', line: 1, invoice: 'INV-0145', cents: 600 })).rejects.toThrow(
        /600 cents exceeds the open balance of 400 cents/,
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      await a.exec('commit');
      await refused;
    } finally {
      await a.close();
      await b.close();
    }
  });
});
