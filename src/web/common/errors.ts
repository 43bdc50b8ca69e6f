import { ApiError } from '../api/client.ts';

/** What to tell a person about a failed request, in words rather than codes. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 409) return `Someone else changed it first, so nothing was changed: ${error.message}. The view has been reloaded.`;
    if (error.code === 'invalid_credentials') return 'The email or password is wrong.';
    if (error.status === 429) return 'Too many attempts. Wait a minute and try again.';
    if (error.status === 403) return `You may not do this: ${error.message}.`;
    return error.message;
  }
  if (error instanceof TypeError) return 'The server could not be reached. Check the connection and try again.';
  return error instanceof Error ? error.message : String(error);
}

export function isConflict(error: unknown): boolean {
  return error instanceof ApiError && error.status === 409;
}
