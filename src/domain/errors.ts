/**
 * Every error code the product answers with, and what it means. The code is the contract:
 * the web and scripts branch on it; the HTTP status of each lives in one table at the
 * server edge (src/server/errors.ts), so nothing below the server names a status.
 */
export const ERROR_CODES = {
  // The request itself, refused at the edge before any use case runs.
  invalid_request: 'the request does not match its schema; details.issues names each field',
  invalid_json: 'the body (or a webhook event) is not valid JSON',
  body_too_large: 'the request body is over the size limit',
  unsupported_media_type: 'the body is not sent as application/json',
  url_too_long: 'a part of the URL path is longer than any id, slug or token',
  bad_url: 'the URL path is not valid percent-encoded UTF-8',
  rate_limited: 'too many requests from this caller; wait and try again',
  internal: 'an unexpected error; nothing about it is shown',
  bad_request: 'a value passed the schema but cannot be accepted (a date range backwards, an unknown time zone…)',

  // Who is calling.
  unauthenticated: 'no session or token, or the token is unknown or revoked',
  invalid_credentials: 'the email or password is wrong',
  forbidden: "the caller's kind or role may not use this route",
  csrf: "a signed-in change came without the session's CSRF header",
  two_factor_required: 'the user has two-factor sign-in on: send the code from their app (or a recovery code) too',
  invalid_two_factor_code: 'the two-factor code is wrong, expired or already used',
  two_factor_enrolment_required:
    'the firm requires two-factor sign-in for admins: turn it on (Account) before anything else',

  // Idempotency-Key.
  invalid_idempotency_key: 'the Idempotency-Key header is not 1–200 visible ASCII characters',
  idempotency_key_not_accepted: 'this route takes no Idempotency-Key: its answer holds a secret that is never stored',
  idempotency_key_reused:
    'the same idempotency key came with another request (another body, or another card or amount)',
  idempotency_in_progress: 'a request with the same Idempotency-Key is still being answered',

  // Processor webhooks.
  missing_signature: 'the webhook carries no signature header',
  malformed_signature: 'the webhook signature header cannot be read',
  invalid_signature: 'the webhook signature does not match the body for this endpoint',
  stale_timestamp: "the webhook signature's timestamp is too far from the server's clock",
  invalid_event: 'the webhook event does not match its type',
  unknown_payment: 'a processor event names a payment not taken in yet; the processor sends it again',
  unknown_payout:
    'a payout.paid event names a payout the processor does not give this firm; the processor sends it again',
  payout_mismatch: "a payout.paid event disagrees with the processor's own payout (its account, day or amount)",

  // Things looked up.
  not_found: 'the thing named does not exist, or belongs to another firm',
  no_match: 'no open invoices match what the payer typed on a payment page',

  // State: the request is well formed but the thing is not in a state that allows it.
  invalid_state: "the thing's status forbids this action; details name the ids",
  stale_version: 'the posting record changed since it was read; reload it',
  reversal_not_editable: "a reversal keeps its original's allocations; only its memo can change",
  payment_reversed: 'a record cannot move to pending: its payment was reversed',
  record_without_allocations: 'a pending record has no allocations and cannot be posted',
  firm_exists: 'a firm with this code already exists',
  user_exists: 'a user with this email already exists',
  last_admin: 'the change would leave the firm without an active admin',
  password_link_invalid:
    'the invite or password reset link is unknown, already used or expired; ask an admin for a new one',
  slug_taken: 'another payment page has this slug',
  deposit_account_name_taken: 'another deposit account of the firm has this name',
  link_expired: 'the payment link or quick link has expired',
  link_cancelled: 'the payment link or quick link was cancelled by the firm',
  link_paid: 'the payment link or quick link has already been paid',
  link_in_progress: 'a payment on this link is under way',
  payment_conflict: 'the same processor payment is being taken in by another request',
  processor_refused: 'the processor would not void or refund the payment',
  not_voidable: 'the payment can no longer be voided (it settled, or part of it was refunded): refund it instead',
  sha256_mismatch: 'the sha256 the agent sent does not match the batch file',
  batch_out_of_order: 'a batch is acknowledged only after every earlier batch of the firm is',
  batch_delivered: 'the batch was acknowledged as delivered: a quarantine report for it is not taken',
  batch_not_delivered: 'an MMS answer came for a batch not yet acknowledged',
  mms_answer_conflict: 'the MMS already answered otherwise for a record in the batch',

  // Money and allocations.
  card_declined: 'the card was declined; no payment was made',
  echeck_declined: 'the bank account was declined; no payment was made',
  invalid_payment_token: 'the payment token is unknown; enter the card or bank details again',
  invalid_allocations:
    'allocations that could never be stored (no lines, an amount not over 0.00, a line missing its invoice or matter)',
  allocation_conflict: 'the payment cannot be applied as the payer chose',
  batch_total_too_large: 'the records chosen sum to more than one batch can hold exactly',

  // The agent.
  invalid_sync: 'an MMS sync holds rows that cannot be stored; details.issues names them',

  // Try again.
  database_unavailable:
    'the database cannot be reached just now (restarting?); send the request again after Retry-After',
  busy_try_again: 'the same rows kept changing under the request; nothing was changed, send it again',
  payment_not_recorded:
    'a charge was approved but not yet recorded; the same request again finishes it without charging twice',
} as const satisfies Record<string, string>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The one error the layers below the server throw: a code from the list, a message for a person, and details for a program. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const badRequest = (message: string, details?: unknown) => new DomainError('bad_request', message, details);

/** A foreign id answers exactly like a missing one; the id is in the details, never the message. */
export const notFound = (what: string, id: string) =>
  new DomainError('not_found', `this ${what} was not found: reload the page and choose it again`, { id });

export const invalidState = (message: string, details?: unknown) => new DomainError('invalid_state', message, details);

/**
 * A save made on an older version of a posting record: said in words (the record as
 * `recordInWords` names it), the id and versions left to the details.
 */
export const staleRecord = (id: string, currentVersion: number, words = 'this record') =>
  new DomainError(
    'stale_version',
    `Someone else changed ${words} while you were editing, so nothing was saved; reload to see their change and make yours again`,
    { id, currentVersion },
  );
