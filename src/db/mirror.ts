import { cents, type Cents } from '../domain/money.ts';
import { sql } from 'kysely';
import type { InvoiceFacts, InvoiceStatus } from '../domain/types.ts';
import type { Db } from './connect.ts';
import { copyIn, copyText } from './copy-in.ts';
import { isUniqueViolation } from './transaction.ts';

/** The synced clients, matters and invoices (the MMS's mirror): reads and the sync's bulk writes. */

/** A row of invoice_facts or invoice_state (migrations 0006, 0007). */
export interface InvoiceFactRow {
  invoice: string;
  client: string;
  matter: string;
  dated: string;
  balance_cents: number;
  invoice_status: InvoiceStatus;
  applied_cents: number;
}

/** The invoices' facts, and per invoice what other records take from it (where anything). */
export function invoicesOf(rows: readonly InvoiceFactRow[]): {
  invoices: Map<string, InvoiceFacts>;
  taken: Map<string, Cents>;
} {
  const invoices = new Map<string, InvoiceFacts>();
  const taken = new Map<string, Cents>();
  for (const row of rows) {
    invoices.set(row.invoice, {
      invoiceNumber: row.invoice,
      clientNumber: row.client,
      matterNumber: row.matter,
      invoiceDate: row.dated,
      balanceCents: cents(row.balance_cents, 'invoice balance'),
      status: row.invoice_status,
    });
    const applied = cents(row.applied_cents, 'applied amount');
    if (applied !== 0) taken.set(row.invoice, applied);
  }
  return { invoices, taken };
}

/**
 * What the mirror says of some invoices, with what records other than `exclude` take from
 * them. With `lock`, the invoices are locked first, in number order (invoice_state).
 */
export async function readInvoiceFacts(
  db: Db,
  firmId: string,
  numbers: readonly string[],
  exclude: readonly string[],
  lock: boolean,
): Promise<InvoiceFactRow[]> {
  if (numbers.length === 0) return [];
  const result =
    await sql<InvoiceFactRow>`select * from ${sql.raw(lock ? 'invoice_state' : 'invoice_facts')}(${firmId}, ${numbers}::text[], ${exclude}::uuid[])`.execute(
      db,
    );
  return result.rows;
}

/** Per invoice, what every record except `exclude` takes from it (invoice_applied, migration 0007). */
export async function readInvoiceApplied(
  db: Db,
  firmId: string,
  numbers: readonly string[],
  exclude: readonly string[] = [],
): Promise<Map<string, Cents>> {
  if (numbers.length === 0) return new Map();
  const result = await sql<{ invoice: string; applied_cents: number }>`
    select invoice, applied_cents from invoice_applied(${firmId}, ${numbers}::text[], ${exclude}::uuid[])`.execute(db);
  return new Map(result.rows.map((row) => [row.invoice, cents(row.applied_cents, 'applied amount')]));
}

/** Which of these client/matter pairs the firm's mirror has. */
export async function readKnownMatters(
  db: Db,
  firmId: string,
  pairs: readonly (readonly [string, string])[],
): Promise<{ client_number: string; matter_number: string }[]> {
  if (pairs.length === 0) return [];
  const result = await sql<{ client_number: string; matter_number: string }>`
    select m.client_number, m.matter_number from matters m
    join unnest(${pairs.map((p) => p[0])}::text[], ${pairs.map((p) => p[1])}::text[]) as w(c, m2)
      on m.client_number = w.c and m.matter_number = w.m2
    where m.firm_id = ${firmId}`.execute(db);
  return result.rows;
}

/** How many of these client/matter pairs (each once) the firm's mirror has: one number back, not the rows. */
export async function countKnownMatters(
  db: Db,
  firmId: string,
  pairs: readonly (readonly [string, string])[],
): Promise<number> {
  if (pairs.length === 0) return 0;
  const result = await sql<{ n: number }>`
    select count(*)::int as n from matters m
    join unnest(${pairs.map((p) => p[0])}::text[], ${pairs.map((p) => p[1])}::text[]) as w(c, m2)
      on m.client_number = w.c and m.matter_number = w.m2
    where m.firm_id = ${firmId}`.execute(db);
  return result.rows[0]?.n ?? 0;
}

/** Which of these client numbers the firm's mirror has. */
export async function readKnownClients(db: Db, firmId: string, numbers: readonly string[]): Promise<string[]> {
  if (numbers.length === 0) return [];
  // A join to unnest, not `= any(array)`: see markReflected.
  const result = await sql<{ client_number: string }>`
    select c.client_number from clients c join unnest(${numbers}::text[]) as w(n) on c.client_number = w.n
    where c.firm_id = ${firmId}`.execute(db);
  return result.rows.map((r) => r.client_number);
}

