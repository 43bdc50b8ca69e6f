import { sql } from 'kysely';
import type { Db } from './connect.ts';
import { decodeCursor, encodeCursor } from '../domain/paging.ts';
import type { PayoutLine, PayoutTotals } from '../domain/payouts.ts';
import type { Account, Method, PaymentStatus, RecordStatus } from '../domain/types.ts';
import type { PayoutLineKind } from '../domain/payouts.ts';

/** paybridge's record of the processor's payouts (SPEC §5.3): what the Deposits screen reads. */

export interface NewPayout extends PayoutTotals {
  processorPayoutId: string;
  depositAccountId: string;
  account: Account;
  settledOn: string;
  paidAt: Date;
  paidOn: string;
  paymentCount: number;
  lines: readonly PayoutLine[];
}

const LINES_PER_INSERT = 1000;

/** Keeps a payout and its lines; null when the firm already has it (the event came again). */
export async function insertPayout(db: Db, firmId: string, payout: NewPayout): Promise<string | null> {
  const made = await db
    .insertInto('payouts')
    .values({
      firm_id: firmId,
      processor_payout_id: payout.processorPayoutId,
      deposit_account_id: payout.depositAccountId,
      account: payout.account,
      settled_on: payout.settledOn,
      paid_at: payout.paidAt,
      paid_on: payout.paidOn,
      gross_cents: payout.grossCents,
      refunds_cents: payout.refundsCents,
      chargebacks_cents: payout.chargebacksCents,
      fees_cents: payout.feesCents,
      net_cents: payout.netCents,
      line_count: payout.lines.length,
      payment_count: payout.paymentCount,
    })
    .onConflict((oc) => oc.columns(['firm_id', 'processor_payout_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!made) return null;
  for (let start = 0; start < payout.lines.length; start += LINES_PER_INSERT) {
    await db
      .insertInto('payout_lines')
      .values(
        payout.lines.slice(start, start + LINES_PER_INSERT).map((l, i) => ({
          firm_id: firmId,
          payout_id: made.id,
          line: start + i + 1,
          kind: l.kind,
          processor_id: l.paymentId,
          refund_id: l.refundId ?? null,
          amount_cents: l.amountCents,
        })),
      )
      .execute();
  }
  return made.id;
}

export interface PayoutRow {
  id: string;
  processor_payout_id: string;
  deposit_account_id: string;
  deposit_account_name: string;
  account: Account;
  settled_on: string;
  paid_at: Date;
  paid_on: string;
  gross_cents: number;
  refunds_cents: number;
  chargebacks_cents: number;
  fees_cents: number;
  net_cents: number;
  line_count: number;
  payment_count: number;
  unapplied_count: number;
}

/**
 * Each payout with its count of lines that need the accountant: the lines keep their
 * record and whether they need attention (migration 0036, kept by triggers as records
 * come and change), so the count reads the flagged lines' index entries alone.
 */
function payoutSelect() {
  return sql`
    select o.id, o.processor_payout_id, o.deposit_account_id, d.name as deposit_account_name, o.account,
      o.settled_on, o.paid_at, o.paid_on, o.gross_cents, o.refunds_cents, o.chargebacks_cents, o.fees_cents,
      o.net_cents, o.line_count, o.payment_count,
      (select count(*)::int from payout_lines l
        where l.firm_id = o.firm_id and l.payout_id = o.id and l.needs_attention) as unapplied_count
    from payouts o
    join deposit_accounts d on d.firm_id = o.firm_id and d.id = o.deposit_account_id`;
}

export interface PayoutListQuery {
  from?: string | undefined;
  to?: string | undefined;
  account?: Account | undefined;
  depositAccountId?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

/** A page of the firm's payouts, newest paid first, and the cursor of the next. */
export async function listPayoutRows(
  db: Db,
  firmId: string,
  query: PayoutListQuery,
): Promise<{ rows: PayoutRow[]; nextCursor: string | null }> {
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const rows = await sql<PayoutRow>`
    ${payoutSelect()}
    where o.firm_id = ${firmId}
      ${query.from ? sql`and o.paid_on >= ${query.from}` : sql``}
      ${query.to ? sql`and o.paid_on <= ${query.to}` : sql``}
      ${query.account ? sql`and o.account = ${query.account}` : sql``}
      ${query.depositAccountId ? sql`and o.deposit_account_id = ${query.depositAccountId}::uuid` : sql``}
      ${after ? sql`and (o.paid_at, o.id) < (${after.at}, ${after.id}::uuid)` : sql``}
    order by o.paid_at desc, o.id desc
    limit ${query.limit + 1}`.execute(db);
  const page = rows.rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    rows: page,
    nextCursor: rows.rows.length > query.limit && last ? encodeCursor({ at: last.paid_at, id: last.id }) : null,
  };
}

export async function findPayoutRow(db: Db, firmId: string, payoutId: string): Promise<PayoutRow | undefined> {
  const rows = await sql<PayoutRow>`
    ${payoutSelect()}
    where o.firm_id = ${firmId} and o.id = ${payoutId}::uuid`.execute(db);
  return rows.rows[0];
}

/** The firm's payouts paid on the days from `from` to `to`, oldest first (a month's export). */
export async function payoutRowsPaidBetween(db: Db, firmId: string, from: string, to: string): Promise<PayoutRow[]> {
  const rows = await sql<PayoutRow>`
    ${payoutSelect()}
    where o.firm_id = ${firmId} and o.paid_on between ${from} and ${to}
    order by o.paid_at, o.id`.execute(db);
  return rows.rows;
}

export interface PayoutLineRow {
  payout_id: string;
  /** The payout's place in the list asked for, from 1. */
  payout_index: number;
  line: number;
  kind: PayoutLineKind;
  processor_id: string;
  refund_id: string | null;
  amount_cents: number;
  payment_id: string | null;
  payer_name: string | null;
  processed_at: Date | null;
  method: Method | null;
  payment_cents: number | null;
  payment_status: PaymentStatus | null;
  payment_deposit_account_id: string | null;
  record_id: string | null;
  record_status: RecordStatus | null;
  mms_status: 'awaiting' | 'applied' | 'rejected' | null;
  batch_id: string | null;
  batch_seq: number | null;
}

/**
 * Up to `limit` lines of the payouts after line `after.line` of the `after.payoutIndex`th, in
 * the payouts' order then by line. A payment's lines (its payment, surcharge and fee lines)
 * share its payment and mostly its record, so each is read once for the page: the biggest
 * payout's 1,358 lines, of 698 payments, read 5,019 buffers for their first 1,000, against
 * 11,571 through payout_line_facts line by line (the same columns; the view stays).
 */
export async function payoutLineRows(
  db: Db,
  firmId: string,
  payoutIds: readonly string[],
  after: { payoutIndex: number; line: number },
  limit: number,
): Promise<PayoutLineRow[]> {
  if (payoutIds.length === 0) return [];
  const rows = await sql<PayoutLineRow>`
    with page as materialized (
      select l.payout_id, l.line, l.kind, l.processor_id, l.refund_id, l.amount_cents, l.record_id, o.ordinality
      from unnest(${sql.val(payoutIds)}::uuid[]) with ordinality as o(id, ordinality)
      join payout_lines l on l.firm_id = ${firmId} and l.payout_id = o.id
      where (o.ordinality, l.line) > (${after.payoutIndex}, ${after.line})
      order by o.ordinality, l.line
      limit ${limit}
    ), paid as materialized (
      select p.processor_id, p.id, p.payer_name, p.processed_at, p.method, p.amount_cents, p.status, p.deposit_account_id
      from payments p
      where p.firm_id = ${firmId} and p.processor_id in (select processor_id from page)
    ), carried as materialized (
      select r.id, r.status, r.mms_status, r.batch_id, b.seq
      from posting_records r
      left join batches b on b.firm_id = r.firm_id and b.id = r.batch_id
      where r.firm_id = ${firmId} and r.id in (select record_id from page)
    )
    select l.payout_id, l.line, l.kind, l.processor_id, l.refund_id, l.amount_cents, p.id as payment_id, p.payer_name,
      p.processed_at, p.method, p.amount_cents as payment_cents, p.status as payment_status,
      p.deposit_account_id as payment_deposit_account_id, r.id as record_id, r.status as record_status, r.mms_status,
      r.batch_id, r.seq as batch_seq, l.ordinality::int as payout_index
    from page l
    left join paid p on p.processor_id = l.processor_id
    left join carried r on r.id = l.record_id
    order by l.ordinality, l.line`.execute(db);
  return rows.rows;
}

export interface StatementRow {
  deposit_account_id: string;
  name: string;
  kind: Account;
  payout_count: number;
  payment_count: number;
  volume_cents: number;
  refunds_cents: number;
  chargebacks_cents: number;
  fees_cents: number;
  net_cents: number;
}

/** Per deposit account, the totals of the payouts paid on the days from `from` to `to`. */
export async function statementRows(db: Db, firmId: string, from: string, to: string): Promise<StatementRow[]> {
  const rows = await sql<StatementRow>`
    select d.id as deposit_account_id, d.name, d.kind, count(o.id)::int as payout_count,
      coalesce(sum(o.payment_count), 0)::int as payment_count,
      coalesce(sum(o.gross_cents), 0)::bigint as volume_cents,
      coalesce(sum(o.refunds_cents), 0)::bigint as refunds_cents,
      coalesce(sum(o.chargebacks_cents), 0)::bigint as chargebacks_cents,
      coalesce(sum(o.fees_cents), 0)::bigint as fees_cents,
      coalesce(sum(o.net_cents), 0)::bigint as net_cents
    from deposit_accounts d
    left join payouts o on o.firm_id = d.firm_id and o.deposit_account_id = d.id and o.paid_on between ${from} and ${to}
    where d.firm_id = ${firmId} and (not d.archived or o.id is not null)
    group by d.id, d.name, d.kind, d.is_default
    order by d.kind, d.is_default desc, d.name`.execute(db);
  return rows.rows;
}
