import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { cancelQuickLink, createQuickLink, listQuickLinks } from '../../contract/links.ts';
import { actorOf } from '../../domain/actor.ts';
import { cancelLink } from '../../usecases/links/cancel-link.ts';
import { createQuickLink as create } from '../../usecases/links/create-link.ts';
import { listLinks } from '../../usecases/links/list-links.ts';
import { requirePrincipal } from '../auth.ts';
import { routeOf } from '../route.ts';
import type { RouteDeps } from './index.ts';

/** Quick Links (Send For Payment): payments by link for an amount and a description. */
export function quickLinkRoutes({ db }: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.route({
      ...routeOf(createQuickLink, { config: { answerHoldsSecret: true } }),
      handler: async (request, reply) => {
        const principal = requirePrincipal(request);
        return reply.code(201).send(await create(db, principal.firmId, actorOf(principal), request.body));
      },
    });
    app.route({
      ...routeOf(listQuickLinks),
      handler: async (request) => listLinks(db, requirePrincipal(request).firmId, 'quick', request.query),
    });
    app.route({
      ...routeOf(cancelQuickLink),
      handler: async (request) => {
        const principal = requirePrincipal(request);
        return cancelLink(db, principal.firmId, actorOf(principal), 'quick', request.params.id);
      },
    });
  };
}
