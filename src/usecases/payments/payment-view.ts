import type { Db } from '../../db/connect.ts';
import { findPaymentView, type PaymentView } from '../../db/payments.ts';
import { notFound } from '../../domain/errors.ts';

export async function loadPaymentView(db: Db, firmId: string, paymentId: string): Promise<PaymentView> {
  const view = await findPaymentView(db, firmId, paymentId);
  if (!view) throw notFound('payment', paymentId);
  return view;
}
