import type { z } from 'zod';
import type { createDepositAccountBody } from '../../contract/deposit-accounts.ts';
import type { Db } from '../../db/connect.ts';
import {
  findDepositAccount,
  insertDepositAccount,
  lockDefaults,
  moveDefault,
  type DepositAccountView,
} from '../../db/deposit-accounts.ts';
import { inTransaction } from '../../db/transaction.ts';
import { writeAudit } from '../../db/audit.ts';
import type { Actor } from '../../domain/actor.ts';
import { depositAccountNameTaken } from '../../domain/deposit-accounts.ts';

export type NewDepositAccount = z.output<typeof createDepositAccountBody>;

/** Adds a deposit account; with isDefault it takes over as the default of its kind. */
export async function createDepositAccount(
  db: Db,
  firmId: string,
  actor: Actor,
  input: NewDepositAccount,
): Promise<DepositAccountView> {
  return inTransaction(db, async (tx) => {
    if (input.isDefault === true) await lockDefaults(tx, firmId);
    const name = input.name.trim();
    const made = await insertDepositAccount(tx, firmId, {
      name,
      kind: input.kind,
      bank_account_code: input.bankAccountCode ?? '',
      ledger_code: input.ledgerCode ?? '',
      trans_type: input.transType ?? '',
      default_memo: input.defaultMemo ?? '',
    });
    if (made === 'name_taken') throw depositAccountNameTaken(name);
    let account = made;
    if (input.isDefault === true) {
      await moveDefault(tx, firmId, made.kind, made.id, new Date());
      account = (await findDepositAccount(tx, firmId, made.id))!;
    }
    await writeAudit(tx, firmId, actor, [
      { action: 'deposit_account_created', detail: { depositAccountId: account.id, after: account } },
    ]);
    return account;
  });
}
