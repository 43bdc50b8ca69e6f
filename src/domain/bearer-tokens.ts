/**
 * Bearer tokens say what they are in their prefix (`pb_user_…`, `pb_agent_…`), so one of
 * the wrong kind, or no token of ours at all, is refused before any lookup.
 */
export function bearerTokenKind(token: string): 'user' | 'agent' | null {
  return token.startsWith('pb_agent_') ? 'agent' : token.startsWith('pb_user_') ? 'user' : null;
}

/** How seldom a token's last use is written: a busy agent calls many times a minute. */
export const TOKEN_USE_RESOLUTION_MS = 60_000;

/** Whether this use of a token is worth writing down as its last. */
export function shouldRecordUse(lastUsedAt: Date | null, now: Date): boolean {
  return !lastUsedAt || now.getTime() - lastUsedAt.getTime() > TOKEN_USE_RESOLUTION_MS;
}
