/**
 * Outbound webhooks (issue 15): what paybridge tells the firm's own systems, and how
 * hard it tries. Pure rules; src/usecases/webhook-endpoints sends.
 */

/** The kinds of event an endpoint may ask for: things paybridge already knows happen. */
export const WEBHOOK_EVENT_KINDS = [
  'payment.taken', // a payment came in, from any origin
  'payment.reversed', // voided, refunded (in whole or part) or charged back
  'batch.created', // records were posted: a batch file was made
  'batch.delivered', // the Connect agent delivered a batch to the MMS
  'record.mms_applied', // the MMS applied a delivered record
  'record.mms_rejected', // the MMS refused a delivered record
  'payout.paid', // the processor paid a day's money out
  'schedule.charge_failed', // a scheduled charge was declined
] as const;
export type WebhookEventKind = (typeof WEBHOOK_EVENT_KINDS)[number];

/** The kind of the event "Send test event" queues: sent to that one endpoint only, whatever it asked for. */
export const TEST_EVENT_KIND = 'webhook.test';

/** Attempts before a delivery is given up. */
export const GIVE_UP_AFTER_ATTEMPTS = 8;
const FIRST_RETRY_MS = 30_000;
const LONGEST_WAIT_MS = 6 * 60 * 60_000;

/**
 * When to try again after the `attempts`-th attempt failed: 30 s, 1 min, 2 min, … doubling
 * up to six hours; null once the attempts are used up (the delivery is given up).
 */
export function nextAttemptAt(attempts: number, now: Date): Date | null {
  if (attempts >= GIVE_UP_AFTER_ATTEMPTS) return null;
  const wait = Math.min(FIRST_RETRY_MS * 2 ** Math.max(attempts - 1, 0), LONGEST_WAIT_MS);
  return new Date(now.getTime() + wait);
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * An endpoint's URL: https anywhere, plain http only to this machine (SPEC §7's rule for
 * the agent), never with a user name or password in it. A problem as text, or null.
 */
export function endpointUrlProblem(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.username || url.password) return 'must not carry a user name or password';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return null;
  return 'must be https (plain http only to localhost, 127.0.0.1 or ::1)';
}

/** What the delivery log keeps of a failure: its first line, short. */
export function shortError(text: string): string {
  const line = text.split(/\r?\n/, 1)[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}
