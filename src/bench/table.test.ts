import { describe, expect, it } from 'vitest';
import { judge, ms, quietMachine, ratiosTo, renderTable, spreadOf, withSpread } from './table.ts';

describe('the median and spread of a measurement', () => {
  it('takes the middle run of an odd count and the mean of the two middle ones of an even count', () => {
    expect(spreadOf([30, 10, 20])).toEqual({ median: 20, min: 10, max: 30, n: 3 });
    expect(spreadOf([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4, n: 4 });
    expect(spreadOf([7])).toEqual({ median: 7, min: 7, max: 7, n: 1 });
  });

  it('names what is wrong with no samples or a sample that is not a number', () => {
    expect(() => spreadOf([])).toThrow(/at least one sample/);
    expect(() => spreadOf([1, Number.NaN])).toThrow(/finite samples/);
  });

  it('prints the median first and the spread beside it', () => {
    expect(withSpread(spreadOf([1450, 1100, 1200]), ms)).toBe('1.20 s (min–max 1.10 s–1.45 s, 3 runs)');
    expect([ms(0.042), ms(4.25), ms(42.4)]).toEqual(['42 µs', '4.3 ms', '42 ms']);
  });

  it('pairs each run with its own floor when there are as many, and so one slow moment does not make a MISS', () => {
    // The second run met a loaded machine: figure and floor both doubled; the ratio held.
    expect(ratiosTo([150, 300, 160], [100, 200, 100])).toEqual({ median: 1.5, min: 1.5, max: 1.6, n: 3 });
    // Floors counted differently: each figure over the floors' median.
    expect(ratiosTo([100, 300], [100, 200, 50])).toEqual({ median: 2, min: 1, max: 3, n: 2 });
  });
});

describe('the verdict of a row', () => {
  it('judges the ratio where there is a floor, whatever the absolute figure', () => {
    expect(judge({ ratio: 1.4, limit: 1.5, bound: 'at most' }, false)).toBe('ok');
    expect(judge({ ratio: 1.5, limit: 1.5, bound: 'at most' }, true)).toBe('ok');
    expect(judge({ ratio: 1.51, limit: 1.5, bound: 'at most' }, true)).toBe('MISS');
    expect(judge({ ratio: 0.5, limit: 0.5, bound: 'at least' }, false)).toBe('ok');
    expect(judge({ ratio: 0.49, limit: 0.5, bound: 'at least' }, true)).toBe('MISS');
  });

  it('judges the absolute figure where there is no floor', () => {
    expect(judge(null, true)).toBe('ok');
    expect(judge(null, false)).toBe('MISS');
  });

  it('prints the absolute target as information about a quiet machine', () => {
    expect(quietMachine('≤ 5.00 s', false)).toBe('≤ 5.00 s on a quiet machine: missed here');
  });

  it('renders one markdown row per measurement, with pipes in a cell escaped', () => {
    const table = renderTable([
      { metric: 'a|b', measured: '1 ms', value: 1, target: '≤ 2 ms', ratio: '—', verdict: 'ok' },
    ]);
    expect(table.split('\n')[2]).toBe('| a\\|b | 1 ms | ≤ 2 ms | — | ok |');
  });
});
