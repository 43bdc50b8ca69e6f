/**
 * The one error type use cases throw. The HTTP layer maps `status` and `code` to the
 * `{ error: { code, message, details } }` body of SPEC §9; the CLI prints the message.
 */
export class AppError extends Error {
  constructor(
    readonly status: 400 | 401 | 402 | 403 | 404 | 409 | 410 | 413 | 422 | 429 | 500 | 502 | 503,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (message: string, details?: unknown) => new AppError(400, 'bad_request', message, details);

/** A foreign id answers exactly like a missing one. */
export const notFound = (what: string, id: string) => new AppError(404, 'not_found', `${what} ${id} was not found`, { id });

export const conflict = (code: string, message: string, details?: unknown) => new AppError(409, code, message, details);
