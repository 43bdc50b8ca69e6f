import type { Db } from '../../db/connect.ts';
import { listDepositAccounts as listRows, type DepositAccountView } from '../../db/deposit-accounts.ts';

/** The firm's deposit accounts; a firm has a handful, so there is no paging. */
export async function listDepositAccounts(db: Db, firmId: string): Promise<{ items: DepositAccountView[] }> {
  return { items: await listRows(db, firmId) };
}
