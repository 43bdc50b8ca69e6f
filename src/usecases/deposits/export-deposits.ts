import type { Db } from '../../db/connect.ts';
import { readTimeZone } from '../../db/firms.ts';
import { payoutRowsPaidBetween } from '../../db/payouts.ts';
import { monthDays } from '../../domain/dates.ts';
import { MMS_STATE_TEXT, PAYOUT_KIND_TEXT } from '../../domain/deposits.ts';
import { exportFileName, firmDayCell, type XlsxColumn } from '../../domain/spreadsheet.ts';
import { writeXlsx, type XlsxExport } from '../exports/write-xlsx.ts';
import { findPayout, linesOf, toPayoutView, type PayoutLineView, type PayoutView } from './deposits.ts';

/** One row of a deposits export: a payout line with the payout it is in. */
interface DepositLine {
  payout: PayoutView;
  line: PayoutLineView;
}

const day = (iso: string) => new Date(`${iso}T00:00:00.000Z`);

/** The columns of a deposits export: the payout, then the line and what it is linked to. */
const depositLineColumns = (timeZone: string): readonly XlsxColumn<DepositLine>[] => [
  { header: 'Paid on', width: 12, kind: 'date', value: (r) => day(r.payout.paidOn) },
  { header: 'Deposit account', width: 20, kind: 'text', value: (r) => r.payout.depositAccountName },
  { header: 'Account', width: 10, kind: 'text', value: (r) => r.payout.account },
  { header: 'Payout', width: 30, kind: 'text', value: (r) => r.payout.processorPayoutId },
  { header: 'Payments of', width: 12, kind: 'date', value: (r) => day(r.payout.settledOn) },
  { header: 'Payout net', width: 14, kind: 'money', value: (r) => r.payout.netCents },
  { header: 'Line', width: 6, kind: 'number', value: (r) => r.line.line },
  { header: 'Kind', width: 14, kind: 'text', value: (r) => PAYOUT_KIND_TEXT[r.line.kind] },
  { header: 'Amount', width: 14, kind: 'money', value: (r) => r.line.amountCents },
  { header: 'Payer', width: 24, kind: 'text', value: (r) => r.line.payment?.payerName ?? null },
  {
    header: 'Payment date',
    width: 12,
    kind: 'text',
    value: (r) =>
      r.line.payment ? firmDayCell(r.line.payment.processedAt, timeZone).toISOString().slice(0, 10) : null,
  },
  { header: 'Processor id', width: 28, kind: 'text', value: (r) => r.line.processorId },
  { header: 'Payment id', width: 38, kind: 'text', value: (r) => r.line.payment?.id ?? null },
  { header: 'Posting record', width: 38, kind: 'text', value: (r) => r.line.postingRecord?.id ?? null },
  { header: 'Record status', width: 12, kind: 'text', value: (r) => r.line.postingRecord?.status ?? null },
  { header: 'Batch', width: 8, kind: 'number', value: (r) => r.line.postingRecord?.batchSeq ?? null },
  { header: 'MMS', width: 20, kind: 'text', value: (r) => MMS_STATE_TEXT[r.line.mmsState] },
  { header: 'Needs attention', width: 10, kind: 'text', value: (r) => (r.line.needsAttention ? 'Yes' : null) },
];

async function* rowsOf(db: Db, firmId: string, payouts: readonly PayoutView[]): AsyncGenerator<DepositLine[]> {
  const byId = new Map(payouts.map((p) => [p.id, p]));
  for await (const page of linesOf(
    db,
    firmId,
    payouts.map((p) => p.id),
  ))
    yield page.map(({ payoutId, line }) => ({ payout: byId.get(payoutId)!, line }));
}

function exportOf(db: Db, firmId: string, payouts: PayoutView[], fileParts: string[], now: Date, timeZone: string) {
  return {
    fileName: exportFileName(fileParts, now, timeZone),
    write: (out) => writeXlsx(out, 'Deposits', depositLineColumns(timeZone), rowsOf(db, firmId, payouts)),
  } satisfies XlsxExport;
}

/** Export to Excel of one payout's lines. */
export async function exportDeposit(db: Db, firmId: string, payoutId: string, now = new Date()): Promise<XlsxExport> {
  const payout = toPayoutView(await findPayout(db, firmId, payoutId));
  const timeZone = await readTimeZone(db, firmId);
  return exportOf(db, firmId, [payout], ['deposit', payout.paidOn, payout.depositAccountName], now, timeZone);
}

/** Export to Excel of every line of the payouts paid in a month. */
export async function exportDepositMonth(db: Db, firmId: string, month: string, now = new Date()): Promise<XlsxExport> {
  const { from, to } = monthDays(month);
  const payouts = (await payoutRowsPaidBetween(db, firmId, from, to)).map(toPayoutView);
  const timeZone = await readTimeZone(db, firmId);
  return exportOf(db, firmId, payouts, ['deposits', month], now, timeZone);
}
