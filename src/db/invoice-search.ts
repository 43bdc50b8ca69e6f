import { sql } from 'kysely';
import type { InvoiceStatus } from '../domain/types.ts';
import type { Db } from './connect.ts';

/**
 * The firm's synced invoices with their client's name and matter's description: open ones
 * first, oldest first, the order in which auto-apply spends a payment. `pattern` (a LIKE
 * pattern) narrows by invoice, client or matter number, client name or matter description.
 */
export async function searchInvoiceRows(
  db: Db,
  firmId: string,
  filters: { pattern: string | null; status?: InvoiceStatus | undefined; limit: number },
) {
  let q = db
    .selectFrom('invoices as i')
    .innerJoin('clients as c', (j) =>
      j.onRef('c.firm_id', '=', 'i.firm_id').onRef('c.client_number', '=', 'i.client_number'),
    )
    .innerJoin('matters as m', (j) =>
      j
        .onRef('m.firm_id', '=', 'i.firm_id')
        .onRef('m.client_number', '=', 'i.client_number')
        .onRef('m.matter_number', '=', 'i.matter_number'),
    )
    .where('i.firm_id', '=', firmId)
    .select([
      'i.invoice_number',
      'i.client_number',
      'c.name as client_name',
      'i.matter_number',
      'm.description as matter_description',
      'i.invoice_date',
      'i.total_cents',
      'i.balance_cents',
      'i.status',
    ]);
  const { pattern } = filters;
  if (pattern !== null) {
    q = q.where(sql<boolean>`(lower(i.invoice_number) like ${pattern} or lower(i.client_number) like ${pattern}
      or lower(c.name) like ${pattern} or lower(i.matter_number) like ${pattern} or lower(m.description) like ${pattern})`);
  }
  if (filters.status) q = q.where('i.status', '=', filters.status);
  return q
    .orderBy(sql`i.status = 'open'`, 'desc')
    .orderBy('i.invoice_date', 'asc')
    .orderBy('i.invoice_number', 'asc')
    .limit(filters.limit)
    .execute();
}

/**
 * domain/invoice-match's invoiceKey in SQL (upper case, no leading zeros in a run of
 * digits, letters and digits only); test/api/suggestion.test.ts holds the two equal.
 */
export function invoiceKeySql(column: string) {
  return sql<string>`regexp_replace(regexp_replace(upper(${sql.ref(column)}), '(^|[^0-9])0+([0-9])', '\\1\\2', 'g'), '[^A-Z0-9]', '', 'g')`;
}

/**
 * The open invoices a suggestion may use: those whose number reduces to one of `keys`
 * (what the payer typed), then the client's, oldest first; at most `limit`.
 */
export async function readOpenInvoiceCandidates(
  db: Db,
  firmId: string,
  { clientNumber, keys, limit }: { clientNumber: string | null; keys: readonly string[]; limit: number },
) {
  if (clientNumber === null && keys.length === 0) return [];
  const typed =
    keys.length > 0
      ? sql<boolean>`${invoiceKeySql('invoice_number')} = any(${[...keys]}::text[])`
      : sql<boolean>`false`;
  return db
    .selectFrom('invoices')
    .select(['invoice_number', 'client_number', 'matter_number', 'invoice_date', 'balance_cents'])
    .where('firm_id', '=', firmId)
    .where('status', '=', 'open')
    .where((eb) => eb.or([typed, ...(clientNumber === null ? [] : [eb('client_number', '=', clientNumber)])]))
    .orderBy(typed, 'desc')
    .orderBy('invoice_date', 'asc')
    .orderBy('invoice_number', 'asc')
    .limit(limit)
    .execute();
}
