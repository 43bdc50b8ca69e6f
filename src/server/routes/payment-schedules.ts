import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { cancelScheduleEndpoint, createScheduleEndpoint, listSchedulesEndpoint } from '../../contract/schedules.ts';
import { actorOf } from '../../domain/actor.ts';
import { cancelPaymentSchedule } from '../../usecases/payment-schedules/cancel-payment-schedule.ts';
import { createPaymentSchedule } from '../../usecases/payment-schedules/create-payment-schedule.ts';
import { listPaymentSchedules } from '../../usecases/payment-schedules/list-payment-schedules.ts';
import { requirePrincipal } from '../auth.ts';
import { routeOf } from '../route.ts';
import type { RouteDeps } from './index.ts';

/** Payment Schedules: recurring charges the server's scheduler runs (origin payment_schedule). */
export function paymentScheduleRoutes({ db, processor, clock }: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.route({
      ...routeOf(createScheduleEndpoint),
      handler: async (request, reply) => {
        const principal = requirePrincipal(request);
        return reply
          .code(201)
          .send(
            await createPaymentSchedule(db, processor, principal.firmId, actorOf(principal), request.body, clock()),
          );
      },
    });
    app.route({
      ...routeOf(listSchedulesEndpoint),
      handler: async (request) => listPaymentSchedules(db, requirePrincipal(request).firmId),
    });
    app.route({
      ...routeOf(cancelScheduleEndpoint),
      handler: async (request) => {
        const principal = requirePrincipal(request);
        return cancelPaymentSchedule(db, principal.firmId, actorOf(principal), request.params.id, clock());
      },
    });
  };
}
