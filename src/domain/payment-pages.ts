import { DomainError } from './errors.ts';

/** Payment pages (SPEC §3.3): the firm's public pages at /pay/{slug}. */

/** A page's slug, part of its public URL: the same rule as the payment_pages.slug CHECK. */
export const PAGE_SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** /pay/link/{token} and /pay/quick/{token} are links, so no page may be called that. */
export const RESERVED_SLUGS: readonly string[] = ['link', 'quick'];

/** Slugs are public URLs and so unique across all firms, not just this one. */
export const slugTaken = (slug: string) =>
  new DomainError('slug_taken', `the slug "${slug}" is already taken; choose another`, { field: 'slug', slug });
