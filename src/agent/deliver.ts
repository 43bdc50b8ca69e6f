import { ServerError, type BatchOutcome, type BatchRef, type LongPoll, type OutcomeAnswer } from './client.ts';
import { crashPoint } from './crash.ts';
import { QuarantinedError, type Quarantine } from './quarantine.ts';
import type { Sink, SinkContext } from './sinks/sink.ts';
import { plural } from '../domain/plural.ts';

export interface DeliveryResult {
  delivered: number;
  waiting: number;
  /** Batches whose MMS answer the server took in this round. */
  answered: number;
}

/** At most this many records per outcome report, so a large batch's answer stays well within the server's body limit. */
export const RECORDS_PER_REPORT = 1000;

/** The server refused the MMS's answer for some batches; deliveries went on, and the answers are offered again next round. */
export class AnswerRefusedError extends Error {
  constructor(
    readonly failures: { seq: number; reason: string }[],
    /** What the round did besides: it ran to its end. */
    readonly result: DeliveryResult,
  ) {
    super(
      `the server did not take the MMS's answer for ${failures.map((f) => `batch ${f.seq} (${f.reason})`).join(', ')}; it is offered again next round`,
    );
    this.name = 'AnswerRefusedError';
  }
}

/** A record-by-record answer goes in slices; each slice is idempotent on the server, so a slice sent twice changes nothing. */
async function sendOutcome({ client }: SinkContext, batch: BatchRef, outcome: BatchOutcome): Promise<OutcomeAnswer> {
  if (!('records' in outcome)) return client.reportOutcome(batch, outcome);
  const total: OutcomeAnswer = { applied: 0, rejected: 0, alreadyAnswered: 0 };
  for (let start = 0; start < outcome.records.length; start += RECORDS_PER_REPORT) {
    const answer = await client.reportOutcome(batch, {
      records: outcome.records.slice(start, start + RECORDS_PER_REPORT),
    });
    total.applied += answer.applied;
    total.rejected += answer.rejected;
    total.alreadyAnswered += answer.alreadyAnswered;
  }
  return total;
}

function describeOutcome(outcome: BatchOutcome): string {
  if ('records' in outcome) {
    const rejected = outcome.records.filter((r) => r.outcome === 'rejected').length;
    return `${plural(outcome.records.length - rejected, 'record')} applied, ${rejected} rejected`;
  }
  return outcome.outcome === 'applied' ? 'applied' : `rejected: ${outcome.message}`;
}

/**
 * Tells the server the MMS's answer for one batch, if the MMS has given it. The answer is
 * journaled only once the server has taken it: after a crash in between, the restarted
 * agent finds the answer again (in the folders, or in the journal's commit) and tells the
 * server again, which takes the same answer twice as once.
 */
async function reportAnswer(sink: Sink, batch: BatchRef, context: SinkContext): Promise<boolean> {
  const { journal, logger } = context;
  const outcome = await sink.answer(batch, context);
  if (outcome === null) return false;
  crashPoint('before-report');
  const counts = await sendOutcome(context, batch, outcome);
  crashPoint('after-report');
  const summary = describeOutcome(outcome);
  if (!journal.stepsOf(batch.id, batch.sha256).has('answered')) await journal.append('answered', batch, summary);
  const rejected =
    'records' in outcome ? outcome.records.some((r) => r.outcome === 'rejected') : outcome.outcome === 'rejected';
  const fields = { seq: batch.seq, batchId: batch.id, fileName: batch.fileName, ...counts };
  if (rejected) logger.warn(fields, `the MMS's answer for batch ${batch.seq} told to paybridge: ${summary}`);
  else logger.info(fields, `the MMS's answer for batch ${batch.seq} told to paybridge: ${summary}`);
  return true;
}

/**
 * Reports what it can. A batch whose answer the server refuses (4xx) is set aside so that
 * neither other answers nor deliveries wait behind it; anything else (the server out of
 * reach, a 5xx) ends the round.
 */
