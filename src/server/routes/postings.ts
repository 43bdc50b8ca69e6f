import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../usecases/auth/principal.ts';
import { editRecord } from '../../usecases/postings/edit-record.ts';
import { getRecord } from '../../usecases/postings/get-record.ts';
import { countRecords, listRecords, VIEWS } from '../../usecases/postings/list-records.ts';
import { moveToPending } from '../../usecases/postings/move-to-pending.ts';
import { postRecords } from '../../usecases/postings/post-records.ts';
import { removeRecords } from '../../usecases/postings/remove-records.ts';
import { requirePrincipal } from '../auth.ts';
import { allocationIn, idParam, listFilters, memoText, text } from '../../contract/fields.ts';
import { postingRecord, recordDetail } from '../../contract/postings.ts';
import type { RouteDeps } from './index.ts';



const listQuery = listFilters.extend({
  view: z.enum(VIEWS).default('pending_incomplete'),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  sort: z.enum(['asc', 'desc']).default('desc'),
});

const ids = z.array(z.string().max(100)).min(1).max(100_000);
const batchOut = z.object({ id: z.string(), seq: z.number(), fileName: z.string(), lineCount: z.number(), recordCount: z.number(), totalCents: z.number() });

const count = z.number().int();
const viewCounts = z.object({
  pending_incomplete: count,
  pending: count,
  incomplete: count,
  posted: count,
  removed: count,
  queued: count,
  all: count,
  pendingTotalCents: z
    .number()
    .optional()
    .describe('the sum of the pending records under the same filters: what Post All would post when unfiltered; absent when the sum is more than a JSON number holds exactly'),
});

export function postingRoutes({ db }: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    const firmOf = (r: Parameters<typeof requirePrincipal>[0]) => requirePrincipal(r).firmId;

    app.get('/postings', {
      config: { access: 'user' },
      schema: { summary: 'One page of a Manage Postings view', querystring: listQuery, response: { 200: z.object({ items: z.array(postingRecord), nextCursor: z.string().nullable() }) } },
    }, async (request) => listRecords(db, firmOf(request), request.query));

    app.get('/postings/counts', {
      config: { access: 'user' },
      schema: { summary: 'The count of every view under the same filters', querystring: listFilters, response: { 200: viewCounts } },
    }, async (request) => countRecords(db, firmOf(request), request.query));

    app.get('/postings/:id', {
      config: { access: 'user' },
      schema: { summary: 'A record with its payment, batch and history', params: idParam, response: { 200: recordDetail } },
    }, async (request) => getRecord(db, firmOf(request), request.params.id));

    app.patch('/postings/:id', {
      config: { access: 'accountant' },
      schema: {
        summary: 'Edit Posting Record / Reallocate Payment',
        params: idParam,
        body: z
          .object({
            version: z.number().int().min(1),
            allocations: z.array(allocationIn).min(1).max(100),
            memo: memoText(500).optional(),
            acceptClientMismatch: z.boolean().optional().describe("true: a third party pays this client's invoice (an accepted client mismatch is no conflict); absent: as it was"),
            mmsProblemFixed: z.boolean().optional().describe('true: what the MMS refused is fixed outside paybridge, post it again as it is (new allocations say so too)'),
          })
          .strict(),
        response: { 200: postingRecord },
      },
    }, async (request) => editRecord(db, firmOf(request), actorOf(requirePrincipal(request)), request.params.id, request.body));

    app.post('/postings/post', {
      config: { access: 'accountant' },
      schema: {
        summary: 'Post Selected ({ ids }) or Post All ({ all: true }): one batch; batch is null when nothing was pending',
        body: z.union([z.object({ ids }).strict(), z.object({ all: z.literal(true) }).strict()]),
        response: { 200: z.object({ batch: batchOut.nullable() }) },
      },
    }, async (request) => ({ batch: await postRecords(db, firmOf(request), actorOf(requirePrincipal(request)), request.body) }));

    app.post('/postings/remove', {
      config: { access: 'accountant' },
      schema: { summary: 'Remove Posts', body: z.object({ ids, note: text(500).optional() }).strict(), response: { 200: z.object({ removed: z.number() }) } },
    }, async (request) => removeRecords(db, firmOf(request), actorOf(requirePrincipal(request)), request.body.ids, request.body.note?.trim() || null));

    app.post('/postings/move-to-pending', {
      config: { access: 'accountant' },
      schema: {
        summary: 'Move to Pending: removed records are classified again',
        body: z.object({ ids }).strict(),
        response: { 200: z.object({ records: z.array(z.object({ id: z.string(), status: z.string(), reasons: z.array(z.string()) })) }) },
      },
    }, async (request) => moveToPending(db, firmOf(request), actorOf(requirePrincipal(request)), request.body.ids));
  };
}

