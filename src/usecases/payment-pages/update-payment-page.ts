import type { Updateable } from 'kysely';
import type { z } from 'zod';
import type { updatePageBody } from '../../contract/payment-pages.ts';
import type { Db } from '../../db/connect.ts';
import { inTransaction } from '../../db/transaction.ts';
import { writeAudit } from '../../db/audit.ts';
import type { PaymentPagesTable } from '../../db/schema.ts';
import type { Actor } from '../auth/principal.ts';
import { updatePage, type PaymentPageView } from '../../db/payment-pages.ts';
import { lockPage, slugTaken } from './payment-page-view.ts';

export type PaymentPageChanges = z.output<typeof updatePageBody>;

const FIELDS = ['name', 'slug', 'account', 'createPostingRecord', 'surchargeBps', 'enabled'] as const satisfies readonly (keyof PaymentPageChanges)[];

/**
 * Changes a page. Turning "create a posting record" off or on affects only payments
 * taken after it: records already made stay as they are (SPEC §3.1). A patch that
 * changes nothing answers the page as it is and writes no audit event.
 */
export async function updatePaymentPage(db: Db, firmId: string, actor: Actor, id: string, changes: PaymentPageChanges): Promise<PaymentPageView> {
  return inTransaction(db, async (tx) => {
    const before = await lockPage(tx, firmId, id);
    const wanted = { ...changes, name: changes.name?.trim() };
    const changed = FIELDS.filter((key) => wanted[key] !== undefined && wanted[key] !== before[key]);
    if (changed.length === 0) return before;

    const set: Updateable<PaymentPagesTable> = { updated_at: new Date() };
    if (changed.includes('name')) set.name = wanted.name;
    if (changed.includes('slug')) set.slug = wanted.slug;
    if (changed.includes('account')) set.account = wanted.account;
    if (changed.includes('createPostingRecord')) set.create_posting_record = wanted.createPostingRecord;
    if (changed.includes('surchargeBps')) set.surcharge_bps = wanted.surchargeBps;
    if (changed.includes('enabled')) set.enabled = wanted.enabled;

    const after = await updatePage(tx, firmId, before.id, set);
    if (after === 'slug_taken') throw slugTaken(wanted.slug ?? '');
    const pick = (page: PaymentPageView) => Object.fromEntries(changed.map((key) => [key, page[key]]));
    await writeAudit(tx, firmId, actor, [{ action: 'payment_page_updated', detail: { pageId: after.id, before: pick(before), after: pick(after) } }]);
    return after;
  });
}
