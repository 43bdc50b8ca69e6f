import { claimsMovedOutside } from '../../domain/claims.ts';
import type { Verdict } from '../../domain/classify.ts';
import { reconcile, type Contender, type RecordTerms } from '../../domain/reconcile.ts';
import type { Allocation, Reason, RecordStatus } from '../../domain/types.ts';
import type { Db } from '../../db/connect.ts';
import { writeAudit } from '../../db/audit.ts';
import { lockMirror } from '../../db/mirror.ts';
import {
  loadAllocations,
  lockContenders,
  readPendingReversalLines,
  saveVerdicts,
  type ContenderRow,
  type VerdictWrite,
} from '../../db/postings.ts';
import { transition } from '../../domain/state-machine.ts';
import { referencedInvoices, referencedMatters, sameLines, termsOf } from '../../domain/terms.ts';
import type { Actor } from '../../domain/actor.ts';
import { readMirror } from './classify-record.ts';
import { givenBackBy } from '../../domain/corrections.ts';

/** A record being acted on now: taken in, edited or moved to pending. */
export interface ActedRecord {
  id: string;
  /** What is done to it, for the state machine to decide its status change. */
  action: 'edit' | 'move_to_pending';
  /** An accountant's new allocations (Edit), or null to go back to the payer's terms; absent: as stored. */
  reallocation?: Allocation[] | null;
  clientMismatchAccepted?: boolean;
  /** The accountant fixed what the MMS refused: the record may go out again. */
  mmsProblemFixed?: boolean;
}

/** What changed, and so which records' verdicts may change with it. */
export interface ReconcileScope {
  /** Invoices whose facts changed, or whose claims changed (a record removed, or newly pending). */
  invoices?: readonly string[];
  /** Matters were added: incomplete trust records may now name known ones. */
  mattersAdded?: boolean;
  /**
   * Only claims were added on `invoices` (a pending payment taken in): records already
   * pending keep theirs, and an incomplete record can only gain exceeds_balance or see its
   * oldest-first spread shrink. Only the incomplete records that can still change are
   * judged, so taking a payment in does not read every open record on its invoice.
   */
  claimsAddedOnly?: boolean;
  /** Records to judge again whatever they refer to (a setting changed). */
  records?: readonly string[];
  acted?: readonly ActedRecord[];
}

export interface Reclassified {
  id: string;
  acted: boolean;
  before: { status: RecordStatus; reasons: Reason[]; allocations: Allocation[] };
  after: Verdict;
}

/**
 * SPEC §3.4, one classification on every path. After a change (a payment taken in, an
 * edit, a removal, a move to pending, a setting, a sync), every pending and incomplete
 * record the change can affect is judged again by domain/reconcile: the records that
 * refer to the changed invoices, and then, should their claims move, the records on the
 * other invoices they refer to, until nothing more moves. Records whose verdict changed
 * are saved, each with an audit event naming the cause; acted records are always saved,
 * their own event being the caller's to write.
 */
