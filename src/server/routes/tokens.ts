import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { deleteToken, getTokens, postToken } from '../../contract/tokens.ts';
import { actorOf } from '../../usecases/auth/principal.ts';
import { issueToken } from '../../usecases/tokens/issue-token.ts';
import { listTokens } from '../../usecases/tokens/list-tokens.ts';
import { revokeApiToken } from '../../usecases/tokens/revoke-api-token.ts';
import { requirePrincipal } from '../auth.ts';
import { routeOf } from '../route.ts';
import type { RouteDeps } from './index.ts';

export function tokenRoutes({ db }: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.route({ ...routeOf(getTokens), handler: async (request) => listTokens(db, requirePrincipal(request).firmId) });
    app.route({
      ...routeOf(postToken, { config: { answerHoldsSecret: true } }),
      handler: async (request, reply) => {
        const principal = requirePrincipal(request);
        return reply.code(201).send(await issueToken(db, principal.firmId, actorOf(principal), request.body));
      },
    });
    app.route({
      ...routeOf(deleteToken),
      handler: async (request, reply) => {
        const principal = requirePrincipal(request);
        await revokeApiToken(db, principal.firmId, actorOf(principal), request.params.id);
        return reply.code(204).send(null);
      },
    });
  };
}
