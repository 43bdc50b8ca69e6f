import type { z } from 'zod';
import { updatePageBody } from '../../contract/payment-pages.ts';
import { changedFields, pickFields } from '../../domain/changes.ts';
import type { Db } from '../../db/connect.ts';
import { inTransaction } from '../../db/transaction.ts';
import { writeAudit } from '../../db/audit.ts';
import type { Actor } from '../../domain/actor.ts';
import { updatePage, type PaymentPageView } from '../../db/payment-pages.ts';
import { slugTaken } from '../../domain/payment-pages.ts';
import { lockPage } from './payment-page-view.ts';
import { chooseDepositAccount } from '../deposit-accounts/choose-deposit-account.ts';

/**
 * The account and deposit account a patch moves the page to, or nothing: a deposit
 * account sets the account to its kind; an account alone moves the page to that kind's
 * default account.
 */
async function depositChange(tx: Db, firmId: string, changes: PaymentPageChanges) {
  if (changes.account === undefined && changes.depositAccountId === undefined) return {};
  const deposit = await chooseDepositAccount(tx, firmId, changes, true);
  return { account: deposit.kind, depositAccountId: deposit.id };
}

export type PaymentPageChanges = z.output<typeof updatePageBody>;

/** What a patch may change: the body's fields. */
const FIELDS = updatePageBody.keyof().options;

/**
 * Changes a page. Turning "create a posting record" off or on affects only payments
 * taken after it: records already made stay as they are (SPEC §3.1). A patch that
 * changes nothing answers the page as it is and writes no audit event.
 */
export async function updatePaymentPage(
  db: Db,
  firmId: string,
  actor: Actor,
  id: string,
  changes: PaymentPageChanges,
): Promise<PaymentPageView> {
  return inTransaction(db, async (tx) => {
    const before = await lockPage(tx, firmId, id);
    const wanted = { ...changes, name: changes.name?.trim(), ...(await depositChange(tx, firmId, changes)) };
    const changed = changedFields(before, wanted, FIELDS);
    if (changed.length === 0) return before;

    const after = await updatePage(tx, firmId, before.id, pickFields(wanted, changed), new Date());
    if (after === 'slug_taken') throw slugTaken(wanted.slug ?? '');
    await writeAudit(tx, firmId, actor, [
      {
        action: 'payment_page_updated',
        detail: { pageId: after.id, before: pickFields(before, changed), after: pickFields(after, changed) },
      },
    ]);
    return after;
  });
}
