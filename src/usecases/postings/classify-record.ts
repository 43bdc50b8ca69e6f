import { matterKey, type Verdict } from '../../domain/classify.ts';
import { classifyAgainst, type Mirror, type RecordTerms } from '../../domain/reconcile.ts';
import { referencedInvoices, referencedMatters } from '../../domain/terms.ts';
import type { Db } from '../../db/connect.ts';
import { readAutoApply } from '../../db/firms.ts';
import { invoicesOf, readInvoiceFacts, readKnownMatters } from '../../db/mirror.ts';

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
