import type { z } from 'zod';
import type { invoiceOut, searchInvoicesEndpoint } from '../../contract/invoices.ts';
import type { Db } from '../../db/connect.ts';
import { searchInvoiceRows } from '../../db/invoice-search.ts';
import { readInvoiceApplied } from '../../db/mirror.ts';
import { likePattern } from '../../domain/paging.ts';

export type InvoiceSearchQuery = z.output<typeof searchInvoicesEndpoint.query>;

export type InvoiceHit = z.infer<typeof invoiceOut>;

/**
 * Reallocate Payment's invoice search: by invoice number, client number or name, or
 * matter number or description. Open invoices come first, oldest first, the order in
 * which auto-apply spends a payment. `availableCents` is the balance less what pending
 * and queued records already apply, the same sum classification checks against, so
 * an amount the search offers is one that will not come back as exceeds_balance.
 */
export async function searchInvoices(
  db: Db,
  firmId: string,
  query: InvoiceSearchQuery,
): Promise<{ items: InvoiceHit[] }> {
  const rows = await searchInvoiceRows(db, firmId, {
    pattern: query.q?.trim() ? likePattern(query.q) : null,
    status: query.status,
    limit: query.limit,
  });
  const applied = await readInvoiceApplied(
    db,
    firmId,
    rows.map((r) => r.invoice_number),
  );
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
