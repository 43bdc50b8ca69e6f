import { addCents, ZERO_CENTS, type Cents } from './money.ts';
import type { Allocation, RecordStatus } from './types.ts';

/** One allocation line of a posting record, as the balance rule sees it. */
export interface ClaimLine {
  recordId: string;
  status: RecordStatus;
  invoiceNumber: string | null;
  amountCents: Cents;
  /**
   * A sync of the line's invoice, read after the MMS took the line, has brought the
   * invoice's new balance: the mirror shows this money now, so the line no longer counts.
   */
  reflected: boolean;
}

/**
 * SPEC §3.4: what a line takes from its invoice's synced open balance. Money the MMS's
 * balance does not show yet: pending and queued records, and posted ones until a sync
 * reflects them. Incomplete and removed records take nothing; a reversal (negative
 * line) frees nothing until the MMS has taken it and a sync shows it.
 *
 * The database computes the same rule for speed: line_claim_cents, summed per invoice
 * into invoice_claims by triggers as lines and statuses change, which invoice_applied
 * reads (migration 0029); test/db/claims-rule.test.ts holds the two equal.
 */
export function takesFromInvoice(line: ClaimLine): boolean {
  if (line.invoiceNumber === null || line.amountCents <= 0) return false;
  return line.status === 'pending' || line.status === 'queued' || (line.status === 'posted' && !line.reflected);
}

/** Per invoice number, what the lines of records other than `excluded` take from it. */
export function takenByOthers(
  lines: Iterable<ClaimLine>,
  excluded: ReadonlySet<string> = new Set(),
): Map<string, Cents> {
  const taken = new Map<string, Cents>();
  for (const line of lines) {
    if (excluded.has(line.recordId) || !takesFromInvoice(line) || line.invoiceNumber === null) continue;
    taken.set(line.invoiceNumber, addCents(taken.get(line.invoiceNumber) ?? ZERO_CENTS, line.amountCents));
  }
  return taken;
}

/** What a pending verdict's lines take, per invoice (an incomplete one takes nothing). */
export function claimsOf(status: RecordStatus, allocations: readonly Allocation[]): Map<string, Cents> {
  return takenByOthers(
    allocations.map((a) => ({
      recordId: '',
      status,
      invoiceNumber: a.invoiceNumber,
      amountCents: a.amountCents,
      reflected: false,
    })),
  );
}

/** Adds `more` into `into`, per invoice. */
export function addClaims(into: Map<string, Cents>, more: ReadonlyMap<string, Cents>): void {
  for (const [invoice, amount] of more) into.set(invoice, addCents(into.get(invoice) ?? ZERO_CENTS, amount));
}

/** A record judged again: its status and lines before, and its verdict now. */
export interface Rejudged {
  before: { status: RecordStatus; allocations: readonly Allocation[] };
  after: { status: RecordStatus; allocations: readonly Allocation[] };
}

/**
 * The invoices outside `area` on which what these records claim moved: the records on
 * those invoices may move too, so a reclassification widens to them.
 */
export function claimsMovedOutside(records: readonly Rejudged[], area: ReadonlySet<string>): string[] {
  const before = new Map<string, Cents>();
  const after = new Map<string, Cents>();
  for (const r of records) {
    addClaims(before, claimsOf(r.before.status, r.before.allocations));
    addClaims(after, claimsOf(r.after.status, r.after.allocations));
  }
  return [...new Set([...before.keys(), ...after.keys()])].filter(
    (n) => !area.has(n) && (before.get(n) ?? 0) !== (after.get(n) ?? 0),
  );
}
