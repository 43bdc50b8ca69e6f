import { ApiError } from '../api/client.ts';

/** What to tell a person about a failed request, in words rather than codes. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    // Only a stale version or a changed state means another person got there first; other
    // refusals (a reversed payment, a taken slug) say what is wrong in their own words.
    if (error.code === 'stale_version')
      return 'Someone else changed this record while you were editing, so nothing was saved. It has been reloaded with their change.';
    if (error.code === 'invalid_state') {
      return `Someone else changed it first, so nothing was changed: ${error.message}. The view has been reloaded.`;
    }
    if (error.status === 409) return `Nothing was changed: ${error.message}. The view has been reloaded.`;
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
