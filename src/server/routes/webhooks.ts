import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { INSTANT_RANGE_PROBLEM, isInstantInRange } from '../../domain/bounds.ts';
import { findFirmByCode } from '../../db/firms.ts';
import { AppError } from '../../errors.ts';
import { SIGNATURE_HEADER, verifySignature } from '../../processor/webhook-signature.ts';
import { takeProcessorEvent, type ProcessorEvent } from '../../usecases/processor-events/take-processor-event.ts';
import { paymentIn, requiredText } from '../../contract/fields.ts';
import type { RouteDeps } from './index.ts';

const WEBHOOK_BODY_LIMIT = 1024 * 1024;
// Verifying against a key no firm has keeps an unknown firm code as slow as a known one.
const NO_FIRM_SECRET = 'whsec_no_such_firm';

const reversalData = z.object({ processorId: requiredText(100) }).passthrough();
/** When the processor made the event, in Unix seconds: an instant like any other, 1900 to 2999. */
const created = z
  .number()
  .int()
  .refine((seconds) => isInstantInRange(new Date(seconds * 1000)), { message: INSTANT_RANGE_PROBLEM })
  .optional();
const eventBody = z.discriminatedUnion('type', [
  z.object({ id: requiredText(200), type: z.literal('payment.approved'), created, data: paymentIn }),
  ...(['payment.refunded', 'payment.voided', 'payment.charged_back', 'payment.returned'] as const).map((type) =>
    z.object({ id: requiredText(200), type: z.literal(type), created, data: reversalData }),
  ),
]);
const anyEvent = z.object({ id: requiredText(200), type: requiredText(100) });

/**
 * The processor's webhook. The signature covers the exact bytes sent, so this route (and
 * only this one, by Fastify's plugin encapsulation) keeps the JSON body as its raw text,
 * verifies it, and only then parses it.
 */
export function webhookRoutes({ db, config }: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: WEBHOOK_BODY_LIMIT }, (_request, body, done) => done(null, body));

    app.post('/webhooks/processor/:firmCode', {
      config: { access: 'public', rateLimit: { max: config.payRequestsPerMinute * 20, timeWindow: 60_000 } },
      bodyLimit: WEBHOOK_BODY_LIMIT,
      schema: {
        summary: `Processor events, signed: ${SIGNATURE_HEADER}: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`,
        params: z.object({ firmCode: z.string().max(40) }),
        response: {
          200: z.object({ received: z.literal(true), duplicate: z.boolean(), outcome: z.string(), paymentId: z.string().nullable() }),
        },
      },
    }, async (request) => {
      const raw = typeof request.body === 'string' ? request.body : '';
      const firm = /^[A-Z0-9_]{1,20}$/.test(request.params.firmCode)
        ? await findFirmByCode(db, request.params.firmCode)
        : undefined;
      const header = request.headers[SIGNATURE_HEADER];
      const verified = verifySignature(firm?.webhook_secret ?? NO_FIRM_SECRET, typeof header === 'string' ? header : undefined, raw, Math.floor(Date.now() / 1000));
      if (!verified.ok) throw new AppError(verified.status, verified.code, verified.message);
      if (!firm) throw new AppError(401, 'invalid_signature', 'the signature does not match the body and timestamp for this endpoint');

      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        throw new AppError(400, 'invalid_json', 'the event body is not valid JSON');
      }
      const known = eventBody.safeParse(json);
      if (!known.success) {
        const other = anyEvent.safeParse(json);
        // A type this server does not handle is acknowledged, so the processor stops sending it.
        if (other.success && !eventBody.options.some((o) => o.shape.type.value === other.data.type)) {
          return { received: true as const, duplicate: false, outcome: 'ignored_unknown_type', paymentId: null };
        }
        throw new AppError(400, 'invalid_event', `the event does not match its type: ${known.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      }
      const event: ProcessorEvent = known.data.type === 'payment.approved'
        ? { id: known.data.id, type: known.data.type, data: known.data.data }
        : { id: known.data.id, type: known.data.type, data: { processorId: known.data.data.processorId } };
      return { received: true as const, ...(await takeProcessorEvent(db, firm.id, event)) };
    });
  };
}
