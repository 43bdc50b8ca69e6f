import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client.ts';
import { errorText } from './errors.ts';

describe('errorText', () => {
  it('blames another person only for a stale version or a changed state', () => {
    // In words, whatever the server's message holds (never an id or version numbers).
    expect(errorText(new ApiError(409, 'stale_version', 'record r1 changed (version 3)', null))).toBe(
      'Someone else changed this record while you were editing, so nothing was saved. It has been reloaded with their change.',
    );
    expect(errorText(new ApiError(409, 'invalid_state', 'r1 is queued', null))).toMatch(
      /^Someone else changed it first/,
    );
    const reversed = errorText(new ApiError(409, 'payment_reversed', 'the payment of r1 was reversed', null));
    expect(reversed).toBe('Nothing was changed: the payment of r1 was reversed. The view has been reloaded.');
  });

  it('words sign-in, rate limit and role refusals for a person', () => {
    expect(errorText(new ApiError(401, 'invalid_credentials', 'x', null))).toBe('The email or password is wrong.');
    expect(errorText(new ApiError(429, 'rate_limited', 'x', null))).toMatch(/Too many attempts/);
    expect(errorText(new ApiError(403, 'forbidden', 'this needs the admin role', null))).toBe(
      'You may not do this: this needs the admin role.',
    );
  });
});
