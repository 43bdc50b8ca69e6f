import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  correctPosting,
  countPostings,
  editPosting,
  getPosting,
  listPostings,
  moveToPendingPostings,
  postPostings,
  removePostings,
  suggestPosting,
} from '../../contract/postings.ts';
import { actorOf } from '../../domain/actor.ts';
import { correctRecord } from '../../usecases/postings/correct-record.ts';
import { editRecord } from '../../usecases/postings/edit-record.ts';
import { getRecord } from '../../usecases/postings/get-record.ts';
import { countRecords, listRecords } from '../../usecases/postings/list-records.ts';
import { moveToPending } from '../../usecases/postings/move-to-pending.ts';
import { postRecords } from '../../usecases/postings/post-records.ts';
import { removeRecords } from '../../usecases/postings/remove-records.ts';
import { suggestRecordAllocations } from '../../usecases/postings/suggest-allocations.ts';
import { requirePrincipal } from '../auth.ts';
import { routeOf } from '../route.ts';
import type { RouteDeps } from './index.ts';

export function postingRoutes({ db }: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    const firmOf = (r: Parameters<typeof requirePrincipal>[0]) => requirePrincipal(r).firmId;
    const actor = (r: Parameters<typeof requirePrincipal>[0]) => actorOf(requirePrincipal(r));

    app.route({
      ...routeOf(listPostings),
      handler: async (request) => listRecords(db, firmOf(request), request.query),
    });
    app.route({
      ...routeOf(countPostings),
      handler: async (request) => countRecords(db, firmOf(request), request.query),
    });
    app.route({
      ...routeOf(getPosting),
      handler: async (request) => getRecord(db, firmOf(request), request.params.id),
    });
    app.route({
      ...routeOf(suggestPosting),
      handler: async (request) => suggestRecordAllocations(db, firmOf(request), request.params.id),
    });
    app.route({
      ...routeOf(editPosting),
      handler: async (request) => editRecord(db, firmOf(request), actor(request), request.params.id, request.body),
    });
    app.route({
      ...routeOf(correctPosting),
      handler: async (request) => correctRecord(db, firmOf(request), actor(request), request.params.id, request.body),
    });
    app.route({
      ...routeOf(postPostings),
      handler: async (request) => ({ batch: await postRecords(db, firmOf(request), actor(request), request.body) }),
    });
    app.route({
      ...routeOf(removePostings),
      handler: async (request) =>
        removeRecords(db, firmOf(request), actor(request), request.body.ids, request.body.note?.trim() || null),
    });
    app.route({
      ...routeOf(moveToPendingPostings),
      handler: async (request) => moveToPending(db, firmOf(request), actor(request), request.body.ids),
    });
  };
}
