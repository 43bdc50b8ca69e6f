import { addClaims, claimsOf } from './claims.ts';
import { classify, type ClassifyInput, type Verdict } from './classify.ts';
import type { Cents } from './money.ts';

/** What classify takes from the record and its payment (the rest is the firm's mirror). */
export type RecordTerms = Omit<ClassifyInput, 'invoices' | 'matters' | 'appliedElsewhere' | 'autoApply'>;

/** A pending or incomplete record whose verdict may change, or one being acted on now. */
export interface Contender {
  id: string;
  /**
   * `pending` and `incomplete` are the record's stored status. `acted` is a record being
   * taken in, edited or moved to pending right now: it is classified against the claims of
   * the records already pending, never displacing one of them.
   */
  standing: 'pending' | 'incomplete' | 'acted';
  /** For a pending record, when it became pending (ISO instant): the first keeps its claim. */
  pendingSince: string | null;
  /** The payment's time (ISO instant): among incomplete records, the oldest payment goes first. */
  processedAt: string;
  terms: RecordTerms;
}

export interface Mirror {
  invoices: ClassifyInput['invoices'];
  matters: ClassifyInput['matters'];
  /** Per invoice, what records that are NOT contenders take from it (queued, posted, other pending). */
  takenByOthers: ReadonlyMap<string, Cents>;
  autoApply: boolean;
}

/**
 * Classifies a record's terms against the mirror: what other records take from an invoice
 * is applied elsewhere. Allocations that could never be stored throw AllocationError.
 */
export function classifyAgainst(mirror: Mirror, terms: RecordTerms): Verdict {
  return classify({
    ...terms,
    invoices: mirror.invoices,
    matters: mirror.matters,
    appliedElsewhere: mirror.takenByOthers,
    autoApply: mirror.autoApply,
  });
}

const GROUP = { pending: 0, acted: 1, incomplete: 2 } as const;

/** Pending records first in the order they became pending, then the acted, then the incomplete. */
export function priority(a: Contender, b: Contender): number {
  return (
    GROUP[a.standing] - GROUP[b.standing] ||
    compare(a.standing === 'pending' ? a.pendingSince : null, b.standing === 'pending' ? b.pendingSince : null) ||
    compare(a.processedAt, b.processedAt) ||
    compare(a.id, b.id)
  );
}

function compare(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

/**
 * SPEC §3.4, for a group of records that compete for the same invoices: a verdict for
 * each such that every one of them is exactly what classify says of it given all the
 * others. Records are taken in priority order, each pending verdict claiming its lines
 * before the next record is classified: a record already pending keeps its claim (when a
 * sync lowers a balance, the first to become pending stays), a record acted on now never
 * displaces one, and an incomplete record becomes pending only where room is left. Then
 * every incomplete record is classified once more against all the claims, so its reasons
 * (exceeds_balance) are those of the final state.
 *
 * Pure: what to load and what to save is the caller's business.
 */
export function reconcile(contenders: readonly Contender[], mirror: Mirror): Map<string, Verdict> {
  const ordered = [...contenders].sort(priority);
  const claims = new Map(mirror.takenByOthers);
  const verdicts = new Map<string, Verdict>();
  // The mirror with the claims made so far: each pending verdict adds its own.
  const claimed: Mirror = { ...mirror, takenByOthers: claims };
  const judge = (contender: Contender): Verdict => classifyAgainst(claimed, contender.terms);

  for (const contender of ordered) {
    const verdict = judge(contender);
    verdicts.set(contender.id, verdict);
    if (verdict.status === 'pending') addClaims(claims, claimsOf('pending', verdict.allocations));
  }
  // Claims only grew after an incomplete record was judged, and more claims never make a
  // record pending, so one more pass settles the reasons. The loop is a guard, not a need.
  for (let settled = false; !settled;) {
    settled = true;
    for (const contender of ordered) {
      if (verdicts.get(contender.id)?.status !== 'incomplete') continue;
      const verdict = judge(contender);
      verdicts.set(contender.id, verdict);
      if (verdict.status === 'pending') {
        addClaims(claims, claimsOf('pending', verdict.allocations));
        settled = false;
      }
    }
  }
  return verdicts;
}
