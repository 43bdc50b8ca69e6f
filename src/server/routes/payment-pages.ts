import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  createPaymentPageEndpoint,
  listPaymentPagesEndpoint,
  updatePaymentPageEndpoint,
} from '../../contract/payment-pages.ts';
import { actorOf } from '../../domain/actor.ts';
import { createPaymentPage } from '../../usecases/payment-pages/create-payment-page.ts';
import { listPaymentPages } from '../../usecases/payment-pages/list-payment-pages.ts';
import { updatePaymentPage } from '../../usecases/payment-pages/update-payment-page.ts';
import { requirePrincipal } from '../auth.ts';
import { routeOf } from '../route.ts';
import type { RouteDeps } from './index.ts';

export function paymentPageRoutes({ db }: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.route({
      ...routeOf(listPaymentPagesEndpoint),
      handler: async (request) => listPaymentPages(db, requirePrincipal(request).firmId),
    });
    app.route({
      ...routeOf(createPaymentPageEndpoint),
      handler: async (request, reply) => {
        const principal = requirePrincipal(request);
        return reply.code(201).send(await createPaymentPage(db, principal.firmId, actorOf(principal), request.body));
      },
    });
    app.route({
      ...routeOf(updatePaymentPageEndpoint),
      handler: async (request) => {
        const principal = requirePrincipal(request);
        return updatePaymentPage(db, principal.firmId, actorOf(principal), request.params.id, request.body);
      },
    });
  };
}
