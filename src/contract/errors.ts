import type { ErrorCode } from '../domain/errors.ts';

/** Every refusal's body (SPEC §9): a code from the domain's list, words for a person, and details where they help. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}