export async function reconcileRecords(
  tx: Db,
  firmId: string,
  actor: Actor,
  scope: ReconcileScope,
  cause: string,
  now = new Date(),
): Promise<Map<string, Reclassified>> {
  await lockMirror(tx, firmId, false);
  const acted = new Map((scope.acted ?? []).map((a) => [a.id, a]));
  const named = [...new Set([...(scope.records ?? []), ...acted.keys()])];
  const area = new Set(scope.invoices ?? []);
  for (;;) {
    const rows = await lockContenders(
      tx,
      firmId,
      [...area],
      named,
      scope.mattersAdded ?? false,
      scope.claimsAddedOnly ?? false,
    );
    const lines = await loadAllocations(
      tx,
      firmId,
      rows.map((r) => r.id),
    );
    const givenBack = await readPendingReversalLines(
      tx,
      firmId,
      rows.filter((r) => r.replaces !== null).map((r) => r.id),
    );
    const contenders = rows.map((row): Contender & { row: ContenderRow; stored: Allocation[] } => {
      const stored = lines.get(row.id) ?? [];
      const change = acted.get(row.id);
      const terms: RecordTerms = termsOf(row, stored);
      const back = givenBack.get(row.id);
      if (back !== undefined) terms.givenBack = givenBackBy(back);
      if (change?.reallocation !== undefined) terms.reallocation = change.reallocation;
      if (change?.clientMismatchAccepted !== undefined) terms.clientMismatchAccepted = change.clientMismatchAccepted;
      if (change?.mmsProblemFixed === true) terms.rejectedByMms = false;
      return {
        id: row.id,
        standing: change ? 'acted' : row.status === 'pending' ? 'pending' : 'incomplete',
        pendingSince: row.status === 'pending' ? row.status_changed_at.toISOString() : null,
        processedAt: row.processed_at.toISOString(),
        terms,
        row,
        stored,
      };
    });
    const ids = contenders.map((c) => c.id);
    const mirror = await readMirror(tx, firmId, {
      invoices: contenders.flatMap((c) => [
        ...referencedInvoices(c.terms),
        ...c.stored.flatMap((a) => (a.invoiceNumber ? [a.invoiceNumber] : [])),
      ]),
      matters: contenders.flatMap((c) => referencedMatters(c.terms)),
      exclude: ids,
      lock: true,
    });
    // Allocations that could never be stored throw AllocationError, a DomainError.
    const verdicts: Map<string, Verdict> = reconcile(contenders, mirror);

    // Where a contender's claim on an invoice outside the area moved, the records on that
    // invoice may move too: widen the area and judge again, from the stored state.
    const grown = claimsMovedOutside(
      contenders.map((c) => ({ before: { status: c.row.status, allocations: c.stored }, after: verdicts.get(c.id)! })),
      area,
    );
    if (grown.length > 0) {
      grown.forEach((n) => area.add(n));
      continue;
    }

    const outcomes = new Map<string, Reclassified>();
    const writes: VerdictWrite[] = [];
    for (const c of contenders) {
      const verdict = verdicts.get(c.id)!;
      const isActed = acted.has(c.id);
      const unchanged =
        verdict.status === c.row.status &&
        verdict.reasons.join() === c.row.reasons.join() &&
        sameLines(verdict.allocations, c.stored);
      if (unchanged && !isActed) continue;
      // The state machine decides the change: the action done to an acted record, else a reclassification.
      const change = transition(c.row.status, acted.get(c.id)?.action ?? 'reclassify', verdict.status);
      if (change === null)
        throw new Error(`record ${c.id} is ${c.row.status}: the state machine does not let it be judged again`);
      outcomes.set(c.id, {
        id: c.id,
        acted: isActed,
        before: { status: c.row.status, reasons: c.row.reasons, allocations: c.stored },
        after: verdict,
      });
      writes.push({
        id: c.id,
        transition: change,
        verdict,
        search: {
          payerName: c.row.payer_name,
          invoiceNumbers: c.row.invoice_numbers,
          clientNumber: c.row.client_number,
          matterNumber: c.row.matter_number,
        },
        refersTo: referencedInvoices({ ...c.terms, reallocation: c.terms.reallocation ?? verdict.allocations }),
        reallocated: c.terms.reallocation !== null,
        clientMismatchAccepted: c.terms.clientMismatchAccepted,
        rejectedByMms: c.terms.rejectedByMms,
      });
    }
    await saveVerdicts(tx, firmId, writes, now);
    await writeAudit(
      tx,
      firmId,
      actor,
      [...outcomes.values()]
        .filter((o) => !o.acted)
        .map((o) => ({
          action: 'reclassified',
          recordId: o.id,
          from: o.before.status,
          to: o.after.status,
          detail: {
            cause,
            reasons: { before: o.before.reasons, after: o.after.reasons },
            ...(sameLines(o.before.allocations, o.after.allocations)
              ? {}
              : { allocations: { before: o.before.allocations, after: o.after.allocations } }),
          },
        })),
    );
    return outcomes;
  }
}

/**
 * After records stopped taking from their invoices (removed, reversed), the records on
 * those invoices are judged again. The records' lines are read as they still are.
 */
export async function freeClaims(
  tx: Db,
  firmId: string,
  actor: Actor,
  recordIds: string[],
  cause: string,
  now: Date,
): Promise<void> {
  if (recordIds.length === 0) return;
  const lines = await loadAllocations(tx, firmId, recordIds);
  const invoices = [...lines.values()]
    .flat()
    .flatMap((a) => (a.invoiceNumber !== null && a.amountCents > 0 ? [a.invoiceNumber] : []));
  if (invoices.length > 0) await reconcileRecords(tx, firmId, actor, { invoices }, cause, now);
}

export { sameLines };
