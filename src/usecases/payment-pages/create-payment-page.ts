import type { z } from 'zod';
import type { createPageBody } from '../../contract/payment-pages.ts';
import type { Db } from '../../db/connect.ts';
import { inTransaction } from '../../db/transaction.ts';
import { writeAudit } from '../../db/audit.ts';
import type { Actor } from '../../domain/actor.ts';
import { insertPage, type PaymentPageView } from '../../db/payment-pages.ts';
import { slugTaken } from '../../domain/payment-pages.ts';
import { chooseDepositAccount } from '../deposit-accounts/choose-deposit-account.ts';

export type NewPaymentPage = z.output<typeof createPageBody>;

export async function createPaymentPage(
  db: Db,
  firmId: string,
  actor: Actor,
  input: NewPaymentPage,
): Promise<PaymentPageView> {
  return inTransaction(db, async (tx) => {
    const deposit = await chooseDepositAccount(tx, firmId, input, true);
    const page = await insertPage(tx, firmId, {
      name: input.name.trim(),
      slug: input.slug,
      account: deposit.kind,
      deposit_account_id: deposit.id,
      create_posting_record: input.createPostingRecord,
      surcharge_bps: input.surchargeBps ?? 0,
    });
    if (page === 'slug_taken') throw slugTaken(input.slug);
    await writeAudit(tx, firmId, actor, [{ action: 'payment_page_created', detail: { pageId: page.id, after: page } }]);
    return page;
  });
}
