import { z } from 'zod';
import { DEPOSIT_CODE, DEPOSIT_CODE_PROBLEM } from '../domain/deposit-accounts.ts';
import { endpoint } from './endpoint.ts';
import { account, idParam, memoText, requiredText } from './fields.ts';

/** Deposit accounts (issue 13): the firm's operating and trust accounts and their MMS codes. */

const code = (what: string) => z.string().regex(DEPOSIT_CODE, DEPOSIT_CODE_PROBLEM).describe(what);

const codes = {
  bankAccountCode: code("the MMS's bank account code; paybridge-csv version 2 prints it as account_code"),
  ledgerCode: code('the general ledger (GL) code; printed as ledger_code'),
  transType: code('the transaction type the MMS books the receipt as; printed as trans_type'),
  defaultMemo: memoText(500).describe(
    "the A/R message a new posting record of this account starts with (the record's memo)",
  ),
};

export const depositAccountOut = z.object({
  id: z.string(),
  name: z.string(),
  kind: account,
  bankAccountCode: z.string(),
  ledgerCode: z.string(),
  transType: z.string(),
  defaultMemo: z.string(),
  isDefault: z.boolean().describe('takes the payments of its kind that name no deposit account; one per kind'),
  archived: z.boolean().describe('offered for nothing new; what already deposits to it stays'),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const createDepositAccountBody = z
  .object({
    name: requiredText(100),
    kind: account,
    ...codes,
    isDefault: z.boolean().describe('true: this account becomes the default of its kind'),
  })
  .partial({ bankAccountCode: true, ledgerCode: true, transType: true, defaultMemo: true, isDefault: true })
  .strict();

export const updateDepositAccountBody = z
  .object({
    name: requiredText(100),
    ...codes,
    isDefault: z.boolean().describe('true moves the default of its kind to this account; false is refused'),
    archived: z.boolean(),
  })
  .partial()
  .strict();

export const listDepositAccountsEndpoint = endpoint({
  method: 'GET',
  path: '/deposit-accounts',
  access: 'user',
  summary: "The firm's deposit accounts, operating first, the default of each kind first, then by name",
  response: z.object({ items: z.array(depositAccountOut) }),
});

export const createDepositAccountEndpoint = endpoint({
  method: 'POST',
  path: '/deposit-accounts',
  access: 'admin',
  summary: 'Add a deposit account; a name the firm already uses is 409',
  body: createDepositAccountBody,
  status: 201,
  response: depositAccountOut,
});

export const updateDepositAccountEndpoint = endpoint({
  method: 'PATCH',
  path: '/deposit-accounts/:id',
  access: 'admin',
  summary:
    'Change a deposit account: its name, codes and default memo (used from the next batch and the next record), make it the default of its kind, or archive it (never the default)',
  params: idParam,
  body: updateDepositAccountBody,
  response: depositAccountOut,
});

/** A deposit account as payments, records, pages, links and schedules name it. */
export const depositAccountRef = {
  depositAccountId: z.string().describe('the deposit account the money went to, of the kind `account` says'),
  depositAccountName: z.string().describe("that account's name as it is now"),
};