/** Upserts clients; only a real change touches updated_at. How many rows changed. */
export async function upsertClients(
  tx: Db,
  firmId: string,
  clients: readonly { clientNumber: string; name: string }[],
  now: Date,
): Promise<number> {
  const r = await sql`
    insert into clients (firm_id, client_number, name, updated_at)
    select ${firmId}, c, n, ${now} from unnest(${clients.map((c) => c.clientNumber)}::text[], ${clients.map((c) => c.name)}::text[]) as u(c, n)
    on conflict (firm_id, client_number) do update set name = excluded.name, updated_at = excluded.updated_at
    where clients.name is distinct from excluded.name`.execute(tx);
  return Number(r.numAffectedRows ?? 0);
}

/** Upserts matters; only a real change touches updated_at. How many rows changed. */
export async function upsertMatters(
  tx: Db,
  firmId: string,
  matters: readonly { clientNumber: string; matterNumber: string; description: string }[],
  now: Date,
): Promise<number> {
  const r = await sql`
    insert into matters (firm_id, client_number, matter_number, description, updated_at)
    select ${firmId}, c, m, d, ${now}
    from unnest(${matters.map((m) => m.clientNumber)}::text[], ${matters.map((m) => m.matterNumber)}::text[], ${matters.map((m) => m.description)}::text[]) as u(c, m, d)
    on conflict (firm_id, client_number, matter_number) do update set description = excluded.description, updated_at = excluded.updated_at
    where matters.description is distinct from excluded.description`.execute(tx);
  return Number(r.numAffectedRows ?? 0);
}

export interface MirrorInvoice {
  invoiceNumber: string;
  clientNumber: string;
  matterNumber: string;
  invoiceDate: string;
  totalCents: number;
  balanceCents: number;
  status: InvoiceStatus;
}

/**
 * Upserts invoices in number order (code points, as lock_invoices locks them); only a real
 * change touches updated_at. The numbers of the invoices that changed.
 */
export async function upsertInvoices(
  tx: Db,
  firmId: string,
  invoices: readonly MirrorInvoice[],
  now: Date,
): Promise<string[]> {
  const r = await sql<{ invoice_number: string }>`
    insert into invoices (firm_id, invoice_number, client_number, matter_number, invoice_date, total_cents, balance_cents, status, updated_at)
    select ${firmId}, n, c, m, d, t, b, s, ${now}
    from unnest(${invoices.map((v) => v.invoiceNumber)}::text[], ${invoices.map((v) => v.clientNumber)}::text[], ${invoices.map((v) => v.matterNumber)}::text[],
                ${invoices.map((v) => v.invoiceDate)}::date[], ${invoices.map((v) => v.totalCents)}::int8[], ${invoices.map((v) => v.balanceCents)}::int8[],
                ${invoices.map((v) => v.status)}::text[]) as u(n, c, m, d, t, b, s)
    order by n collate "C"
    on conflict (firm_id, invoice_number) do update set
      client_number = excluded.client_number, matter_number = excluded.matter_number, invoice_date = excluded.invoice_date,
      total_cents = excluded.total_cents, balance_cents = excluded.balance_cents, status = excluded.status, updated_at = excluded.updated_at
    where (invoices.client_number, invoices.matter_number, invoices.invoice_date, invoices.total_cents, invoices.balance_cents, invoices.status)
      is distinct from (excluded.client_number, excluded.matter_number, excluded.invoice_date, excluded.total_cents, excluded.balance_cents, excluded.status)
    returning invoice_number`.execute(tx);
  return r.rows.map((row) => row.invoice_number);
}

/** Which of these invoice numbers the firm's mirror has. */
export async function readMirroredInvoices(db: Db, firmId: string, numbers: readonly string[]): Promise<Set<string>> {
  if (numbers.length === 0) return new Set();
  // Looked up one by one only when the mirror has some invoice between the lowest and the
  // highest of them (one step down the index): a page of invoices the firm has never had,
  // as a first sync's are, costs no lookups.
  const r = await sql<{ invoice_number: string }>`
    select i.invoice_number from invoices i join unnest(${numbers}::text[]) as w(n) on i.invoice_number = w.n
    where i.firm_id = ${firmId}
      and exists (select from invoices o where o.firm_id = ${firmId}
        and o.invoice_number between (select min(n) from unnest(${numbers}::text[]) as l(n))
                                 and (select max(n) from unnest(${numbers}::text[]) as h(n)))`.execute(db);
  return new Set(r.rows.map((row) => row.invoice_number));
}

const INVOICE_COLUMNS = [
  'firm_id',
  'invoice_number',
  'client_number',
  'matter_number',
  'invoice_date',
  'total_cents',
  'balance_cents',
  'status',
  'updated_at',
] as const;

/**
 * Loads invoices the mirror does not have yet with COPY, the database's fastest way in
 * (a sync of 50,000 new invoices spent more than COPY's whole time on upsert statements).
 * The caller holds the firm's sync lock (lockSync) and found them absent after taking it,
 * so no other sync can have inserted them since.
 */
