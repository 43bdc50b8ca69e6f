import { choiceTerms, chosenAllocations, type AllocationChoice } from '../../domain/allocation-choice.ts';
import { classifyAgainst } from '../../domain/reconcile.ts';
import { referencedInvoices } from '../../domain/terms.ts';
import type { Allocation } from '../../domain/types.ts';
import type { Db } from '../../db/connect.ts';
import { readMirror } from '../postings/classify-record.ts';

/**
 * Staff's choice of invoices for an operating payment, by hand or auto-applied oldest
 * first (the same rule as the firm setting), checked against the synced invoices before
 * anyone is charged: a split the posting rules would call incomplete is refused (allocation_conflict)
 * rather than charged and left for an accountant to untangle.
 */
export async function planAllocations(
  db: Db,
  firmId: string,
  choice: AllocationChoice,
  clientNumber: string | null = null,
): Promise<Allocation[]> {
  const terms = choiceTerms(choice, clientNumber);
  const mirror = await readMirror(db, firmId, {
    invoices: referencedInvoices(terms),
    matters: [],
    exclude: [],
    lock: false,
  });
  // Staff asked for the oldest-first spread here, whatever the firm's setting.
  return chosenAllocations(classifyAgainst({ ...mirror, autoApply: true }, terms));
}
