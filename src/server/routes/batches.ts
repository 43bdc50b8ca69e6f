import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../usecases/auth/principal.ts';
import { acknowledgeBatch } from '../../usecases/batches/acknowledge-batch.ts';
import { recordMmsAnswer } from '../../usecases/batches/record-mms-answer.ts';
import { batchFile, getBatch, listBatches, undeliveredBatches } from '../../usecases/batches/list-batches.ts';
import { requirePrincipal } from '../auth.ts';
import { idParam, memoText, requiredText } from '../schemas.ts';
import { batchOut } from '../views.ts';
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

export function batchRoutes({ db }: RouteDeps): FastifyPluginAsync {
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
      schema: { summary: 'Undelivered batches, oldest first', response: { 200: z.object({ items: z.array(batchOut) }) } },
    }, async (request) => undeliveredBatches(db, firmOf(request)));

    app.get('/agent/batches/:id/file', { config: { access: 'agent' }, schema: { summary: "The batch file's bytes", params: idParam } }, async (request, reply) =>
      sendFile(firmOf(request), request.params.id, reply),
    );

    app.post('/agent/batches/:id/ack', {
      config: { access: 'agent' },
      schema: {
        summary: 'Acknowledge delivery; idempotent; a wrong sha256 is 409',
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