export async function copyNewInvoices(
  tx: Db,
  firmId: string,
  invoices: readonly MirrorInvoice[],
  now: Date,
): Promise<void> {
  if (invoices.length === 0) return;
  const at = now.toISOString();
  // In pieces of 2,000 rows, which node-postgres sends as they are made (CopyData). The
  // date, amounts and status are checked forms (YYYY-MM-DD, integers, a status word).
  function* pieces() {
    for (let i = 0; i < invoices.length; i += 2_000) {
      let piece = '';
      for (const v of invoices.slice(i, i + 2_000))
        piece += `${firmId}\t${copyText(v.invoiceNumber)}\t${copyText(v.clientNumber)}\t${copyText(v.matterNumber)}\t${v.invoiceDate}\t${v.totalCents}\t${v.balanceCents}\t${v.status}\t${at}\n`;
      yield piece;
    }
  }
  try {
    const copied = await copyIn(tx, 'invoices', INVOICE_COLUMNS, pieces());
    if (copied !== invoices.length) throw new Error(`COPY loaded ${copied} invoices of ${invoices.length}`);
  } catch (error) {
    // Only under REPEATABLE READ or SERIALIZABLE: the transaction's snapshot, taken before
    // the lock was granted, missed another sync's invoices committed meanwhile. What ON
    // CONFLICT reports there too: a serialization failure, which inTransaction runs again.
    if (isUniqueViolation(error))
      throw Object.assign(new Error('another sync of the firm added these invoices meanwhile'), {
        code: '40001',
        cause: error,
      });
    throw error;
  }
}

/**
 * The firm's sync lock, held to the end of the transaction: one sync of a firm at a time,
 * so the invoices one finds absent stay absent until it has loaded them. Payments and
 * edits never take it (they wait on lock_mirror, which a sync takes only at its end).
 */
export async function lockSync(tx: Db, firmId: string): Promise<void> {
  // Another class than lock_mirror's 7305120 (migration 0007).
  await sql`select pg_advisory_xact_lock(7305121, hashtext(${firmId}::text))`.execute(tx);
}

/** Voids the firm's open invoices not in `listed`; their numbers. */
export async function voidUnlisted(tx: Db, firmId: string, listed: readonly string[], now: Date): Promise<string[]> {
  const r = await sql<{ invoice_number: string }>`
    update invoices set status = 'void', updated_at = ${now}
    where firm_id = ${firmId} and status = 'open'
      -- An anti-join, not <> all(array): the planner would judge each listed number in turn.
      and not exists (select from unnest(${listed}::text[]) as l(n) where l.n = invoices.invoice_number)
    returning invoice_number`.execute(tx);
  return r.rows.map((row) => row.invoice_number);
}

/**
 * Marks the posted lines on these invoices that a sync read after `readAfter` reflects
 * (SPEC §3.4): applied by the MMS before it, or, where no answer comes, delivered before.
 * The invoices of the lines marked.
 */
export async function markReflected(
  tx: Db,
  firmId: string,
  invoices: readonly string[],
  readAfter: Date,
  now: Date,
): Promise<string[]> {
  // A join to unnest, not `= any(array)`: the planner judges each element of an array
  // constant in turn, which took 300 ms for 30,000 invoices where the update took 10.
  const r = await sql<{ invoice_number: string }>`
    update allocations a set reflected_at = ${now}
    from unnest(${invoices}::text[]) as w(n), posting_records r, batches b
    where a.firm_id = ${firmId} and a.invoice_number = w.n
      and a.reflected_at is null and a.amount_cents > 0
      and r.firm_id = a.firm_id and r.id = a.record_id and r.status = 'posted'
      and b.firm_id = r.firm_id and b.id = r.batch_id
      -- applied by the MMS before the sync read it, or, where no answer comes, delivered before
      and case when b.answer_expected then r.mms_status = 'applied' and r.mms_answered_at < ${readAfter}
               else b.delivered_at < ${readAfter} end
    returning a.invoice_number`.execute(tx);
  return r.rows.map((row) => row.invoice_number);
}

/**
 * Which of these invoices a pending or incomplete record refers to (refers_to, as the
 * re-classification finds its records): a sync of 50,000 invoices hands the
 * re-classification only those, since `refers_to && array` over the whole list compares
 * every open record with every number, or reads the GIN index once per number.
 */
export async function referredByOpenRecords(tx: Db, firmId: string, invoices: readonly string[]): Promise<string[]> {
  if (invoices.length === 0) return [];
  const r = await sql<{ n: string }>`
    select distinct ref.n
    from posting_records r cross join lateral unnest(r.refers_to) as ref(n)
    join unnest(${invoices}::text[]) as w(n) on w.n = ref.n
    where r.firm_id = ${firmId} and r.status in ('pending', 'incomplete') and r.reversal_of is null`.execute(tx);
  return r.rows.map((row) => row.n);
}

/**
 * The firm's mirror lock (lock_mirror, migration 0007): shared by every classification,
 * exclusive for a sync about to judge records again.
 */
export async function lockMirror(tx: Db, firmId: string, exclusive: boolean): Promise<void> {
  await sql`select lock_mirror(${firmId}, ${exclusive})`.execute(tx);
}
