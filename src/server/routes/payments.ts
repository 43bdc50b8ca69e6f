import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { listPaymentsEndpoint, reversePaymentEndpoint, takePaymentEndpoint } from '../../contract/payments.ts';
import { actorOf } from '../../domain/actor.ts';
import { listPayments } from '../../usecases/payments/list-payments.ts';
import { reversePaymentAtProcessor } from '../../usecases/payments/reverse-payment-at-processor.ts';
import { takePayment } from '../../usecases/payments/take-payment.ts';
import { requirePrincipal } from '../auth.ts';
import { routeOf } from '../route.ts';
import type { RouteDeps } from './index.ts';

export function paymentRoutes({ db, processor }: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.route({
      ...routeOf(takePaymentEndpoint),
      handler: async (request, reply) => {
        const principal = requirePrincipal(request);
        const result = await takePayment(db, principal.firmId, actorOf(principal), request.body);
        return reply
          .code(result.created ? 201 : 200)
          .send({ payment: result.payment, postingRecord: result.postingRecord });
      },
    });

    app.route({
      ...routeOf(reversePaymentEndpoint),
      handler: async (request) => {
        const principal = requirePrincipal(request);
        return reversePaymentAtProcessor(
          db,
          processor,
          principal.firmId,
          actorOf(principal),
          request.params.id,
          request.body,
        );
      },
    });

    app.route({
      ...routeOf(listPaymentsEndpoint),
      handler: async (request) => listPayments(db, requirePrincipal(request).firmId, request.query),
    });
  };
}
