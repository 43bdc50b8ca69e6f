import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createSandboxToken, type TokenizeInput } from '../../processor/sandbox/tokenize.ts';
import type { RouteDeps } from './index.ts';

// The messages say what is wrong, never the value: a card number must not come back in
// an error, where a proxy or a browser extension might log it.
const card = z
  .object({
    cardNumber: z.string().regex(/^[\d -]{12,23}$/, 'must be the card number: 12 to 19 digits, spaces allowed'),
    expMonth: z.number().int().min(1).max(12),
    expYear: z.number().int().min(2000).max(2100),
    cvc: z.string().regex(/^\d{3,4}$/, 'must be the 3 or 4 digit security code'),
  })
  .strict();
const bank = z
  .object({
    routingNumber: z.string().regex(/^\d{9}$/, 'must be the 9 digit routing number'),
    accountNumber: z.string().regex(/^\d{4,17}$/, 'must be the account number: 4 to 17 digits'),
  })
  .strict();

/**
 * The sandbox processor's tokenizer, standing in for the script a real processor serves
 * to the browser: the payment page sends the card or bank details here (never to a
 * paybridge route that stores anything) and gets a token to pay with.
 */
export function sandboxRoutes({ db, config }: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.post('/sandbox/tokens', {
      config: { access: 'public', anonymous: true, rateLimit: { max: config.payRequestsPerMinute, timeWindow: 60_000 } },
      schema: {
        summary: 'Sandbox processor: tokenize a test card or bank account (see the README for the test numbers)',
        body: z.union([card, bank]),
        response: { 201: z.object({ token: z.string(), brand: z.string(), last4: z.string(), method: z.enum(['card', 'echeck']) }) },
      },
    }, async (request, reply) => {
      const body = request.body;
      const input: TokenizeInput = 'cardNumber' in body ? { method: 'card', ...body } : { method: 'echeck', ...body };
      return reply.code(201).send(await createSandboxToken(db, input));
    });
  };
}
