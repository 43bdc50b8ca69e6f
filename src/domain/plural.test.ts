import { describe, expect, it } from 'vitest';
import { plural } from './plural.ts';

describe('plural', () => {
  it('agrees with the count, one being the only singular', () => {
    expect(plural(1, 'line')).toBe('1 line');
    expect(plural(0, 'line')).toBe('0 lines');
    expect(plural(2, 'record')).toBe('2 records');
    expect(plural(1, 'batch', 'batches')).toBe('1 batch');
    expect(plural(3, 'try', 'tries')).toBe('3 tries');
  });
});
