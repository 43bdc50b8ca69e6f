import { describe, expect, it } from 'vitest';
import { connectWarning, deliveryTimes, silenceLimitSeconds, spokenDuration } from './connect-status.ts';

const now = new Date('2026-05-04T12:00:00Z');
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);

describe('connectWarning (SPEC §5.2)', () => {
  const waiting = { batches: 2, oldestSince: ago(3600) };

  it('says nothing while no batch waits, however silent the agents', () => {
    expect(
      connectWarning({ batches: 0, oldestSince: null }, [{ lastSeenAt: ago(86_400), pollSeconds: 60 }], now),
    ).toBeNull();
    expect(connectWarning({ batches: 0, oldestSince: null }, [], now)).toBeNull();
  });

  it('waits 3 poll intervals, and at least 3 minutes, before an agent counts as silent', () => {
    expect(silenceLimitSeconds(60)).toBe(180);
    expect(silenceLimitSeconds(5)).toBe(180);
    expect(silenceLimitSeconds(300)).toBe(900);
    expect(silenceLimitSeconds(null)).toBe(180);
    expect(connectWarning(waiting, [{ lastSeenAt: ago(180), pollSeconds: 5 }], now)).toBeNull();
    expect(connectWarning(waiting, [{ lastSeenAt: ago(181), pollSeconds: 5 }], now)).toMatch(
      /^2 batches are waiting and no Connect agent has been in contact for 3 minutes/,
    );
    expect(connectWarning(waiting, [{ lastSeenAt: ago(899), pollSeconds: 300 }], now)).toBeNull();
    expect(connectWarning(waiting, [{ lastSeenAt: ago(901), pollSeconds: 300 }], now)).toMatch(/for 15 minutes/);
  });

  it('says nothing while any one agent is in contact, and names the most recent contact when none is', () => {
    const silent = { lastSeenAt: ago(7200), pollSeconds: 60 };
    expect(connectWarning(waiting, [silent, { lastSeenAt: ago(30), pollSeconds: 60 }], now)).toBeNull();
    expect(
      connectWarning(
        waiting,
        [silent, { lastSeenAt: ago(600), pollSeconds: 60 }, { lastSeenAt: null, pollSeconds: null }],
        now,
      ),
    ).toMatch(/for 10 minutes/);
  });

  it('with no agent ever in contact, warns once the oldest batch has waited 3 minutes', () => {
    const never = [{ lastSeenAt: null, pollSeconds: null }];
    expect(connectWarning({ batches: 1, oldestSince: ago(179) }, never, now)).toBeNull();
    expect(connectWarning({ batches: 1, oldestSince: ago(180) }, [], now)).toMatch(
      /^1 batch is waiting \(the oldest for 3 minutes\) and no Connect agent has ever been in contact/,
    );
    expect(connectWarning({ batches: 3, oldestSince: ago(7200) }, never, now)).toMatch(
      /^3 batches are waiting \(the oldest for 2 hours\)/,
    );
  });
});

describe('spokenDuration', () => {
  it('speaks in the unit a person would use', () => {
    expect(spokenDuration(1)).toBe('1 second');
    expect(spokenDuration(119)).toBe('119 seconds');
    expect(spokenDuration(120)).toBe('2 minutes');
    expect(spokenDuration(7199)).toBe('119 minutes');
    expect(spokenDuration(7200)).toBe('2 hours');
    expect(spokenDuration(3 * 86_400)).toBe('3 days');
  });
});

describe('deliveryTimes', () => {
  it('is the nearest-rank median and p95 in seconds, to the millisecond', () => {
    const samples = Array.from({ length: 20 }, (_, i) => (i + 1) * 100); // 0.1 s … 2.0 s
    expect(deliveryTimes(samples)).toEqual({ median: 1, p95: 1.9, samples: 20 });
    expect(deliveryTimes([1234.4])).toEqual({ median: 1.234, p95: 1.234, samples: 1 });
  });

  it('is null without samples', () => {
    expect(deliveryTimes([])).toEqual({ median: null, p95: null, samples: 0 });
  });
});
