import { describe, expect, it } from 'vitest';
import { readOnly } from './run-bench.ts';

describe('BENCH_ONLY', () => {
  it('names the groups of rows to measure; unset or empty measures all', () => {
    expect(readOnly(undefined)).toBeUndefined();
    expect(readOnly(' ')).toBeUndefined();
    expect(readOnly('sync')).toEqual(new Set(['sync']));
    expect(readOnly('post, intake')).toEqual(new Set(['post', 'intake']));
  });

  it('refuses a group it does not know, naming the ones it does', () => {
    expect(() => readOnly('sync,export')).toThrow(
      'BENCH_ONLY takes lists, sync, post, intake, live (comma-separated), not "export"',
    );
  });
});
