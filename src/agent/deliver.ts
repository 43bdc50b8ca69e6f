import { crashPoint } from './crash.ts';
import { QuarantinedError, type Quarantine } from './quarantine.ts';
import type { Sink, SinkContext } from './sinks/sink.ts';

export interface DeliveryResult {
  delivered: number;
  waiting: number;
}

/**
 * One delivery round: every undelivered batch, oldest first, each delivered and then
 * acknowledged before the next is touched (batch N+1 waits for N). The first failure ends
 * the round; the next round starts again from the oldest batch the server still lists.
 */
export async function deliverWaitingBatches(sink: Sink, quarantine: Quarantine, context: SinkContext): Promise<DeliveryResult> {
  const { client, journal, logger } = context;
  const halted = await quarantine.markers();
  if (halted.length > 0) throw new QuarantinedError(halted);
  const batches = [...(await client.batches())].sort((a, b) => a.seq - b.seq);
  if (batches.length > 0) logger.info({ waiting: batches.length, seqs: batches.map((b) => b.seq) }, 'batches waiting for delivery');
  let delivered = 0;
  for (const batch of batches) {
    const steps = journal.stepsOf(batch.id, batch.sha256);
    // Acknowledged before (the server may have lost it, say from a restored backup): ack again, never resend.
    if (!steps.has('acked')) await sink.deliver(batch, context);
    crashPoint('before-ack');
    const answer = await client.acknowledge(batch);
    crashPoint('after-ack');
    if (!steps.has('acked')) await journal.append('acked', batch);
    logger.info({ seq: batch.seq, batchId: batch.id, fileName: batch.fileName, alreadyAcknowledged: answer.alreadyAcknowledged }, 'batch acknowledged');
    delivered += 1;
  }
  return { delivered, waiting: batches.length };
}
