import type { Db } from '../../db/connect.ts';
import { readRecordHistory } from '../../db/audit.ts';
import { loadRecordViews, readCorrections, readReversals } from '../../db/postings.ts';
import { correctionsOf } from '../../domain/corrections.ts';
import { notFound } from '../../domain/errors.ts';
import { isUuid } from '../../domain/ids.ts';
import { getBatch } from '../batches/list-batches.ts';
import { loadPaymentView } from '../payments/payment-view.ts';

/** One record with its payment, its batch, its reversals and corrections, and its history, oldest event first. */
export async function getRecord(db: Db, firmId: string, id: string) {
  if (!isUuid(id)) throw notFound('posting record', id);
  const [record] = await loadRecordViews(db, firmId, [id]);
  if (!record) throw notFound('posting record', id);
  const events = await readRecordHistory(db, firmId, id);
  return {
    ...record,
    payment: await loadPaymentView(db, firmId, record.paymentId),
    batch: record.batchId ? await getBatch(db, firmId, record.batchId) : null,
    reversals: await readReversals(db, firmId, id),
    ...correctionsOf(record.id, await readCorrections(db, firmId, record)),
    history: events.map((e) => ({
      at: e.at.toISOString(),
      actor: e.actor_label,
      actorKind: e.actor_kind,
      action: e.action,
      from: e.from_status,
      to: e.to_status,
      detail: e.detail ?? null,
    })),
  };
}
