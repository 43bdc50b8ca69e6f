import { cents, type Cents } from '../../domain/money.ts';
import { classify, matterKey, type Verdict } from '../../domain/classify.ts';
import type { Mirror, RecordTerms } from '../../domain/reconcile.ts';
import {
  payerAllocationsOf,
  referencedInvoices,
  referencedMatters,
  termsOf,
  type StoredTerms,
} from '../../domain/terms.ts';
import type { Db } from '../../db/connect.ts';
import { readAutoApply } from '../../db/firms.ts';
import {
  invoicesOf,
  readInvoiceApplied,
  readInvoiceFacts,
  readKnownMatters,
  type InvoiceFactRow,
} from '../../db/mirror.ts';

/** The columns of a record and of its payment that its classification terms come from. */
export type TermsRow = StoredTerms;

export { payerAllocationsOf, referencedInvoices, referencedMatters, termsOf };
export { invoicesOf, type InvoiceFactRow };

/**
 * What the mirror says of some invoices and matters, less what records other than
 * `exclude` take. With `lock`, the invoices are locked first, in number order, so two
 * transactions classifying against one invoice do so one after the other.
 */
export async function readMirror(
  tx: Db,
  firmId: string,
  want: { invoices: string[]; matters: [string, string][]; exclude: string[]; lock: boolean },
): Promise<Mirror> {
  const numbers = [...new Set(want.invoices)].sort();
  const { invoices, taken } = invoicesOf(await readInvoiceFacts(tx, firmId, numbers, want.exclude, want.lock));
  const known = await readKnownMatters(tx, firmId, want.matters);
  const matters = new Set(known.map((row) => matterKey(row.client_number, row.matter_number)));
  const autoApply = await readAutoApply(tx, firmId);
  return { invoices, matters, takenByOthers: taken, autoApply };
}

/** Per invoice, what every record except `exclude` takes from it (invoice_applied, migration 0007). */
export async function appliedToInvoices(
  db: Db,
  firmId: string,
  numbers: string[],
  exclude: string[] = [],
): Promise<Map<string, Cents>> {
  const applied = await readInvoiceApplied(db, firmId, numbers, exclude);
  return new Map(applied.map((row) => [row.invoice, cents(row.applied_cents, 'applied amount')]));
}

/** Classifies terms against a mirror; allocations that could never be stored throw AllocationError naming the problem. */
export function classifyAgainst(mirror: Mirror, terms: RecordTerms): Verdict {
  return classify({
    ...terms,
    invoices: mirror.invoices,
    matters: mirror.matters,
    appliedElsewhere: mirror.takenByOthers,
    autoApply: mirror.autoApply,
  });
}

/** Classifies terms as a new record would be, without locking (a check before a charge). */
export async function classifyNew(db: Db, firmId: string, terms: RecordTerms): Promise<Verdict> {
  const mirror = await readMirror(db, firmId, {
    invoices: referencedInvoices(terms),
    matters: referencedMatters(terms),
    exclude: [],
    lock: false,
  });
  return classifyAgainst(mirror, terms);
}
