import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  getUsers,
  patchUser,
  postPasswordLink,
  postPasswordLinkLookUp,
  postPasswordLinkUse,
  postUser,
} from '../../contract/users.ts';
import { actorOf } from '../../domain/actor.ts';
import { lookUpPasswordLink, usePasswordLink } from '../../usecases/auth/password-links.ts';
import { changeUser } from '../../usecases/users/change-user.ts';
import { inviteUser } from '../../usecases/users/invite-user.ts';
import { listUsers } from '../../usecases/users/list-users.ts';
import { sendPasswordLink } from '../../usecases/users/send-password-link.ts';
import { requirePrincipal } from '../auth.ts';
import { routeOf } from '../route.ts';
import type { RouteDeps } from './index.ts';

export function userRoutes({ db, config, mailer }: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    const mail = { mailer, publicUrl: config.publicUrl, log: app.log };
    // The link pages are public and guess-proof (256 bits), yet limited as sign-in is.
    const limited = { rateLimit: { max: config.loginAttemptsPerMinute, timeWindow: 60_000 } };

    app.route({ ...routeOf(getUsers), handler: async (request) => listUsers(db, requirePrincipal(request).firmId) });
    app.route({
      // The answer holds the invite link: no Idempotency-Key may store it for a replay.
      ...routeOf(postUser, { config: { answerHoldsSecret: true } }),
      handler: async (request, reply) => {
        const principal = requirePrincipal(request);
        return reply.code(201).send(await inviteUser(db, mail, principal.firmId, actorOf(principal), request.body));
      },
    });
    app.route({
      ...routeOf(patchUser),
      handler: async (request) => {
        const principal = requirePrincipal(request);
        return changeUser(db, principal.firmId, actorOf(principal), request.params.id, request.body);
      },
    });
    app.route({
      ...routeOf(postPasswordLink, { config: { answerHoldsSecret: true } }),
      handler: async (request, reply) => {
        const principal = requirePrincipal(request);
        return reply
          .code(201)
          .send(await sendPasswordLink(db, mail, principal.firmId, actorOf(principal), request.params.id));
      },
    });
    app.route({
      ...routeOf(postPasswordLinkLookUp, { config: { ...limited, anonymous: true } }),
      handler: async (request) => lookUpPasswordLink(db, request.body.token),
    });
    app.route({
      ...routeOf(postPasswordLinkUse, { config: { ...limited, anonymous: true } }),
      handler: async (request) => usePasswordLink(db, request.body),
    });
  };
}
