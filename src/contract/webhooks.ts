import { z } from 'zod';
import { INSTANT_RANGE_PROBLEM, isInstantInRange } from '../domain/bounds.ts';
import { endpoint } from './endpoint.ts';
import { isoDate, paymentIn, positiveCents, requiredText } from './fields.ts';

/** The header that carries a webhook's signature: `t=<unix seconds>,v1=<hex HMAC>` (several v1 while a secret rotates). */
export const SIGNATURE_HEADER = 'paybridge-signature';

/**
 * The processor's webhook (SPEC §9). Its body is signed as raw bytes, so the route reads
 * it as text, verifies it, and only then parses it with processorEvent: the endpoint
 * declares no body schema, which would parse it before the signature is checked.
 */

export const REVERSAL_EVENT_TYPES = [
  'payment.refunded',
  'payment.voided',
  'payment.charged_back',
  'payment.returned',
] as const;

const reversalData = z
  .object({
    processorId: requiredText(100),
    // A refund's: its own id at the processor, and how much of the payment it returned.
    refundId: requiredText(100).optional(),
    amountCents: positiveCents.optional(),
  })
  .loose();
/** When the processor made the event, in Unix seconds: an instant like any other, 1900 to 2999. */
const created = z
  .number()
  .int()
  .refine((seconds) => isInstantInRange(new Date(seconds * 1000)), { error: INSTANT_RANGE_PROBLEM })
  .optional();

/** A payout's summary: paybridge fetches its lines from the processor and checks they add up to it. */
const payoutData = z
  .object({
    payoutId: requiredText(100),
    depositAccountId: requiredText(100),
    settledOn: isoDate,
    amountCents: z
      .number()
      .int()
      .refine(Number.isSafeInteger, { error: 'must be a whole number of cents' })
      .describe('the net paid: negative when the processor took money back'),
  })
  .loose();

/** An event of a type paybridge handles: a payment approved, one of its reversals, or a payout paid. */
export const processorEvent = z.discriminatedUnion('type', [
  z.object({ id: requiredText(200), type: z.literal('payment.approved'), created, data: paymentIn }),
  z.object({ id: requiredText(200), type: z.literal('payout.paid'), created, data: payoutData }),
  ...REVERSAL_EVENT_TYPES.map((type) =>
    z.object({ id: requiredText(200), type: z.literal(type), created, data: reversalData }),
  ),
]);

/** Any event at all: one of a type not in processorEvent is acknowledged and ignored. */
export const anyProcessorEvent = z.object({ id: requiredText(200), type: requiredText(100) });

export const webhookAnswer = z.object({
  received: z.literal(true),
  duplicate: z.boolean(),
  outcome: z.string(),
  paymentId: z.string().nullable(),
});

export const postProcessorEvent = endpoint({
  method: 'POST',
  path: '/webhooks/processor/:firmCode',
  access: 'public',
  summary: `Processor events, signed: ${SIGNATURE_HEADER}: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`,
  params: z.object({ firmCode: z.string().max(40) }),
  response: webhookAnswer,
});
