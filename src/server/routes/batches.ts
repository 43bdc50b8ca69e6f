import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../domain/actor.ts';
import { acknowledgeBatch } from '../../usecases/batches/acknowledge-batch.ts';
import { recordMmsAnswer } from '../../usecases/batches/record-mms-answer.ts';
import { batchFile, getBatch, listBatches, undeliveredBatches } from '../../usecases/batches/list-batches.ts';
import { requirePrincipal } from '../auth.ts';
import { liveRequest, readUntil } from '../live.ts';
import { agentHeadersDoc, idParam, memoText, requiredText } from '../../contract/fields.ts';
import { batchOut } from '../../contract/batches.ts';
import type { RouteDeps } from './index.ts';

/** The MMS's words: what an import's .error file or the procedure's exception said, trimmed by the agent to fit. */
const mmsMessage = memoText(2000).refine((v) => v.trim().length > 0, { message: 'must not be empty' });

const mmsAnswerIn = z.union([
  z.object({ outcome: z.literal('applied') }).strict(),
  z.object({ outcome: z.literal('rejected'), message: mmsMessage }).strict(),
  z.object({
    records: z.array(z.object({ recordId: requiredText(64), outcome: z.enum(['applied', 'rejected']), message: mmsMessage.optional() }).strict()).min(1).max(200_000),
  }).strict(),
]);

/** The longest an agent's long-poll is held: under the 60 s at which many proxies give up on a quiet request. */
export const MAX_WAIT_SECONDS = 55;

export function batchRoutes({ db, live }: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    const firmOf = (r: Parameters<typeof requirePrincipal>[0]) => requirePrincipal(r).firmId;

    app.get('/batches', {
      config: { access: 'user' },
      schema: {
        summary: 'Batch history, newest first',
        querystring: z.object({ cursor: z.string().max(20).optional(), limit: z.coerce.number().int().min(1).max(500).default(50) }),
        response: { 200: z.object({ items: z.array(batchOut), nextCursor: z.string().nullable() }) },
      },
    }, async (request) => listBatches(db, firmOf(request), request.query.cursor, request.query.limit));

    app.get('/batches/:id', { config: { access: 'user' }, schema: { params: idParam, response: { 200: batchOut } } }, async (request) =>
      getBatch(db, firmOf(request), request.params.id),
    );

    const sendFile = async (firmId: string, id: string, reply: FastifyReply) => {
      const file = await batchFile(db, firmId, id);
      return reply
        .type(file.fileName.endsWith('.csv') ? 'text/csv; charset=utf-8' : 'application/octet-stream')
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .header('x-sha256', file.sha256)
        .send(file.content);
    };

    app.get('/batches/:id/file', { config: { access: 'user' }, schema: { summary: 'Download the batch file', params: idParam } }, async (request, reply) =>
      sendFile(firmOf(request), request.params.id, reply),
    );

    app.get('/agent/batches', {
      config: { access: 'agent' },
      schema: {
        summary: 'Undelivered batches, oldest first; with waitSeconds, held until there is one (long-poll)',
        description: [
          `waitSeconds 1–${MAX_WAIT_SECONDS}: when the firm has no undelivered batch, the answer is held until a batch is made`,
          '(a Post on any server instance wakes it at once) or the seconds pass, then answers as without it, possibly with no items.',
          '0, the default, answers at once. A server shutting down answers held requests at once.',
        ].join(' '),
        headers: agentHeadersDoc,
        querystring: z.object({
          waitSeconds: z.coerce.number().int().min(0).max(MAX_WAIT_SECONDS).default(0).describe('how long to hold the answer while nothing waits, in whole seconds'),
        }),
        response: { 200: z.object({ items: z.array(batchOut) }) },
      },
    }, async (request, reply) => {
      const firmId = firmOf(request);
      const waitMs = request.query.waitSeconds * 1000;
      if (waitMs === 0) return undeliveredBatches(db, firmId);
      const { signal, done } = liveRequest(live, request, reply);
      try {
        const answer = await readUntil(live, firmId, 'batches.changed', waitMs, signal, () => undeliveredBatches(db, firmId), (a) => a.items.length > 0);
        // Answered early because the server is closing: the connection goes with it.
        if (live.isClosing) reply.header('connection', 'close');
        return answer;
      } finally {
        done();
      }
    });

    app.get('/agent/batches/:id/file', { config: { access: 'agent' }, schema: { summary: "The batch file's bytes", headers: agentHeadersDoc, params: idParam } }, async (request, reply) =>
      sendFile(firmOf(request), request.params.id, reply),
    );

    app.post('/agent/batches/:id/ack', {
      config: { access: 'agent' },
      schema: {
        summary: 'Acknowledge delivery; idempotent; a wrong sha256 is 409',
        headers: agentHeadersDoc,
        params: idParam,
        body: z
          .object({
            sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex digits'),
            expectAnswer: z.boolean().optional().describe("true: this agent will report the MMS's answer (POST /agent/batches/{id}/outcome); absent or false: none will come, and the delivery counts as applied"),
          })
          .strict(),
        response: { 200: z.object({ id: z.string(), seq: z.number(), status: z.literal('delivered'), deliveredAt: z.string(), alreadyAcknowledged: z.boolean() }) },
      },
    }, async (request) => {
      const principal = requirePrincipal(request);
      return acknowledgeBatch(db, principal.firmId, actorOf(principal), request.params.id, request.body.sha256, new Date(), request.body.expectAnswer ?? false);
    });

    app.post('/agent/batches/:id/outcome', {
      config: { access: 'agent' },
      schema: {
        summary: "What the MMS did with a delivered batch: the whole file applied or refused, or record by record (SPEC §5.1); idempotent",
        description: 'A refused record goes back to Incomplete with reason rejected_by_mms and the message as mmsMessage. The same answer again changes nothing; another answer for a record already answered is 409; a batch not yet acknowledged is 409.',
        headers: agentHeadersDoc,
        params: idParam,
        body: mmsAnswerIn,
        response: { 200: z.object({ applied: z.number(), rejected: z.number(), alreadyAnswered: z.number() }) },
      },
    }, async (request) => {
      const principal = requirePrincipal(request);
      return recordMmsAnswer(db, principal.firmId, actorOf(principal), request.params.id, request.body);
    });
  };
}
