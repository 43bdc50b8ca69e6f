import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { getSandboxBin, postSandboxToken } from '../../contract/sandbox.ts';
import { notFound } from '../../domain/errors.ts';
import { binFacts } from '../../processor/sandbox/test-numbers.ts';
import { createSandboxToken, type TokenizeInput } from '../../processor/sandbox/tokenize.ts';
import { routeOf } from '../route.ts';
import type { RouteDeps } from './index.ts';

/**
 * The sandbox processor's tokenizer, standing in for the script a real processor serves
 * to the browser: the payment page sends the card or bank details here (never to a
 * paybridge route that stores anything) and gets a token to pay with.
 */
export function sandboxRoutes({ db, config }: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.route({
      ...routeOf(postSandboxToken, {
        config: { anonymous: true, rateLimit: { max: config.payRequestsPerMinute, timeWindow: 60_000 } },
      }),
      handler: async (request, reply) => {
        const body = request.body;
        const input: TokenizeInput = 'cardNumber' in body ? { method: 'card', ...body } : { method: 'echeck', ...body };
        return reply.code(201).send(await createSandboxToken(db, input));
      },
    });

    app.route({
      ...routeOf(getSandboxBin, {
        config: { anonymous: true, rateLimit: { max: config.payRequestsPerMinute, timeWindow: 60_000 } },
      }),
      handler: async (request) => {
        const facts = binFacts(request.params.bin);
        if (!facts) throw notFound('card BIN', request.params.bin);
        return facts;
      },
    });
  };
}
