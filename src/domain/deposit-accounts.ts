import { badRequest, DomainError, notFound } from './errors.ts';
import type { Account } from './types.ts';

/**
 * Deposit accounts (issue 13): each of a firm's operating and trust accounts with the
 * codes an MMS receipt needs (Elite, Aderant and 3E take a bank account code, a ledger
 * code and a transaction type per account) and the A/R message a new record starts with.
 */

/** A code as an MMS import takes it: printable ASCII, at most 30 (the file quotes a comma). */
export const DEPOSIT_CODE = /^[\x20-\x7e]{0,30}$/;
export const DEPOSIT_CODE_PROBLEM = 'must be at most 30 printable ASCII characters';

/** The codes paybridge-csv version 2 prints on each line (empty when the firm set none). */
export interface DepositCodes {
  accountCode: string;
  ledgerCode: string;
  transType: string;
}

export const NO_CODES: DepositCodes = { accountCode: '', ledgerCode: '', transType: '' };

/** What a payment, page, link or schedule choosing an account is checked against. */
export interface ChosenAccount {
  id: string;
  name: string;
  kind: Account;
  archived: boolean;
}

/**
 * Why the deposit account a request names cannot take its money, or null: it must be the
 * firm's (another firm's answers like a missing one), of the kind the request's `account`
 * says, and, for something set up now, not archived.
 */
export function depositAccountRefusal(
  wanted: { id: string; account: Account; setUp: boolean },
  found: ChosenAccount | undefined,
): DomainError | null {
  if (!found) {
    return new DomainError(
      'not_found',
      'the deposit account chosen was not found: reload the page and choose one of the firm’s deposit accounts',
      { field: 'depositAccountId', id: wanted.id },
    );
  }
  if (found.kind !== wanted.account) {
    return badRequest(
      `deposit account "${found.name}" is a ${found.kind} account but the money is for the ${wanted.account} account; choose ${wanted.account === 'operating' ? 'an' : 'a'} ${wanted.account} deposit account`,
      { field: 'depositAccountId', id: wanted.id },
    );
  }
  if (wanted.setUp && found.archived) {
    return badRequest(`deposit account "${found.name}" is archived; choose an active account`, {
      field: 'depositAccountId',
      id: wanted.id,
    });
  }
  return null;
}

/**
 * Why a change to an account would leave its kind without exactly one active default, or
 * null. The default takes the payments that name no account: it moves to another account
 * (which stops the old one being it), it is never just switched off, and it is never archived.
 */
export function defaultAccountRefusal(
  account: { id: string; name: string; isDefault: boolean; archived: boolean },
  change: { archived?: boolean | undefined; isDefault?: boolean | undefined },
): DomainError | null {
  const isDefault = change.isDefault ?? account.isDefault;
  const archived = change.archived ?? account.archived;
  if (account.isDefault && !isDefault) {
    return new DomainError(
      'invalid_state',
      `deposit account "${account.name}" is the default of its kind; make another account the default instead`,
      { ids: [account.id], field: 'isDefault' },
    );
  }
  if (isDefault && archived) {
    return account.isDefault
      ? new DomainError(
          'invalid_state',
          `deposit account "${account.name}" is the default of its kind; make another account the default before archiving it`,
          { ids: [account.id], field: 'archived' },
        )
      : badRequest(`deposit account "${account.name}" is archived and cannot be the default; make it active first`, {
          field: 'isDefault',
          id: account.id,
        });
  }
  return null;
}

export const depositAccountNotFound = (id: string) => notFound('deposit account', id);

export const depositAccountNameTaken = (name: string) =>
  new DomainError('deposit_account_name_taken', `the firm already has a deposit account named "${name}"`, {
    field: 'name',
    name,
  });
