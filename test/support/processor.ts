import { expect } from 'vitest';
import { deliverSandboxEvents, type WebhookTransport } from '../../src/processor/sandbox/deliver-events.ts';
import { signatureHeader } from '../../src/processor/webhook-signature.ts';
import { SandboxProcessor } from '../../src/processor/sandbox/sandbox-processor.ts';
import { settleSandboxPayouts } from '../../src/processor/sandbox/settle-payouts.ts';
import { recordPayout } from '../../src/usecases/deposits/record-payout.ts';
import { call, type TestApp, type TestFirm } from './app.ts';

/** The sandbox's documented test numbers (README). No test keeps them past its request. */
export const CARDS = {
  visa: '4242 4242 4242 4242',
  declined: '4000 0000 0000 0002',
  insufficientFunds: '4000 0000 0000 9995',
  chargebackLater: '4000 0000 0000 0259',
  amex: '3782 822463 10005',
  visaDebit: '4000 0566 5566 5556',
  mastercardPrepaid: '5105 1051 0510 5100',
} as const;
export const BANK = {
  routing: '110000000',
  approves: '000123456789',
  returnsLater: '000111111116',
  declines: '000111111113',
} as const;

export interface SandboxToken {
  token: string;
  brand: string;
  last4: string;
  method: 'card' | 'echeck';
  funding: 'credit' | 'debit' | 'prepaid' | null;
}

/** What the payment page's browser does: the card goes to the processor's tokenizer, never elsewhere. */
export async function cardToken(t: TestApp, number: string = CARDS.visa): Promise<SandboxToken> {
  const cvc = number.startsWith('37') ? '1234' : '123';
  const res = await call(t, null, 'POST', '/sandbox/tokens', {
    cardNumber: number,
    expMonth: 12,
    expYear: new Date().getUTCFullYear() + 2,
    cvc,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

export async function bankToken(t: TestApp, accountNumber: string = BANK.approves): Promise<SandboxToken> {
  const res = await call(t, null, 'POST', '/sandbox/tokens', { routingNumber: BANK.routing, accountNumber });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

export async function webhookSecret(t: TestApp, firm: TestFirm): Promise<string> {
  const res = await call(t, firm.admin, 'POST', '/settings/webhook-secret', {});
  expect(res.statusCode, res.body).toBe(201);
  return res.json().webhookSecret;
}

/** Posts a processor event as the processor would: the raw body, signed with the firm's secret. */
export async function postEvent(
  t: TestApp,
  firmCode: string,
  secret: string,
  event: object | string,
  options: { timestamp?: number; header?: string | null } = {},
) {
  const body = typeof event === 'string' ? event : JSON.stringify(event);
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const header = options.header === undefined ? signatureHeader(secret, timestamp, body) : options.header;
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/webhooks/processor/${firmCode}`,
    headers: { 'content-type': 'application/json', ...(header === null ? {} : { 'paybridge-signature': header }) },
    payload: body,
  });
}

/** The sandbox's webhook events, sent over the app's HTTP layer (signature checked), as the scheduler does. */
export function deliverEvents(t: TestApp, now = new Date()) {
  const transport: WebhookTransport = async ({ path, headers, body }) => {
    const res = await t.app.inject({ method: 'POST', url: path, headers, payload: body });
    return { statusCode: res.statusCode, body: res.body };
  };
  return deliverSandboxEvents(t.conn.db, transport, now);
}

export async function countRows(
  t: TestApp,
  firmId: string,
  table: 'payments' | 'posting_records' | 'audit_events' | 'processor_events' | 'sandbox_charges',
): Promise<number> {
  const row = await t.conn.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('firm_id', '=', firmId)
    .executeTakeFirstOrThrow();
  return row.n;
}

/**
 * The sandbox settles every day over by `now` and each payout it made is taken in as its
 * payout.paid event would be (without the HTTP hop): the payouts a test then reads.
 */
export async function payOut(t: TestApp, now: Date, firmId?: string) {
  const processor = new SandboxProcessor(t.conn.db);
  const made = (await settleSandboxPayouts(t.conn.db, now)).filter((p) => !firmId || p.firmId === firmId);
  for (const payout of made)
    await recordPayout(t.conn.db, processor, payout.firmId, { id: `evt_${payout.payoutId}`, data: payout });
  return made;
}
