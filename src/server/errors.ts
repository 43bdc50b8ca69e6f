import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError } from '../errors.ts';

interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

function send(reply: FastifyReply, status: number, body: ErrorBody) {
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
  return typeof value === 'object' && value !== null && Array.isArray((value as NestedIssue).path) && typeof (value as NestedIssue).message === 'string';
}

/**
 * A body matching none of a union's forms (`{ ids }` or `{ all: true }`) gets zod's bare
 * "Invalid input" at the union's own path; say what each form found wrong instead, so
 * the message names the field.
 */
function describeIssue(issue: { keyword?: string; message?: string; params?: Record<string, unknown> }): string {
  const options = issue.params?.errors;
  if (issue.keyword !== 'invalid_union' || !Array.isArray(options) || options.length === 0) return issue.message ?? 'is invalid';
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
export function frameworkErrorHandler(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return send(reply, 414, { error: { code: 'url_too_long', message: 'a part of the URL path is longer than any id, slug or token' } });
  }
  return send(reply, 400, { error: { code: 'bad_url', message: 'the URL path is not valid percent-encoded UTF-8' } });
}

export function errorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = error.validation.map((issue) => ({
      field: fieldName(error.validationContext ?? 'body', issue.instancePath),
      message: describeIssue(issue),
    }));
    const message = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
    return send(reply, 400, { error: { code: 'invalid_request', message, details: { issues } } });
  }
  if (error instanceof AppError) {
    // A 503 is a conflict that outlasted its retries; payment_not_recorded names a charge approved but not yet taken in.
    if (error.status >= 500) request.log.error({ err: error, code: error.code, details: error.details }, error.message);
    return send(reply, error.status, { error: { code: error.code, message: error.message, details: error.details } });
  }
  if ((error as FastifyError).code === 'FST_ERR_RESPONSE_SERIALIZATION' && isResponseSerializationError(error)) {
    request.log.error({ err: error, issues: error.cause.issues }, 'response does not match its schema');
    return send(reply, 500, { error: { code: 'internal', message: 'internal error' } });
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) {
    return send(reply, 400, { error: { code: 'invalid_json', message: `the body is not valid JSON: ${error.message}` } });
  }
  if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return send(reply, 413, { error: { code: 'body_too_large', message: 'the request body is too large' } });
  }
  if (fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return send(reply, 415 as 400, { error: { code: 'unsupported_media_type', message: 'send the body as application/json' } });
  }
  if (fastifyError.statusCode === 429) {
    return send(reply, 429, { error: { code: 'rate_limited', message: error.message } });
  }
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return send(reply, fastifyError.statusCode, { error: { code: 'bad_request', message: error.message } });
  }
  request.log.error({ err: error }, 'unhandled error');
  return send(reply, 500, { error: { code: 'internal', message: 'internal error' } });
}
