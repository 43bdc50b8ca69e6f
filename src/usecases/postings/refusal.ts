import type { Db } from '../../db/connect.ts';
import { readRecordFacts } from '../../db/postings.ts';
import { readTimeZone } from '../../db/firms.ts';
import { calendarDateIn, toUsDate } from '../../domain/dates.ts';
import { formatUsd } from '../../domain/money.ts';
import { refusalInWords, refusedFor, type RecordAction } from '../../domain/state-machine.ts';
import type { RecordStatus } from '../../domain/types.ts';

/** A record in words: "Dana Whitfield's payment of $1,250.00 on 03/02/2026 (invoice INV-101)". */
export function recordInWords(facts: {
  payer_name: string;
  amount_cents: number | string;
  processed_at: Date;
  invoice_numbers: string[];
  time_zone: string;
}): string {
  const cents = Number(facts.amount_cents);
  const what = cents < 0 ? 'reversal' : 'payment';
  const day = toUsDate(calendarDateIn(facts.processed_at, facts.time_zone));
  const invoices = facts.invoice_numbers.length
    ? ` (invoice${facts.invoice_numbers.length > 1 ? 's' : ''} ${facts.invoice_numbers.join(', ')})`
    : '';
  return `${facts.payer_name}'s ${what} of ${formatUsd(Math.abs(cents))} on ${day}${invoices}`;
}

/** The records named in words, by id; "a posting record" for one not found. */
export async function recordsInWords(tx: Db, firmId: string, ids: readonly string[]): Promise<Map<string, string>> {
  const rows = await readRecordFacts(tx, firmId, ids);
  return new Map(rows.map((row) => [row.id, recordInWords(row)]));
}

/**
 * The records named in words for one message, joined by "; ": each as `each` says it
 * (by default just the record), "a posting record" for one not found.
 */
export async function listInWords(
  tx: Db,
  firmId: string,
  ids: readonly string[],
  each: (words: string, id: string) => string = (words) => words,
): Promise<string> {
  const words = await recordsInWords(tx, firmId, ids);
  return ids.map((id) => each(words.get(id) ?? 'a posting record', id)).join('; ');
}

/** A payment in words, as a record is: "Dana Whitfield's payment of $1,250.00 on 03/02/2026 (invoice INV-101)". */
export async function paymentInWords(
  tx: Db,
  firmId: string,
  payment: { payer_name: string; amount_cents: number | string; processed_at: Date; invoice_numbers: string[] },
): Promise<string> {
  return recordInWords({ ...payment, time_zone: await readTimeZone(tx, firmId) });
}

/**
 * All-or-nothing: the machine is asked whether each record allows the action; if it
 * refuses any, invalid_state names each such record in words and says what to do instead.
 */
export async function refuseUnless(
  tx: Db,
  firmId: string,
  records: readonly { id: string; status: RecordStatus }[],
  action: RecordAction,
  verb: string,
  needs: string,
): Promise<void> {
  const refused = refusedFor(records, action);
  if (refused.length === 0) return;
  const words = await recordsInWords(
    tx,
    firmId,
    refused.map((r) => r.id),
  );
  throw refusalInWords(
    verb,
    action,
    refused.map((r) => ({ id: r.id, status: r.status, words: words.get(r.id) ?? 'a posting record' })),
    needs,
  );
}
