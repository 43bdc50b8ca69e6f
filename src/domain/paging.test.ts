import { describe, expect, it } from 'vitest';
import { seqCursor } from './paging.ts';

describe('seqCursor', () => {
  it('reads the batch seq a Batches page ended at', () => {
    expect(seqCursor('1')).toBe(1);
    expect(seqCursor('2147483647')).toBe(2_147_483_647);
  });

  it.each(['0', '01', '-1', '1.5', 'abc', '', '2147483648', '12345678901'])(
    'refuses %j as no cursor this list gave',
    (cursor) => {
      expect(() => seqCursor(cursor)).toThrow(
        expect.objectContaining({ code: 'bad_request', details: { field: 'cursor' } }),
      );
    },
  );
});
