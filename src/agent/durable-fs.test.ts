import { describe, expect, it } from 'vitest';
import { withRetry } from './durable-fs.ts';
import { toCents } from './mms-db.ts';

function fsError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: resource busy`), { code });
}

describe('withRetry', () => {
  it('retries EBUSY, EPERM and EACCES with doubling delays, then succeeds', async () => {
    const codes = ['EBUSY', 'EPERM', 'EACCES'];
    const delays: number[] = [];
    const result = await withRetry(
      async () => {
        const code = codes.shift();
        if (code) throw fsError(code);
        return 'written';
      },
      { attempts: 5, firstDelayMs: 1, onRetry: (_e, _a, delay) => delays.push(delay) },
    );
    expect(result).toBe('written');
    expect(delays).toEqual([1, 2, 4]);
  });

  it('gives up after the bounded number of attempts, and never retries other errors', async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls += 1;
          throw fsError('EBUSY');
        },
        { attempts: 3, firstDelayMs: 1 },
      ),
    ).rejects.toThrow('EBUSY');
    expect(calls).toBe(3);
    calls = 0;
    await expect(
      withRetry(
        async () => {
          calls += 1;
          throw fsError('ENOSPC');
        },
        { attempts: 3, firstDelayMs: 1 },
      ),
    ).rejects.toThrow('ENOSPC');
    expect(calls).toBe(1);
  });
});

describe('toCents', () => {
  it('reads an MMS bigint exactly, from text or a number, and refuses anything unsafe', () => {
    expect(toCents('123456789012', 'total')).toBe(123_456_789_012);
    expect(toCents(-250, 'total')).toBe(-250);
    expect(toCents(12n, 'total')).toBe(12);
    expect(() => toCents('9007199254740993', 'invoice X total')).toThrow(
      'invoice X total: 9007199254740993 cents is beyond the safe integer range',
    );
    expect(() => toCents('12.50', 'total')).toThrow('not a whole number of cents');
    expect(() => toCents(null, 'total')).toThrow('not a whole number of cents');
  });
});
