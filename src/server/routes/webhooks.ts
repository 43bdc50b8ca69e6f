import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { anyProcessorEvent, postProcessorEvent, processorEvent } from '../../contract/webhooks.ts';
import { findFirmByCode } from '../../db/firms.ts';
import { DomainError } from '../../domain/errors.ts';
import { SIGNATURE_HEADER } from '../../contract/webhooks.ts';
import { verifySignature } from '../../processor/webhook-signature.ts';
import { takeProcessorEvent } from '../../usecases/processor-events/take-processor-event.ts';
import { routeOf } from '../route.ts';
import type { RouteDeps } from './index.ts';

const WEBHOOK_BODY_LIMIT = 1024 * 1024;
// Verifying against a key no firm has keeps an unknown firm code as slow as a known one.
const NO_FIRM_SECRET = 'whsec_no_such_firm';

/**
 * The processor's webhook. The signature covers the exact bytes sent, so this route (and
 * only this one, by Fastify's plugin encapsulation) keeps the JSON body as its raw text,
 * verifies it, and only then parses it.
 */
export function webhookRoutes({ db, config, processor }: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(
      'application/json',
      { parseAs: 'string', bodyLimit: WEBHOOK_BODY_LIMIT },
      (_request, body, done) => done(null, body),
    );

    app.route({
      ...routeOf(postProcessorEvent, {
        config: { rateLimit: { max: config.payRequestsPerMinute * 20, timeWindow: 60_000 } },
        bodyLimit: WEBHOOK_BODY_LIMIT,
      }),
      handler: async (request) => {
        const raw = typeof request.body === 'string' ? request.body : '';
        const firm = /^[A-Z0-9_]{1,20}$/.test(request.params.firmCode)
          ? await findFirmByCode(db, request.params.firmCode)
          : undefined;
        const header = request.headers[SIGNATURE_HEADER];
        const verified = verifySignature(
          firm?.webhook_secret ?? NO_FIRM_SECRET,
          typeof header === 'string' ? header : undefined,
          raw,
          Math.floor(Date.now() / 1000),
        );
        if (!verified.ok) throw new DomainError(verified.code, verified.message);
        if (!firm)
          throw new DomainError(
            'invalid_signature',
            'the signature does not match the body and timestamp for this endpoint',
          );

        let json: unknown;
        try {
          json = JSON.parse(raw);
        } catch {
          throw new DomainError('invalid_json', 'the event body is not valid JSON');
        }
        const known = processorEvent.safeParse(json);
        if (!known.success) {
          const other = anyProcessorEvent.safeParse(json);
          // A type this server does not handle is acknowledged, so the processor stops sending it.
          if (other.success && !processorEvent.options.some((o) => o.shape.type.value === other.data.type)) {
            return { received: true as const, duplicate: false, outcome: 'ignored_unknown_type', paymentId: null };
          }
          throw new DomainError(
            'invalid_event',
            `the event does not match its type: ${known.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
          );
        }
        return { received: true as const, ...(await takeProcessorEvent(db, firm.id, known.data, processor)) };
      },
    });
  };
}
