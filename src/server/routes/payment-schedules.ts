import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../domain/actor.ts';
import { cancelPaymentSchedule } from '../../usecases/payment-schedules/cancel-payment-schedule.ts';
import { createPaymentSchedule } from '../../usecases/payment-schedules/create-payment-schedule.ts';
import { listPaymentSchedules } from '../../usecases/payment-schedules/list-payment-schedules.ts';
import { requirePrincipal } from '../auth.ts';
import { account, idParam, isoDate, positiveCents, processorToken, requiredText } from '../../contract/fields.ts';
import { scheduleOut } from '../../contract/schedules.ts';
import type { RouteDeps } from './index.ts';

/** Payment Schedules: recurring charges the server's scheduler runs (origin payment_schedule). */
export function paymentScheduleRoutes({ db, processor }: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.post('/payment-schedules', {
      config: { access: 'accountant' },
      schema: {
        summary: 'A recurring charge on a processor token, weekly or monthly from startOn (UTC dates)',
        body: z
          .object({
            token: processorToken,
            amountCents: positiveCents,
            account,
            description: requiredText(500),
            payerName: requiredText(200),
            payerEmail: z.email().max(320).optional(),
            clientNumber: requiredText(64).optional(),
            matterNumber: requiredText(64).optional(),
            interval: z.enum(['weekly', 'monthly']),
            startOn: isoDate,
          })
          .strict(),
        response: { 201: scheduleOut },
      },
    }, async (request, reply) => {
      const principal = requirePrincipal(request);
      return reply.code(201).send(await createPaymentSchedule(db, processor, principal.firmId, actorOf(principal), request.body));
    });

    app.get('/payment-schedules', {
      config: { access: 'user' },
      schema: { summary: "The firm's payment schedules with their runs", response: { 200: z.object({ items: z.array(scheduleOut) }) } },
    }, async (request) => listPaymentSchedules(db, requirePrincipal(request).firmId));

    app.post('/payment-schedules/:id/cancel', {
      config: { access: 'accountant' },
      schema: { summary: 'Stop a payment schedule', params: idParam, body: z.object({}).strict().optional(), response: { 200: scheduleOut } },
    }, async (request) => {
      const principal = requirePrincipal(request);
      return cancelPaymentSchedule(db, principal.firmId, actorOf(principal), request.params.id);
    });
  };
}
