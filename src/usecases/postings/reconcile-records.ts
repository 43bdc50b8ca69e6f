import { sql } from 'kysely';
import { addClaims, claimsOf } from '../../domain/claims.ts';
import type { Verdict } from '../../domain/classify.ts';
import { reconcile, type Contender, type RecordTerms } from '../../domain/reconcile.ts';
import type { Allocation, Reason, RecordStatus } from '../../domain/types.ts';
import type { Db } from '../../db/connect.ts';
import { writeAudit } from '../../db/audit.ts';
import { loadAllocations } from '../../db/postings.ts';
import { AllocationError } from '../../domain/allocations.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from '../auth/principal.ts';
import { readMirror, referencedInvoices, referencedMatters, termsOf, type TermsRow } from './classify-record.ts';
import { saveVerdicts, type VerdictWrite } from './save-verdict.ts';

/** A record being acted on now: taken in, edited or moved to pending. */
export interface ActedRecord {
  id: string;
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

/** A record and its payment as classification reads them, with what ordering and saving need. */
interface ContenderRow extends TermsRow {
  id: string;
  status: RecordStatus;
  reasons: Reason[];
  status_changed_at: Date;
  processed_at: Date;
  payer_name: string;
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
export async function reconcileRecords(tx: Db, firmId: string, actor: Actor, scope: ReconcileScope, cause: string, now = new Date()): Promise<Map<string, Reclassified>> {
  await sql`select lock_mirror(${firmId}, false)`.execute(tx);
  const acted = new Map((scope.acted ?? []).map((a) => [a.id, a]));
  const named = [...new Set([...(scope.records ?? []), ...acted.keys()])];
  const area = new Set(scope.invoices ?? []);
  for (;;) {
    const rows = await loadContenders(tx, firmId, [...area], named, scope.mattersAdded ?? false, scope.claimsAddedOnly ?? false);
    const lines = await loadAllocations(tx, firmId, rows.map((r) => r.id));
    const contenders = rows.map((row): Contender & { row: ContenderRow; stored: Allocation[] } => {
      const stored = lines.get(row.id) ?? [];
      const change = acted.get(row.id);
      const terms: RecordTerms = termsOf(row, stored);
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
      invoices: contenders.flatMap((c) => [...referencedInvoices(c.terms), ...c.stored.flatMap((a) => (a.invoiceNumber ? [a.invoiceNumber] : []))]),
      matters: contenders.flatMap((c) => referencedMatters(c.terms)),
      exclude: ids,
      lock: true,
    });
    let verdicts: Map<string, Verdict>;
    try {
      verdicts = reconcile(contenders, mirror);
    } catch (error) {
      if (error instanceof AllocationError) throw new AppError(422, error.code, error.message);
      throw error;
    }

    // Where a contender's claim on an invoice outside the area moved, the records on that
    // invoice may move too: widen the area and judge again, from the stored state.
    const before = new Map<string, number>();
    const after = new Map<string, number>();
    for (const c of contenders) {
      if (c.row.status === 'pending') addClaims(before, claimsOf('pending', c.stored));
      const verdict = verdicts.get(c.id);
      if (verdict?.status === 'pending') addClaims(after, claimsOf('pending', verdict.allocations));
    }
    const grown = [...new Set([...before.keys(), ...after.keys()])].filter((n) => !area.has(n) && (before.get(n) ?? 0) !== (after.get(n) ?? 0));
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
        verdict.status === c.row.status && verdict.reasons.join() === c.row.reasons.join() && sameLines(verdict.allocations, c.stored);
      if (unchanged && !isActed) continue;
      outcomes.set(c.id, { id: c.id, acted: isActed, before: { status: c.row.status, reasons: c.row.reasons, allocations: c.stored }, after: verdict });
      writes.push({
        id: c.id,
        verdict,
        search: { payerName: c.row.payer_name, invoiceNumbers: c.row.invoice_numbers, clientNumber: c.row.client_number, matterNumber: c.row.matter_number },
        refersTo: referencedInvoices({ ...c.terms, reallocation: c.terms.reallocation ?? verdict.allocations }),
        reallocated: c.terms.reallocation !== null,
        clientMismatchAccepted: c.terms.clientMismatchAccepted,
        rejectedByMms: c.terms.rejectedByMms,
        statusChanged: verdict.status !== c.row.status,
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
          detail: { cause, reasons: { before: o.before.reasons, after: o.after.reasons }, ...(sameLines(o.before.allocations, o.after.allocations) ? {} : { allocations: { before: o.before.allocations, after: o.after.allocations } }) },
        })),
    );
    return outcomes;
  }
}

