import type { Account } from '../../domain/types.ts';
import type { Db } from '../../db/connect.ts';
import { inTransaction } from '../../db/transaction.ts';
import { writeAudit } from '../../db/audit.ts';
import type { Actor } from '../../domain/actor.ts';
import { PAGE_COLUMNS, slugTaken, toPageView, type PaymentPageView } from './payment-page-view.ts';

export interface NewPaymentPage {
  name: string;
  slug: string;
  account: Account;
  createPostingRecord: boolean;
  surchargeBps?: number | undefined;
}

export async function createPaymentPage(db: Db, firmId: string, actor: Actor, input: NewPaymentPage): Promise<PaymentPageView> {
  return inTransaction(db, async (tx) => {
    const row = await tx
      .insertInto('payment_pages')
      .values({
        firm_id: firmId,
        name: input.name.trim(),
        slug: input.slug,
        account: input.account,
        create_posting_record: input.createPostingRecord,
        surcharge_bps: input.surchargeBps ?? 0,
      })
      // The slug's unique index decides a race between two firms wanting one slug.
      .onConflict((oc) => oc.column('slug').doNothing())
      .returning(PAGE_COLUMNS)
      .executeTakeFirst();
    if (!row) throw slugTaken(input.slug);
    const page = toPageView(row);
    await writeAudit(tx, firmId, actor, [{ action: 'payment_page_created', detail: { pageId: page.id, after: page } }]);
    return page;
  });
}
