import type { Db } from '../../db/connect.ts';
import { findDefaultDepositAccount, findDepositAccount, type DepositAccountView } from '../../db/deposit-accounts.ts';
import { depositAccountRefusal } from '../../domain/deposit-accounts.ts';
import { badRequest } from '../../domain/errors.ts';
import { isUuid } from '../../domain/ids.ts';
import type { Account } from '../../domain/types.ts';

/** What a request says of where its money goes: an account kind, a deposit account, or both. */
export interface AccountChoice {
  account?: Account | undefined;
  depositAccountId?: string | undefined;
}

/**
 * The deposit account a payment, page, link or schedule deposits to: the one it names
 * (the firm's, of the kind its `account` says; for something set up now, not archived)
 * or else the firm's default of its `account` kind. Another firm's id answers like a
 * missing one, 404 naming depositAccountId.
 */
export async function chooseDepositAccount(
  db: Db,
  firmId: string,
  choice: AccountChoice,
  setUp: boolean,
): Promise<DepositAccountView> {
  const { account, depositAccountId: id } = choice;
  if (id === undefined) {
    if (account === undefined) throw badRequest('give account or depositAccountId', { field: 'account' });
    return findDefaultDepositAccount(db, firmId, account);
  }
  const found = isUuid(id) ? await findDepositAccount(db, firmId, id) : undefined;
  const refused = depositAccountRefusal({ id, account: account ?? found?.kind ?? 'operating', setUp }, found);
  if (refused) throw refused;
  return found!;
}