/**
 * After records stopped taking from their invoices (removed, reversed), the records on
 * those invoices are judged again. The records' lines are read as they still are.
 */
export async function freeClaims(tx: Db, firmId: string, actor: Actor, recordIds: string[], cause: string, now: Date): Promise<void> {
  if (recordIds.length === 0) return;
  const lines = await loadAllocations(tx, firmId, recordIds);
  const invoices = [...lines.values()].flat().flatMap((a) => (a.invoiceNumber !== null && a.amountCents > 0 ? [a.invoiceNumber] : []));
  if (invoices.length > 0) await reconcileRecords(tx, firmId, actor, { invoices }, cause, now);
}

/** The same lines, in the same order. */
export function sameLines(a: readonly Allocation[], b: readonly Allocation[]): boolean {
  return (
    a.length === b.length &&
    a.every((x, i) => {
      const y = b[i]!;
      return x.invoiceNumber === y.invoiceNumber && x.clientNumber === y.clientNumber && x.matterNumber === y.matterNumber && x.amountCents === y.amountCents;
    })
  );
}

/**
 * An incomplete record more claims on its invoices can still change: one not yet marked
 * exceeds_balance, or one whose lines an oldest-first spread may have to move (several
 * invoice numbers, no lines of its own). take_payment's fingerprint (intake_facts,
 * migration 0007) lists the same records.
 */
const CAN_GAIN_FROM_CLAIMS = sql.raw(
  "(not ('exceeds_balance' = any(r.reasons)) or (cardinality(r.invoice_numbers) > 1 and not r.reallocated))",
);

/** The records to judge, locked in id order: open records referring to the area, and those named. */
async function loadContenders(tx: Db, firmId: string, area: string[], named: string[], mattersAdded: boolean, claimsAddedOnly: boolean): Promise<ContenderRow[]> {
  const rows = await tx
    .selectFrom('posting_records as r')
    .innerJoin('payments as p', (j) => j.onRef('p.firm_id', '=', 'r.firm_id').onRef('p.id', '=', 'r.payment_id'))
    .select([
      'r.id', 'r.status', 'r.reasons', 'r.status_changed_at', 'r.processed_at', 'r.account', 'r.amount_cents', 'r.reallocated',
      'r.client_mismatch_accepted', 'r.mms_status', 'p.invoice_numbers', 'p.client_number', 'p.matter_number', 'p.payer_allocations', 'p.payer_name',
    ])
    .where('r.firm_id', '=', firmId)
    .where('p.firm_id', '=', firmId)
    .where('r.reversal_of', 'is', null)
    .where((eb) =>
      eb.or([
        claimsAddedOnly
          ? eb.and([eb('r.status', '=', 'incomplete'), sql<boolean>`r.refers_to && ${area}::text[]`, sql<boolean>`${CAN_GAIN_FROM_CLAIMS}`])
          : eb.and([eb('r.status', 'in', ['pending', 'incomplete']), sql<boolean>`r.refers_to && ${area}::text[]`]),
        sql<boolean>`r.id = any(${named}::uuid[])`,
        ...(mattersAdded ? [eb.and([eb('r.status', '=', 'incomplete'), eb('r.account', '=', 'trust')])] : []),
      ]),
    )
    .orderBy('r.id')
    .forUpdate(['r'])
    .execute();
  return rows;
}
