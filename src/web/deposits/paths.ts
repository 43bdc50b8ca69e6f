import { calendarDateIn } from '../../domain/dates.ts';
import { ACCOUNTS, isOneOf, type Account } from '../../domain/types.ts';
import { ACCOUNT_LABELS } from '../common/format.ts';
import { SCREEN_PATHS } from '../router.ts';

/** The Deposits screen's pages, each at an address that can be pasted: the list, one payout, a month's statement. */
export type DepositsPage = { page: 'list' } | { page: 'statement' } | { page: 'payout'; id: string };

const BASE = SCREEN_PATHS.deposits;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export function depositsPageOf(path: string): DepositsPage {
  const rest = path.slice(BASE.length).replace(/^\/+|\/+$/g, '');
  if (rest === '') return { page: 'list' };
  if (rest === 'statement') return { page: 'statement' };
  return { page: 'payout', id: decodeURIComponent(rest) };
}

export const depositsPath = (month: string) => `${BASE}?month=${month}`;
export const statementPath = (month: string) => `${BASE}/statement?month=${month}`;
export const payoutPath = (id: string) => `${BASE}/${encodeURIComponent(id)}`;

/** The month a page shows: the one its address names, else the month it is now on the firm's calendar. */
export function monthOf(param: string | null, timeZone: string, now = new Date()): string {
  return param !== null && MONTH.test(param) ? param : calendarDateIn(now, timeZone).slice(0, 7);
}

/** The month a calendar date (YYYY-MM-DD) is in. */
export const monthOfDay = (isoDate: string) => isoDate.slice(0, 7);

interface DepositAccount {
  id: string;
  name: string;
  kind: Account;
}

/**
 * The account filter's choices, grouped by kind: each deposit account (archived ones too,
 * since their old payouts stay), and "All … accounts" of a kind that has more than one.
 */
export function accountFilterOptions(accounts: readonly DepositAccount[]) {
  return ACCOUNTS.map((kind) => {
    const ofKind = accounts.filter((a) => a.kind === kind);
    const all = ofKind.length > 1 ? [{ value: kind, label: `All ${ACCOUNT_LABELS[kind].toLowerCase()} accounts` }] : [];
    return { group: ACCOUNT_LABELS[kind], items: [...all, ...ofKind.map((a) => ({ value: a.id, label: a.name }))] };
  }).filter((g) => g.items.length > 0);
}

/** What a chosen filter asks of GET /deposits: a kind of account, or one account by its id. */
export function accountQuery(value: string | null): { account?: Account; depositAccountId?: string } {
  if (!value) return {};
  return isOneOf(ACCOUNTS, value) ? { account: value } : { depositAccountId: value };
}
