import type { Db } from '../../db/connect.ts';
import { notFound } from '../../domain/errors.ts';

export interface PaymentView {
  id: string;
  processorId: string;
  processedAt: string;
  amountCents: number;
  surchargeCents: number;
  method: string;
  cardBrand: string | null;
  last4: string | null;
  account: string;
  payerName: string;
  payerEmail: string | null;
  invoiceNumbers: string[];
  clientNumber: string | null;
  matterNumber: string | null;
  origin: string;
  paymentPageId: string | null;
  status: string;
  reversedAt: string | null;
  postingRecordId: string | null;
  postingStatus: string | null;
}

export function selectPaymentViews(db: Db, firmId: string) {
  return db
    .selectFrom('payments as p')
    .leftJoin('posting_records as r', (j) =>
      j.onRef('r.firm_id', '=', 'p.firm_id').onRef('r.payment_id', '=', 'p.id').on('r.reversal_of', 'is', null),
    )
    .where('p.firm_id', '=', firmId)
    .select([
      'p.id', 'p.processor_id', 'p.processed_at', 'p.amount_cents', 'p.surcharge_cents', 'p.method', 'p.card_brand', 'p.last4',
      'p.account', 'p.payer_name', 'p.payer_email', 'p.invoice_numbers', 'p.client_number', 'p.matter_number', 'p.origin',
      'p.payment_page_id', 'p.status', 'p.reversed_at', 'r.id as record_id', 'r.status as record_status',
    ]);
}

type PaymentRow = Awaited<ReturnType<ReturnType<typeof selectPaymentViews>['execute']>>[number];

export function toPaymentView(row: PaymentRow): PaymentView {
  return {
    id: row.id,
    processorId: row.processor_id,
    processedAt: row.processed_at.toISOString(),
    amountCents: row.amount_cents,
    surchargeCents: row.surcharge_cents,
    method: row.method,
    cardBrand: row.card_brand,
    last4: row.last4,
    account: row.account,
    payerName: row.payer_name,
    payerEmail: row.payer_email,
    invoiceNumbers: row.invoice_numbers,
    clientNumber: row.client_number,
    matterNumber: row.matter_number,
    origin: row.origin,
    paymentPageId: row.payment_page_id,
    status: row.status,
    reversedAt: row.reversed_at ? row.reversed_at.toISOString() : null,
    postingRecordId: row.record_id,
    postingStatus: row.record_status,
  };
}

export async function loadPaymentView(db: Db, firmId: string, paymentId: string): Promise<PaymentView> {
  const row = await selectPaymentViews(db, firmId).where('p.id', '=', paymentId).executeTakeFirst();
  if (!row) throw notFound('payment', paymentId);
  return toPaymentView(row);
}
