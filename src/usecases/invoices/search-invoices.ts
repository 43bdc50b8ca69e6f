import { sql } from 'kysely';
import type { InvoiceStatus } from '../../domain/types.ts';
import type { Db } from '../../db/connect.ts';
import { likePattern } from '../paging.ts';
import { appliedToInvoices } from '../postings/classify-record.ts';

export interface InvoiceSearchQuery {
  q?: string | undefined;
  status?: InvoiceStatus | undefined;
  limit: number;
}

export interface InvoiceHit {
  invoiceNumber: string;
  clientNumber: string;
  clientName: string;
  matterNumber: string;
  matterDescription: string;
  invoiceDate: string;
  totalCents: number;
  balanceCents: number;
  availableCents: number;
  status: InvoiceStatus;
}

/**
 * Reallocate Payment's invoice search: by invoice number, client number or name, or
 * matter number or description. Open invoices come first, oldest first, the order in
 * which auto-apply spends a payment. `availableCents` is the balance less what pending
 * and queued records already apply, the same sum classification checks against, so
 * an amount the search offers is one that will not come back as exceeds_balance.
 */
export async function searchInvoices(db: Db, firmId: string, query: InvoiceSearchQuery): Promise<{ items: InvoiceHit[] }> {
  let q = db
    .selectFrom('invoices as i')
    .innerJoin('clients as c', (j) => j.onRef('c.firm_id', '=', 'i.firm_id').onRef('c.client_number', '=', 'i.client_number'))
    .innerJoin('matters as m', (j) =>
      j.onRef('m.firm_id', '=', 'i.firm_id').onRef('m.client_number', '=', 'i.client_number').onRef('m.matter_number', '=', 'i.matter_number'),
    )
    .where('i.firm_id', '=', firmId)
    .select([
      'i.invoice_number', 'i.client_number', 'c.name as client_name', 'i.matter_number', 'm.description as matter_description',
      'i.invoice_date', 'i.total_cents', 'i.balance_cents', 'i.status',
    ]);
  if (query.q?.trim()) {
    const pattern = likePattern(query.q);
    q = q.where(sql<boolean>`(lower(i.invoice_number) like ${pattern} or lower(i.client_number) like ${pattern}
      or lower(c.name) like ${pattern} or lower(i.matter_number) like ${pattern} or lower(m.description) like ${pattern})`);
  }
  if (query.status) q = q.where('i.status', '=', query.status);
  const rows = await q
    .orderBy(sql`i.status = 'open'`, 'desc')
    .orderBy('i.invoice_date', 'asc')
    .orderBy('i.invoice_number', 'asc')
    .limit(query.limit)
    .execute();
  const applied = await appliedToInvoices(db, firmId, rows.map((r) => r.invoice_number));
  return {
    items: rows.map((r) => ({
      invoiceNumber: r.invoice_number,
      clientNumber: r.client_number,
      clientName: r.client_name,
      matterNumber: r.matter_number,
      matterDescription: r.matter_description,
      invoiceDate: r.invoice_date,
      totalCents: r.total_cents,
      balanceCents: r.balance_cents,
      availableCents: r.balance_cents - (applied.get(r.invoice_number) ?? 0),
      status: r.status,
    })),
  };
}
