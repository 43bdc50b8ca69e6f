import type { Account } from '../../domain/types.ts';
import type { Db } from '../../db/connect.ts';
import { DomainError } from '../../domain/errors.ts';
import { PAGE_SLUG } from '../../domain/payment-pages.ts';
import { findEnabledPageBySlug } from '../../db/payment-pages.ts';

export interface PublicPage {
  id: string;
  firmId: string;
  firmName: string;
  name: string;
  slug: string;
  account: Account;
  surchargeBps: number;
  enabled: boolean;
}

/** An enabled page by its public slug; a disabled or unknown one answers not_found alike. */
export async function findPublicPage(db: Db, slug: string): Promise<PublicPage> {
  const row = PAGE_SLUG.test(slug) ? await findEnabledPageBySlug(db, slug) : undefined;
  if (!row) throw new DomainError('not_found', `there is no payment page at /pay/${slug}`);
  return {
    id: row.id,
    firmId: row.firm_id,
    firmName: row.firm_name,
    name: row.name,
    slug: row.slug,
    account: row.account,
    surchargeBps: row.surcharge_bps,
    enabled: row.enabled,
  };
}
