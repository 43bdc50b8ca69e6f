import { describe, expect, it } from 'vitest';
import { bearerTokenKind, shouldRecordUse, TOKEN_USE_RESOLUTION_MS } from './bearer-tokens.ts';

describe('bearerTokenKind', () => {
  it('reads the kind from the prefix', () => {
    expect(bearerTokenKind('pb_agent_abc')).toBe('agent');
    expect(bearerTokenKind('pb_user_abc')).toBe('user');
  });

  it('refuses a session id, a CSRF token or anything else', () => {
    expect(bearerTokenKind('pb_session_abc')).toBeNull();
    expect(bearerTokenKind('pb_csrf_abc')).toBeNull();
    expect(bearerTokenKind('Bearer pb_user_abc')).toBeNull();
  });
});

describe('shouldRecordUse', () => {
  const now = new Date('2026-03-01T12:00:00Z');

  it('records the first use', () => {
    expect(shouldRecordUse(null, now)).toBe(true);
  });

  it('records a use once the last one written is more than a minute old, not before', () => {
    expect(shouldRecordUse(new Date(now.getTime() - TOKEN_USE_RESOLUTION_MS), now)).toBe(false);
    expect(shouldRecordUse(new Date(now.getTime() - TOKEN_USE_RESOLUTION_MS - 1), now)).toBe(true);
  });
});
