import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../domain/actor.ts';
import { issueToken } from '../../usecases/tokens/issue-token.ts';
import { listTokens } from '../../usecases/tokens/list-tokens.ts';
import { revokeApiToken } from '../../usecases/tokens/revoke-api-token.ts';
import { requirePrincipal } from '../auth.ts';
import { idParam, text } from '../../contract/fields.ts';
import type { RouteDeps } from './index.ts';

const tokenOut = z.object({
  id: z.string(),
  kind: z.enum(['user', 'agent']),
  label: z.string(),
  userEmail: z.string().nullable(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

export function tokenRoutes({ db }: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.get('/tokens', {
      config: { access: 'admin' },
      schema: { summary: "The firm's bearer tokens, never their secrets", response: { 200: z.object({ items: z.array(tokenOut) }) } },
    }, async (request) => listTokens(db, requirePrincipal(request).firmId));

    app.post('/tokens', {
      config: { access: 'admin', answerHoldsSecret: true },
      schema: {
        summary: 'Create a bearer token; the secret is in this answer only',
        body: z
          .object({ kind: z.enum(['agent', 'user']), label: text(100).optional(), email: z.email().max(320).optional() })
          .strict()
          .refine((b) => (b.kind === 'user') === (b.email !== undefined), { message: 'a user token needs the email of the user it acts for, and an agent token takes none', path: ['email'] }),
        response: { 201: z.object({ id: z.string(), kind: z.enum(['user', 'agent']), token: z.string() }) },
      },
    }, async (request, reply) => {
      const principal = requirePrincipal(request);
      return reply.code(201).send(await issueToken(db, principal.firmId, actorOf(principal), request.body));
    });

    app.delete('/tokens/:id', {
      config: { access: 'admin' },
      schema: { summary: 'Revoke a token; it answers 401 from then on', params: idParam, response: { 204: z.null() } },
    }, async (request, reply) => {
      const principal = requirePrincipal(request);
      await revokeApiToken(db, principal.firmId, actorOf(principal), request.params.id);
      return reply.code(204).send(null);
    });
  };
}
