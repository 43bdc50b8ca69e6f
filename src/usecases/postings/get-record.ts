import type { Db } from '../../db/connect.ts';
import { BATCH_RECORDS_ACKNOWLEDGED, BATCH_RECORDS_POSTED } from '../../db/audit.ts';
import { loadRecordViews } from '../../db/postings.ts';
import { notFound } from '../../domain/errors.ts';
import { isUuid } from '../../domain/ids.ts';
import { getBatch } from '../batches/list-batches.ts';
import { BATCH_RECORDS_APPLIED } from '../batches/record-mms-answer.ts';
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
    .where((eb) =>
      eb.or([
        eb('record_id', '=', id),
        // What happened at once to a whole batch the record went out in (posted, acknowledged,
        // applied by the MMS) is in its history too: a record the MMS refused may have gone
        // out again in a later batch.
        eb.and([
          eb('record_id', 'is', null),
          eb('batch_id', 'in', eb.selectFrom('batch_lines').select('batch_id').where('firm_id', '=', firmId).where('record_id', '=', id)),
          eb('action', 'in', [BATCH_RECORDS_POSTED, BATCH_RECORDS_ACKNOWLEDGED, BATCH_RECORDS_APPLIED]),
        ]),
      ]),
    )
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
