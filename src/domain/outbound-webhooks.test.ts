import { describe, expect, it } from 'vitest';
import { endpointUrlProblem, GIVE_UP_AFTER_ATTEMPTS, nextAttemptAt, shortError } from './outbound-webhooks.ts';

describe('outbound webhook rules', () => {
  it('waits twice as long after each failed attempt, then gives up', () => {
    const now = new Date('2026-12-01T00:00:00Z');
    const waits = [1, 2, 3, 4].map((n) => nextAttemptAt(n, now)!.getTime() - now.getTime());
    expect(waits).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(nextAttemptAt(GIVE_UP_AFTER_ATTEMPTS - 1, now)).not.toBeNull();
    expect(nextAttemptAt(GIVE_UP_AFTER_ATTEMPTS, now)).toBeNull();
  });

  it('takes https anywhere and plain http only to this machine', () => {
    expect(endpointUrlProblem('https://hooks.example.com/paybridge')).toBeNull();
    expect(endpointUrlProblem('http://127.0.0.1:9000/in')).toBeNull();
    expect(endpointUrlProblem('http://localhost/in')).toBeNull();
    expect(endpointUrlProblem('http://[::1]:8080/')).toBeNull();
    expect(endpointUrlProblem('http://hooks.example.com/in')).toMatch(/https/);
    expect(endpointUrlProblem('ftp://example.com/')).toMatch(/https/);
    expect(endpointUrlProblem('https://user:pw@example.com/')).toMatch(/password/);
    expect(endpointUrlProblem('example.com')).toMatch(/absolute/);
  });

  it('keeps the first line of an error, short', () => {
    expect(shortError('connect ECONNREFUSED\nstack…')).toBe('connect ECONNREFUSED');
    expect(shortError('x'.repeat(500))).toHaveLength(200);
  });
});
