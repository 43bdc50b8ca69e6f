import { describe, expect, it } from 'vitest';
import { PAGE_SLUG, RESERVED_SLUGS, slugTaken } from './payment-pages.ts';

describe('payment page slugs', () => {
  it.each(['hartwell-finch', 'a', '0-retainer', 'a'.repeat(63)])('takes %j', (slug) => {
    expect(PAGE_SLUG.test(slug)).toBe(true);
  });

  it.each(['', '-a', 'Hartwell', 'a_b', 'a b', 'a'.repeat(64)])('refuses %j', (slug) => {
    expect(PAGE_SLUG.test(slug)).toBe(false);
  });

  it("keeps the links' own paths for them", () => {
    expect(RESERVED_SLUGS).toEqual(['link', 'quick']);
  });

  it('says a taken slug is taken, naming the field', () => {
    const error = slugTaken('hf');
    expect(error.code).toBe('slug_taken');
    expect(error.message).toBe('the slug "hf" is already taken; choose another');
    expect(error.details).toEqual({ field: 'slug', slug: 'hf' });
  });
});
