import type { Db } from '../../db/connect.ts';
import { readOpenInvoiceCandidates } from '../../db/invoice-search.ts';
import { readInvoiceApplied } from '../../db/mirror.ts';
import { loadRecordViews } from '../../db/postings.ts';
import { notFound } from '../../domain/errors.ts';
import { isUuid } from '../../domain/ids.ts';
import { invoiceKey, oldestFirstSuggestion, suggestAllocations } from '../../domain/invoice-match.ts';

/** Enough of a client's open invoices for any one receipt, oldest first. */
const CANDIDATES = 200;

/**
 * Reallocate Payment's one-click offers for an operating record: the match to what the
 * payer typed (else the client's oldest open invoices), and Apply oldest first. What an
 * invoice can take leaves out this record's own lines, which the new ones would replace.
 */
export async function suggestRecordAllocations(db: Db, firmId: string, id: string) {
  if (!isUuid(id)) throw notFound('posting record', id);
  const [record] = await loadRecordViews(db, firmId, [id]);
  if (!record) throw notFound('posting record', id);
  // Trust money goes to matters, and a reversal keeps its original's lines: nothing to suggest.
  if (record.account !== 'operating' || record.reversalOf !== null) return { suggestion: null, oldestFirst: null };
  const rows = await readOpenInvoiceCandidates(db, firmId, {
    clientNumber: record.clientNumber,
    keys: record.invoiceNumbers.map(invoiceKey).filter((key) => key !== ''),
    limit: CANDIDATES,
  });
  const applied = await readInvoiceApplied(
    db,
    firmId,
    rows.map((r) => r.invoice_number),
    [id],
  );
  const invoices = rows.map((r) => ({
    invoiceNumber: r.invoice_number,
    clientNumber: r.client_number,
    matterNumber: r.matter_number,
    invoiceDate: r.invoice_date,
    availableCents: r.balance_cents - (applied.get(r.invoice_number) ?? 0),
  }));
  return {
    suggestion: suggestAllocations({
      typed: record.invoiceNumbers,
      clientNumber: record.clientNumber,
      receiptCents: record.amountCents,
      invoices,
    }),
    oldestFirst: oldestFirstSuggestion(record.amountCents, record.clientNumber, invoices),
  };
}
