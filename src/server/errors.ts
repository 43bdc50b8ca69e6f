import type { ErrorBody } from '../contract/errors.ts';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { DomainError, type ErrorCode } from '../domain/errors.ts';
import { isDatabaseUnavailable } from '../db/unavailable.ts';

/** How long a client is asked to wait before sending again while the database is away. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

export type ErrorStatus = 400 | 401 | 402 | 403 | 404 | 409 | 410 | 413 | 414 | 415 | 422 | 429 | 500 | 503;

/**
 * The HTTP status of every error code (SPEC §9): the one place a status is decided.
 * Being a Record over ErrorCode, a code added to the domain's list without a status here
 * does not compile.
 */
export const ERROR_STATUS: Record<ErrorCode, ErrorStatus> = {
  invalid_request: 400,
  invalid_json: 400,
  body_too_large: 413,
  unsupported_media_type: 415,
  url_too_long: 414,
  bad_url: 400,
  rate_limited: 429,
  internal: 500,
  bad_request: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  csrf: 403,
  two_factor_required: 401,
  invalid_two_factor_code: 401,
  two_factor_enrolment_required: 403,
  invalid_idempotency_key: 400,
  idempotency_key_not_accepted: 400,
  idempotency_key_reused: 422,
  idempotency_in_progress: 409,
  missing_signature: 400,
  malformed_signature: 400,
  invalid_signature: 401,
  stale_timestamp: 401,
  invalid_event: 400,
  unknown_payment: 409,
  unknown_payout: 409,
  payout_mismatch: 409,
  not_found: 404,
  no_match: 404,
  invalid_state: 409,
  stale_version: 409,
  reversal_not_editable: 409,
  payment_reversed: 409,
  record_without_allocations: 409,
  firm_exists: 409,
  user_exists: 409,
  last_admin: 409,
  password_link_invalid: 410,
  slug_taken: 409,
  deposit_account_name_taken: 409,
  link_expired: 410,
  link_cancelled: 410,
  link_paid: 409,
  link_in_progress: 409,
  payment_conflict: 409,
  processor_refused: 409,
  not_voidable: 409,
  sha256_mismatch: 409,
  batch_out_of_order: 409,
  batch_delivered: 409,
  batch_not_delivered: 409,
  mms_answer_conflict: 409,
  card_declined: 402,
  echeck_declined: 402,
  invalid_payment_token: 422,
  invalid_allocations: 422,
  allocation_conflict: 422,
  batch_total_too_large: 422,
  invalid_sync: 400,
  busy_try_again: 503,
  database_unavailable: 503,
  payment_not_recorded: 503,
};

/** The body of SPEC §9, with its code's status unless the framework chose one itself. */
function send(reply: FastifyReply, body: ErrorBody, status: number = ERROR_STATUS[body.error.code]) {
  return reply.code(status).type('application/json').send(body);
}

/** `allocations.0.amountCents` from the issue's path, so the message names the field. */
function fieldName(context: string, instancePath: string): string {
  const path = instancePath.split('/').filter(Boolean).join('.');
  const where = context === 'body' ? '' : `${context}.`;
  return where + (path || '(whole)');
}

interface NestedIssue {
  path: PropertyKey[];
  message: string;
}

function isNestedIssue(value: unknown): value is NestedIssue {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as NestedIssue).path) &&
    typeof (value as NestedIssue).message === 'string'
  );
}

/**
 * A body matching none of a union's forms (`{ ids }` or `{ all: true }`) gets zod's bare
 * "Invalid input" at the union's own path; say what each form found wrong instead, so
 * the message names the field.
 */
function describeIssue(issue: { keyword?: string; message?: string; params?: Record<string, unknown> }): string {
  const options = issue.params?.errors;
  if (issue.keyword !== 'invalid_union' || !Array.isArray(options) || options.length === 0)
    return issue.message ?? 'is invalid';
  const forms = options.map((option: unknown) =>
    (Array.isArray(option) ? option.filter(isNestedIssue) : [])
      .map((nested) => `${nested.path.map(String).join('.') || '(whole)'}: ${nested.message}`)
      .join('; '),
  );
  return `matches none of its forms: ${forms.map((form) => `(${form})`).join(' or ')}`;
}

/**
 * A URL the router cannot read (bad percent-encoding, or a path part over the length
 * limit) is answered in the same error shape as everything else. The URL is not echoed:
 * it may hold a payment link's token.
 */
export function frameworkErrorHandler(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    void send(reply, {
      error: { code: 'url_too_long', message: 'a part of the URL path is longer than any id, slug or token' },
    });
  } else {
    void send(reply, { error: { code: 'bad_url', message: 'the URL path is not valid percent-encoded UTF-8' } });
  }
}

export function errorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = error.validation.map((issue) => ({
      field: fieldName(error.validationContext ?? 'body', issue.instancePath),
      message: describeIssue(issue),
    }));
    const message = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
    return send(reply, { error: { code: 'invalid_request', message, details: { issues } } });
  }
  if (error instanceof DomainError) {
    const retryAfter = (error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    if (error.code === 'rate_limited' && typeof retryAfter === 'number')
      reply.header('retry-after', String(retryAfter));
    // A 503 is a conflict that outlasted its retries; payment_not_recorded names a charge approved but not yet taken in.
    if (ERROR_STATUS[error.code] >= 500)
      request.log.error({ err: error, code: error.code, details: error.details }, error.message);
    return send(reply, { error: { code: error.code, message: error.message, details: error.details } });
  }
  if ((error as FastifyError).code === 'FST_ERR_RESPONSE_SERIALIZATION' && isResponseSerializationError(error)) {
    request.log.error({ err: error, issues: error.cause.issues }, 'response does not match its schema');
    return send(reply, { error: { code: 'internal', message: 'internal error' } });
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) {
    return send(reply, { error: { code: 'invalid_json', message: `the body is not valid JSON: ${error.message}` } });
  }
  if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return send(reply, { error: { code: 'body_too_large', message: 'the request body is too large' } });
  }
  if (fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return send(reply, { error: { code: 'unsupported_media_type', message: 'send the body as application/json' } });
  }
  if (fastifyError.statusCode === 429) {
    return send(reply, { error: { code: 'rate_limited', message: error.message } });
  }
  // Any other refusal the framework or a plugin made keeps the 4xx status it chose.
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return send(reply, { error: { code: 'bad_request', message: error.message } }, fastifyError.statusCode);
  }
  if (isDatabaseUnavailable(error)) {
    request.log.warn({ err: error }, 'the database is unavailable');
    void reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
    return send(reply, {
      error: { code: 'database_unavailable', message: 'the database cannot be reached just now; try again shortly' },
    });
  }
  request.log.error({ err: error }, 'unhandled error');
  return send(reply, { error: { code: 'internal', message: 'internal error' } });
}
