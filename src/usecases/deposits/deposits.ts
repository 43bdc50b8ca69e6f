import type { z } from 'zod';
import type { depositStatementEndpoint, payoutLineOut, payoutOut } from '../../contract/deposits.ts';
import type { Db } from '../../db/connect.ts';
import {
  findPayoutRow,
  listPayoutRows,
  payoutLineRows,
  statementRows,
  type PayoutLineRow,
  type PayoutListQuery,
  type PayoutRow,
} from '../../db/payouts.ts';
import { monthDays } from '../../domain/dates.ts';
import { mmsStateOf, needsAttention } from '../../domain/deposits.ts';
import { badRequest, notFound } from '../../domain/errors.ts';
import { isUuid } from '../../domain/ids.ts';
import { addCents, cents, ZERO_CENTS } from '../../domain/money.ts';

export type PayoutView = z.output<typeof payoutOut>;
export type PayoutLineView = z.output<typeof payoutLineOut>;
type Statement = z.output<(typeof depositStatementEndpoint)['response']>;

/** Deposits (SPEC §5.3): the payouts the processor reported, as the screen and its exports show them. */

export function toPayoutView(row: PayoutRow): PayoutView {
  return {
    id: row.id,
    processorPayoutId: row.processor_payout_id,
    depositAccountId: row.deposit_account_id,
    depositAccountName: row.deposit_account_name,
    account: row.account,
    settledOn: row.settled_on,
    paidAt: row.paid_at.toISOString(),
    paidOn: row.paid_on,
    grossCents: row.gross_cents,
    refundsCents: row.refunds_cents,
    chargebacksCents: row.chargebacks_cents,
    feesCents: row.fees_cents,
    netCents: row.net_cents,
    lineCount: row.line_count,
    paymentCount: row.payment_count,
    unappliedCount: row.unapplied_count,
  };
}

export function toPayoutLineView(row: PayoutLineRow): PayoutLineView {
  const record =
    row.record_id && row.record_status
      ? { id: row.record_id, status: row.record_status, batchId: row.batch_id, batchSeq: row.batch_seq }
      : null;
  const state = mmsStateOf(row.kind, record && { status: record.status, mmsStatus: row.mms_status });
  return {
    line: row.line,
    kind: row.kind,
    amountCents: row.amount_cents,
    processorId: row.processor_id,
    refundId: row.refund_id,
    payment:
      row.payment_id && row.payer_name !== null && row.processed_at && row.method && row.payment_status
        ? {
            id: row.payment_id,
            payerName: row.payer_name,
            processedAt: row.processed_at.toISOString(),
            method: row.method,
            amountCents: row.payment_cents ?? 0,
            status: row.payment_status,
            depositAccountId: row.payment_deposit_account_id ?? '',
          }
        : null,
    postingRecord: record,
    mmsState: state,
    needsAttention: needsAttention(state),
  };
}

function checkedQuery(query: PayoutListQuery): PayoutListQuery {
  if (query.from && query.to && query.from > query.to) throw badRequest('from is after to', { field: 'from' });
  if (query.depositAccountId !== undefined && !isUuid(query.depositAccountId))
    throw badRequest(`depositAccountId "${query.depositAccountId.slice(0, 40)}" is not a deposit account id`, {
      field: 'depositAccountId',
    });
  return query;
}

export async function listDeposits(
  db: Db,
  firmId: string,
  query: PayoutListQuery,
): Promise<{ items: PayoutView[]; nextCursor: string | null }> {
  const { rows, nextCursor } = await listPayoutRows(db, firmId, checkedQuery(query));
  return { items: rows.map(toPayoutView), nextCursor };
}

/** The lines of a payout are read a page at a time (a payout may carry a busy day's thousands). */
export const LINE_PAGE = 1000;

export async function findPayout(db: Db, firmId: string, payoutId: string): Promise<PayoutRow> {
  const row = isUuid(payoutId) ? await findPayoutRow(db, firmId, payoutId) : undefined;
  if (!row) throw notFound('payout', payoutId);
  return row;
}

/** Every line of the payouts, in the order of `payoutIds` and then by line, a page at a time, each with its payout's id. */
export async function* linesOf(
  db: Db,
  firmId: string,
  payoutIds: readonly string[],
): AsyncGenerator<{ payoutId: string; line: PayoutLineView }[]> {
  let after = { payoutIndex: 0, line: 0 };
  for (;;) {
    const rows = await payoutLineRows(db, firmId, payoutIds, after, LINE_PAGE);
    if (rows.length === 0) return;
    yield rows.map((row) => ({ payoutId: row.payout_id, line: toPayoutLineView(row) }));
    const last = rows.at(-1)!;
    after = { payoutIndex: last.payout_index, line: last.line };
    if (rows.length < LINE_PAGE) return;
  }
}

export async function getDeposit(
  db: Db,
  firmId: string,
  payoutId: string,
): Promise<{ payout: PayoutView; lines: PayoutLineView[] }> {
  const payout = toPayoutView(await findPayout(db, firmId, payoutId));
  const lines: PayoutLineView[] = [];
  for await (const page of linesOf(db, firmId, [payout.id])) lines.push(...page.map((p) => p.line));
  return { payout, lines };
}

/** The first and last day of a month given as YYYY-MM. */
/** A month's statement: per deposit account, the payouts paid on its days and their totals. */
export async function depositStatement(db: Db, firmId: string, month: string): Promise<Statement> {
  const { from, to } = monthDays(month);
  const rows = await statementRows(db, firmId, from, to);
  const firm = await db.selectFrom('firms').select('name').where('id', '=', firmId).executeTakeFirstOrThrow();
  const accounts = rows.map((r) => ({
    depositAccountId: r.deposit_account_id,
    name: r.name,
    kind: r.kind,
    payoutCount: r.payout_count,
    paymentCount: r.payment_count,
    volumeCents: r.volume_cents,
    refundsCents: r.refunds_cents,
    chargebacksCents: r.chargebacks_cents,
    feesCents: r.fees_cents,
    netCents: r.net_cents,
  }));
  const sum = (key: 'volumeCents' | 'refundsCents' | 'chargebacksCents' | 'feesCents' | 'netCents') =>
    accounts.reduce((total, a) => addCents(total, cents(a[key])), ZERO_CENTS);
  return {
    month,
    firmName: firm.name,
    accounts,
    totals: {
      payoutCount: accounts.reduce((n, a) => n + a.payoutCount, 0),
      paymentCount: accounts.reduce((n, a) => n + a.paymentCount, 0),
      volumeCents: sum('volumeCents'),
      refundsCents: sum('refundsCents'),
      chargebacksCents: sum('chargebacksCents'),
      feesCents: sum('feesCents'),
      netCents: sum('netCents'),
    },
  };
}
