import type { Db } from '../../db/connect.ts';
import { BATCH_RECORDS_ACKNOWLEDGED, BATCH_RECORDS_POSTED } from '../../db/audit.ts';
import { loadRecordViews } from '../../db/postings.ts';
import { notFound } from '../../errors.ts';
import { isUuid } from '../../ids.ts';
import { getBatch } from '../batches/list-batches.ts';
import { loadPaymentView } from '../payments/payment-view.ts';

/** One record with its payment, its batch and its history, oldest event first. */
export async function getRecord(db: Db, firmId: string, id: string) {
  if (!isUuid(id)) throw notFound('posting record', id);
  const [record] = await loadRecordViews(db, firmId, [id]);
  if (!record) throw notFound('posting record', id);
  const events = await db
    .selectFrom('audit_events')
    .select(['at', 'actor_kind', 'actor_label', 'action', 'from_status', 'to_status', 'detail'])
    .where('firm_id', '=', firmId)
    .where((eb) => {
      const own = eb('record_id', '=', id);
      if (!record.batchId) return own;
      // What happened to the record's whole batch at once (posted, acknowledged) is in its history too.
      return eb.or([own, eb.and([eb('record_id', 'is', null), eb('batch_id', '=', record.batchId), eb('action', 'in', [BATCH_RECORDS_POSTED, BATCH_RECORDS_ACKNOWLEDGED])])]);
    })
    .orderBy('id')
    .execute();
  return {
    ...record,
    payment: await loadPaymentView(db, firmId, record.paymentId),
    batch: record.batchId ? await getBatch(db, firmId, record.batchId) : null,
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
