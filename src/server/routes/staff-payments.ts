import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { cancelPaymentLink, createPaymentLink, listPaymentLinks } from '../../contract/links.ts';
import { choiceOf, enterPayment, makeConnectPayment } from '../../contract/staff-payments.ts';
import { actorOf } from '../../domain/actor.ts';
import { cancelLink } from '../../usecases/links/cancel-link.ts';
import { createPaymentLink as createLink } from '../../usecases/links/create-link.ts';
import { listLinks } from '../../usecases/links/list-links.ts';
import { enterPayment as enter } from '../../usecases/staff-payments/enter-payment.ts';
import { makeConnectPayment as makePayment } from '../../usecases/staff-payments/make-connect-payment.ts';
import { requirePrincipal } from '../auth.ts';
import { routeOf } from '../route.ts';
import type { RouteDeps } from './index.ts';

/** Staff taking payments: Make A Payment (pay now or send a link) and Enter Payment. */
export function staffPaymentRoutes({ db, processor }: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.route({
      ...routeOf(makeConnectPayment),
      handler: async (request, reply) => {
        const principal = requirePrincipal(request);
        const { token, payerName, payerEmail } = request.body;
        const result = await makePayment(db, processor, principal.firmId, actorOf(principal), {
          token,
          payerName,
          payerEmail,
          ...choiceOf(request.body),
        });
        return reply.code(201).send(result);
      },
    });
    app.route({
      ...routeOf(createPaymentLink, { config: { answerHoldsSecret: true } }),
      handler: async (request, reply) => {
        const principal = requirePrincipal(request);
        const { payerName, payerEmail } = request.body;
        return reply.code(201).send(
          await createLink(db, principal.firmId, actorOf(principal), {
            payerName,
            payerEmail,
            ...choiceOf(request.body),
          }),
        );
      },
    });
    app.route({
      ...routeOf(listPaymentLinks),
      handler: async (request) => listLinks(db, requirePrincipal(request).firmId, 'payment', request.query),
    });
    app.route({
      ...routeOf(cancelPaymentLink),
      handler: async (request) => {
        const principal = requirePrincipal(request);
        return cancelLink(db, principal.firmId, actorOf(principal), 'payment', request.params.id);
      },
    });
    app.route({
      ...routeOf(enterPayment),
      handler: async (request, reply) => {
        const principal = requirePrincipal(request);
        return reply.code(201).send(await enter(db, processor, principal.firmId, actorOf(principal), request.body));
      },
    });
  };
}
