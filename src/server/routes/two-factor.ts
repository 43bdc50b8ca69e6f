import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { getTwoFactor, postTwoFactor, postTwoFactorConfirm, postTwoFactorDisable } from '../../contract/two-factor.ts';
import { actorOf } from '../../domain/actor.ts';
import {
  confirmTwoFactor,
  disableTwoFactor,
  getTwoFactor as readTwoFactor,
  startTwoFactor,
} from '../../usecases/auth/two-factor.ts';
import { requireUser } from '../auth.ts';
import { routeOf } from '../route.ts';
import type { RouteDeps } from './index.ts';

/** The signed-in user's own two-factor sign-in; open to an admin who must still enrol. */
export function twoFactorRoutes({ db }: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    const enrolment = { openBeforeTwoFactor: true };

    app.route({
      ...routeOf(getTwoFactor, { config: enrolment }),
      handler: async (request) => readTwoFactor(db, requireUser(request)),
    });
    app.route({
      // The secret is in this answer only: no Idempotency-Key may store it.
      ...routeOf(postTwoFactor, { config: { ...enrolment, answerHoldsSecret: true } }),
      handler: async (request, reply) => reply.code(201).send(await startTwoFactor(db, requireUser(request))),
    });
    app.route({
      ...routeOf(postTwoFactorConfirm, { config: { ...enrolment, answerHoldsSecret: true } }),
      handler: async (request) => {
        const user = requireUser(request);
        return confirmTwoFactor(db, user, actorOf(user), request.body.code);
      },
    });
    app.route({
      ...routeOf(postTwoFactorDisable),
      handler: async (request, reply) => {
        const user = requireUser(request);
        await disableTwoFactor(db, user, actorOf(user), request.body.code);
        return reply.code(204).send(null);
      },
    });
  };
}