async function reportAnswers(
  sink: Sink,
  batches: BatchRef[],
  context: SinkContext,
  refused: { seq: number; reason: string }[],
): Promise<number> {
  let answered = 0;
  for (const batch of batches) {
    try {
      if (await reportAnswer(sink, batch, context)) answered += 1;
    } catch (error) {
      if (!(error instanceof ServerError) || error.status === null || error.status >= 500 || error.status === 401)
        throw error;
      context.logger.error(
        { seq: batch.seq, batchId: batch.id, status: error.status, code: error.code },
        `the MMS's answer for batch ${batch.seq}: ${error.message}`,
      );
      refused.push({ seq: batch.seq, reason: error.message });
    }
  }
  return answered;
}

/**
 * One delivery round. First the MMS's answers for batches delivered before (so a halt or
 * a failed delivery never holds them back), then every undelivered batch, oldest first,
 * each delivered and then acknowledged before the next is touched (batch N+1 waits for N),
 * and its answer reported as soon as the MMS has given it. The first failed delivery ends
 * the round; the next round starts again from the oldest batch the server still lists.
 * With `wait`, the list is a long-poll: while no batch waits, the server holds it open
 * until one is made, and the round delivers it the moment it is answered.
 */
export async function deliverWaitingBatches(
  sink: Sink,
  quarantine: Quarantine,
  context: SinkContext,
  wait?: LongPoll,
): Promise<DeliveryResult> {
  const { client, journal, logger } = context;
  const refused: { seq: number; reason: string }[] = [];
  let answered = await reportAnswers(sink, journal.awaitingAnswer(), context, refused);
  const halted = await quarantine.markers();
  if (halted.length > 0) {
    await quarantine.tellServer(client, logger, halted);
    throw new QuarantinedError(halted);
  }
  const batches = [...(await client.batches(wait))].sort((a, b) => a.seq - b.seq);
  if (batches.length > 0)
    logger.info({ waiting: batches.length, seqs: batches.map((b) => b.seq) }, 'batches waiting for delivery');
  // An acknowledgement the server took while this agent crashed or lost its reply: the
  // server lists the batch no more, and without the journal's `acked` its answer would
  // never be reported, leaving its records awaiting the MMS for good.
  const listed = new Set(batches.map((b) => b.id));
  for (const batch of journal.unconfirmedAcks()) {
    if (listed.has(batch.id)) continue; // still waiting: acknowledged again below
    const expectAnswer = journal.expectsAnswer(batch.id, batch.sha256);
    await journal.append('acked', batch, 'the server took the acknowledgement before a crash or a lost reply', {
      expectAnswer,
    });
    if (expectAnswer) answered += await reportAnswers(sink, [batch], context, refused);
  }
  let delivered = 0;
  for (const batch of batches) {
    const steps = journal.stepsOf(batch.id, batch.sha256);
    // Acknowledged before (the server may have lost it, say from a restored backup): ack again, never resend.
    if (!steps.has('acked')) await sink.deliver(batch, context);
    if (sink.expectsAnswer && !journal.stepsOf(batch.id, batch.sha256).has('acking') && !steps.has('acked'))
      await journal.append('acking', batch, undefined, { expectAnswer: true });
    crashPoint('before-ack');
    const answer = await client.acknowledge(batch, sink.expectsAnswer);
    crashPoint('after-ack');
    if (!steps.has('acked') || journal.expectsAnswer(batch.id, batch.sha256) !== sink.expectsAnswer) {
      await journal.append('acked', batch, undefined, { expectAnswer: sink.expectsAnswer });
    }
    logger.info(
      {
        seq: batch.seq,
        batchId: batch.id,
        fileName: batch.fileName,
        alreadyAcknowledged: answer.alreadyAcknowledged,
        expectAnswer: sink.expectsAnswer,
      },
      'batch acknowledged',
    );
    delivered += 1;
    if (sink.expectsAnswer) answered += await reportAnswers(sink, [batch], context, refused);
  }
  if (refused.length > 0) throw new AnswerRefusedError(refused, { delivered, waiting: batches.length, answered });
  return { delivered, waiting: batches.length, answered };
}
