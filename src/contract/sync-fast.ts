import type { z } from 'zod';
import type { SyncInput } from './agent.ts';
import { isPlainText, MAX_YEAR, MIN_YEAR } from '../domain/bounds.ts';
import { MAX_AMOUNT_CENTS } from '../domain/money.ts';
import { INVOICE_STATUSES, type InvoiceStatus } from '../domain/types.ts';
import { isPlainObject } from './fast-path.ts';

/**
 * The agent's sync body checked by hand (the fast path of syncBody, see fast-path.ts): each
 * field in one pass, where zod's schema runs a chain of checks per field and costs more
 * than the upsert behind it. It accepts exactly what the schema accepts and answers the
 * same output (sync-fast.test.ts holds the two equal on random inputs); anything it is
 * not sure of returns undefined, and the schema judges and words the problems.
 */

/** The three arrays as the schema answers them: the fast path must build exactly these. */
type SyncArrays = Pick<SyncInput, 'clients' | 'matters' | 'invoices'>;

/** text(max): a string of at most max UTF-16 units that textProblem finds nothing in. */
const isText = (value: unknown, max: number): value is string =>
  typeof value === 'string' && value.length <= max && isPlainText(value);

/** requiredText(max): text(max) with something other than whitespace. */
const isRequiredText = (value: unknown, max: number): value is string => isText(value, max) && value.trim().length > 0;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** isoDate: YYYY-MM-DD, a real day of the Gregorian calendar in the years taken. */
function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !DATE.test(value)) return false;
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!);
}

/** syncedCents: a whole number of cents from 0 to MAX_AMOUNT_CENTS. */
const isSyncedCents = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_AMOUNT_CENTS;

const isInvoiceStatus = (value: unknown): value is InvoiceStatus =>
  typeof value === 'string' && (INVOICE_STATUSES as readonly string[]).includes(value);

/** Whether the object has no keys but these (the schemas are strict). */
function hasOnlyKeys(row: Record<string, unknown>, count: number, keys: readonly string[]): boolean {
  let n = 0;
  for (const key in row) {
    if (!Object.hasOwn(row, key)) return false;
    n++;
  }
  return n === count && keys.every((key) => Object.hasOwn(row, key));
}

const INVOICE_KEYS = [
  'invoiceNumber',
  'clientNumber',
  'matterNumber',
  'invoiceDate',
  'totalCents',
  'balanceCents',
  'status',
] as const;

function invoiceOf(row: unknown): SyncArrays['invoices'][number] | undefined {
  if (!isPlainObject(row) || !hasOnlyKeys(row, INVOICE_KEYS.length, INVOICE_KEYS)) return undefined;
  const { invoiceNumber, clientNumber, matterNumber, invoiceDate, totalCents, balanceCents, status } = row;
  if (
    !isRequiredText(invoiceNumber, 64) ||
    !isRequiredText(clientNumber, 64) ||
    !isRequiredText(matterNumber, 64) ||
    !isIsoDate(invoiceDate) ||
    !isSyncedCents(totalCents) ||
    !isSyncedCents(balanceCents) ||
    !isInvoiceStatus(status)
  )
    return undefined;
  return { invoiceNumber, clientNumber, matterNumber, invoiceDate, totalCents, balanceCents, status };
}

const CLIENT_KEYS = ['clientNumber', 'name'] as const;

function clientOf(row: unknown): SyncArrays['clients'][number] | undefined {
  if (!isPlainObject(row) || !hasOnlyKeys(row, CLIENT_KEYS.length, CLIENT_KEYS)) return undefined;
  const { clientNumber, name } = row;
  if (!isRequiredText(clientNumber, 64) || !isRequiredText(name, 200)) return undefined;
  return { clientNumber, name };
}

function matterOf(row: unknown): SyncArrays['matters'][number] | undefined {
  if (!isPlainObject(row)) return undefined;
  // description is optional (default ''): the other two keys, and it or nothing else.
  const keys = Object.hasOwn(row, 'description')
    ? (['clientNumber', 'matterNumber', 'description'] as const)
    : (['clientNumber', 'matterNumber'] as const);
  if (!hasOnlyKeys(row, keys.length, keys)) return undefined;
  const { clientNumber, matterNumber } = row;
  const description = row.description === undefined ? '' : row.description;
  if (!isRequiredText(clientNumber, 64) || !isRequiredText(matterNumber, 64) || !isText(description, 500))
    return undefined;
  return { clientNumber, matterNumber, description };
}

/** An array of at most `max` rows each of which `rowOf` takes (absent: none), or undefined. */
function rowsOf<T>(value: unknown, max: number, rowOf: (row: unknown) => T | undefined): T[] | undefined {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > max) return undefined;
  const rows: T[] = new Array<T>(value.length);
  for (let i = 0; i < value.length; i++) {
    const row = rowOf(value[i]);
    if (row === undefined) return undefined;
    rows[i] = row;
  }
  return rows;
}

/**
 * The sync body's fast path: the three arrays checked here, the few other fields (full,
 * earlierInvoiceNumbers, readAfter) by the schema itself, which is cheap without the arrays.
 */
export function parseSyncBodyFast(data: unknown, schema: z.ZodType<SyncInput>, maxRows: number): SyncInput | undefined {
  if (!isPlainObject(data)) return undefined;
  const { clients, matters, invoices, ...rest } = data;
  const clientRows = rowsOf(clients, maxRows, clientOf);
  if (clientRows === undefined) return undefined;
  const matterRows = rowsOf(matters, maxRows, matterOf);
  if (matterRows === undefined) return undefined;
  const invoiceRows = rowsOf(invoices, maxRows, invoiceOf);
  if (invoiceRows === undefined) return undefined;
  const others = schema.safeParse(rest);
  if (!others.success) return undefined;
  return { ...others.data, clients: clientRows, matters: matterRows, invoices: invoiceRows };
}
