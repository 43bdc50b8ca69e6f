import { describe, expect, it } from 'vitest';
import { changedFields, pickFields } from './changes.ts';

const page = { name: 'Portal', slug: 'portal', enabled: true, surchargeBps: 0 };
const FIELDS = ['name', 'slug', 'enabled', 'surchargeBps'] as const;

describe('changedFields', () => {
  it('names the fields given with a new value, in the order of the list', () => {
    expect(changedFields(page, { surchargeBps: 300, name: 'Client portal' }, FIELDS)).toEqual(['name', 'surchargeBps']);
  });

  it('ignores fields not given and fields given their current value', () => {
    expect(changedFields(page, { name: 'Portal', slug: undefined }, FIELDS)).toEqual([]);
  });

  it('counts false and 0 as values, not as absent', () => {
    expect(changedFields({ ...page, surchargeBps: 100 }, { enabled: false, surchargeBps: 0 }, FIELDS)).toEqual([
      'enabled',
      'surchargeBps',
    ]);
  });
});

describe('pickFields', () => {
  it('keeps only the named fields', () => {
    expect(pickFields(page, ['slug', 'enabled'])).toEqual({ slug: 'portal', enabled: true });
  });
});
