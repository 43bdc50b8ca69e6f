import { formatUsd } from '../../domain/money.ts';
import { REASON_TEXT, REASONS, type Reason } from '../../domain/types.ts';
import type { HistoryEvent } from '../api/types.ts';

/** One event of a record's history in words: what happened, then what changed with it. */
export interface HistoryText {
  title: string;
  notes: string[];
}

/** Why another path judged the record again, as the server names it (the audit's `cause`). */
const CAUSES: Record<string, string> = {
  sync: 'a sync',
  removal: 'another record was removed',
  'payment reversed': 'another payment was reversed',
  payment_taken: 'another payment was taken in',
  'auto-apply setting': 'the auto-apply setting changed',
  'move to pending': 'another record was moved to pending',
  'refusal by the MMS': 'the MMS refused it',
};

function causeText(cause: unknown): string {
  if (typeof cause !== 'string' || cause.trim() === '') return 'a change elsewhere';
  // A record's own edit writes `edited`; `edit of <id>` is always another record's.
  if (cause.startsWith('edit of ')) return 'another record was edited';
  return CAUSES[cause] ?? cause.replaceAll('_', ' ');
}

/** A client or matter number as the detail holds it; '?' when it holds none. */
const textOf = (value: unknown): string =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : '?';

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function reasonsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((r): r is string => typeof r === 'string') : [];
}

const isReason = (value: string): value is Reason => (REASONS as readonly string[]).includes(value);

function reasonsText(reasons: string[]): string {
  return reasons.length === 0
    ? 'none'
    : reasons.map((r) => (isReason(r) ? REASON_TEXT[r] : r.replaceAll('_', ' '))).join('; ');
}

function linesText(value: unknown): string | null {
  if (!Array.isArray(value)) return null;
  const lines = value.filter(isObject).map((line) => {
    const target =
      typeof line.invoiceNumber === 'string'
        ? line.invoiceNumber
        : `${textOf(line.clientNumber)}/${textOf(line.matterNumber)}`;
    return typeof line.amountCents === 'number' ? `${target} ${formatUsd(line.amountCents)}` : target;
  });
  return lines.length === 0 ? 'nothing' : lines.join(', ');
}

/** " (batch #4)" where the event names the batch it came with. */
function batchOf(detail: Record<string, unknown>): string {
  return typeof detail.seq === 'number' ? ` (batch #${detail.seq})` : '';
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

function statusChange(event: HistoryEvent): string {
  if (event.from && event.to && event.from !== event.to) return `${event.from} → ${event.to}`;
  if (event.to) return event.from ? `still ${event.to}` : event.to;
  return '';
}

function allocationNote(detail: Record<string, unknown>): string[] {
  const change = detail.allocations;
  if (!isObject(change)) return [];
  const before = linesText(change.before);
  const after = linesText(change.after);
  return before !== null && after !== null && before !== after ? [`Allocated: ${after} (was ${before})`] : [];
}

/**
 * "Re-classified after a sync: incomplete → pending", with the conflicts before and after
 * where they changed; an edit says when it accepted or withdrew a third-party payment.
 */
export function describeEvent(event: HistoryEvent): HistoryText {
  const detail = isObject(event.detail) ? event.detail : {};
  const change = statusChange(event);
  const titled = (words: string) => (change ? `${words}: ${change}` : words);
  switch (event.action) {
    case 'reclassified': {
      const notes: string[] = [];
      if (isObject(detail.reasons)) {
        const before = reasonsOf(detail.reasons.before);
        const after = reasonsOf(detail.reasons.after);
        if (!sameSet(before, after))
          notes.push(`Conflicts before: ${reasonsText(before)}`, `Conflicts after: ${reasonsText(after)}`);
      }
      return {
        title: titled(`Re-classified after ${causeText(detail.cause)}`),
        notes: [...notes, ...allocationNote(detail)],
      };
    }
    case 'edited': {
      const notes: string[] = [];
      const accepted = detail.clientMismatchAccepted;
      if (isObject(accepted) && typeof accepted.after === 'boolean' && accepted.before !== accepted.after) {
        notes.push(accepted.after ? 'Third-party payment accepted' : 'Third-party payment acceptance withdrawn');
      }
      notes.push(...allocationNote(detail));
      if (detail.mmsRejectionFixed === true) notes.push('What the MMS refused is fixed: the record can go out again');
      if (isObject(detail.memo)) notes.push('Memo changed');
      const reasons = reasonsOf(detail.reasons);
      if (reasons.length > 0) notes.push(`Conflicts: ${reasonsText(reasons)}`);
      return { title: titled('Edited'), notes };
    }
    case 'created': {
      const reasons = reasonsOf(detail.reasons);
      return { title: titled('Created'), notes: reasons.length > 0 ? [`Conflicts: ${reasonsText(reasons)}`] : [] };
    }
    case 'rejected_by_mms': {
      const message = typeof detail.message === 'string' ? detail.message : null;
      return {
        title: titled(`Refused by the MMS${batchOf(detail)}`),
        notes: message ? [`The MMS said: “${message}”`] : [],
      };
    }
    case 'mms_applied':
      return { title: `Applied in the MMS${batchOf(detail)}`, notes: [] };
    default: {
      const words = event.action.replaceAll('_', ' ');
      // What happened to a whole batch (posted, acknowledged) names it: a refused record goes out in more than one.
      return { title: titled(words.charAt(0).toUpperCase() + words.slice(1) + batchOf(detail)), notes: [] };
    }
  }
}
