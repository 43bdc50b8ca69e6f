import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { agentAck, agentBatches, agentBatchFile, agentOutcome, agentQuarantine } from '../../contract/agent.ts';
import { batchFileEndpoint, getBatchEndpoint, listBatchesEndpoint } from '../../contract/batches.ts';
import { actorOf } from '../../domain/actor.ts';
import { acknowledgeBatch } from '../../usecases/batches/acknowledge-batch.ts';
import { batchFile, getBatch, listBatches, undeliveredBatches } from '../../usecases/batches/list-batches.ts';
import { recordMmsAnswer } from '../../usecases/batches/record-mms-answer.ts';
import { reportQuarantine } from '../../usecases/batches/report-quarantine.ts';
import { requirePrincipal } from '../auth.ts';
import { liveRequest, readUntil } from '../live.ts';
import { routeOf } from '../route.ts';
import type { RouteDeps } from './index.ts';

export function batchRoutes({ db, live }: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    const firmOf = (r: Parameters<typeof requirePrincipal>[0]) => requirePrincipal(r).firmId;

    app.route({
      ...routeOf(listBatchesEndpoint),
      handler: async (request) => listBatches(db, firmOf(request), request.query.cursor, request.query.limit),
    });
    app.route({
      ...routeOf(getBatchEndpoint),
      handler: async (request) => getBatch(db, firmOf(request), request.params.id),
    });

    const sendFile = async (firmId: string, id: string, reply: FastifyReply) => {
      const file = await batchFile(db, firmId, id);
      return reply
        .type(file.fileName.endsWith('.csv') ? 'text/csv; charset=utf-8' : 'application/octet-stream')
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .header('x-sha256', file.sha256)
        .send(file.content);
    };

    app.route({
      ...routeOf(batchFileEndpoint),
      handler: async (request, reply) => sendFile(firmOf(request), request.params.id, reply),
    });
    app.route({
      ...routeOf(agentBatchFile),
      handler: async (request, reply) => sendFile(firmOf(request), request.params.id, reply),
    });

    app.route({
      ...routeOf(agentBatches),
      handler: async (request, reply) => {
        const firmId = firmOf(request);
        const waitMs = request.query.waitSeconds * 1000;
        if (waitMs === 0) return undeliveredBatches(db, firmId);
        const { signal, done } = liveRequest(live, request, reply);
        try {
          const answer = await readUntil(
            live,
            firmId,
            'batches.changed',
            waitMs,
            signal,
            () => undeliveredBatches(db, firmId),
            (a) => a.items.length > 0,
          );
          // Answered early because the server is closing: the connection goes with it.
          if (live.isClosing) reply.header('connection', 'close');
          return answer;
        } finally {
          done();
        }
      },
    });

    app.route({
      ...routeOf(agentAck),
      handler: async (request) => {
        const principal = requirePrincipal(request);
        const { sha256, expectAnswer } = request.body;
        return acknowledgeBatch(
          db,
          principal.firmId,
          actorOf(principal),
          request.params.id,
          sha256,
          new Date(),
          expectAnswer ?? false,
        );
      },
    });

    app.route({
      ...routeOf(agentOutcome),
      handler: async (request) => {
        const principal = requirePrincipal(request);
        return recordMmsAnswer(db, principal.firmId, actorOf(principal), request.params.id, request.body);
      },
    });

    app.route({
      ...routeOf(agentQuarantine),
      handler: async (request) => {
        const principal = requirePrincipal(request);
        return reportQuarantine(db, principal.firmId, actorOf(principal), request.params.id, request.body.reason);
      },
    });
  };
}
