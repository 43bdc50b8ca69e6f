import type { Logger } from 'pino';
import { DATE_RANGE_PROBLEM, isDateInRange, textProblem } from '../../domain/bounds.ts';
import { amountBoundProblem, isBoundedAmount } from '../../domain/money.ts';
import { INVOICE_STATUSES, type InvoiceStatus } from '../../domain/types.ts';
import type { SyncBody } from '../client.ts';
import { toCents, type MmsDb, type MmsQuery } from '../mms-db.ts';
import { stateFile } from '../state-file.ts';
import { MAX_ROWS_PER_KIND, sendInPages, type ChunkReader } from './pages.ts';

/**
 * How far back each sync looks before the previous one began. updated_at is set when an
 * MMS transaction starts, so a transaction still open when a sync reads is seen by the
 * next one as long as it commits within this margin. Rows sent twice change nothing.
 */
export const OVERLAP_SECONDS = 300;

/** A full resync (every row, `full: true`) is made by the first sync this long after the last one. */
export const FULL_SYNC_EVERY_MS = 24 * 60 * 60 * 1000;

const QUERIES = {
  clients: 'select client_number, name from paybridge_clients($1::timestamptz)',
  matters: 'select client_number, matter_number, description from paybridge_matters($1::timestamptz)',
  invoices: `select invoice_number, client_number, matter_number, invoice_date::text as invoice_date,
    total::text as total, balance::text as balance, status from paybridge_invoices($1::timestamptz)`,
} as const;

type Text = string | null;

/**
 * A row the server would refuse (SPEC §2 bounds) is named here by its number in the MMS:
 * the server could only name its place in a page of the sync.
 */
/** A value as JSON, with the separators JSON leaves raw escaped too, so a log line stays one line. */
function shown(value: string): string {
  return JSON.stringify(value).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

function checkText(what: string, columns: Record<string, string>): void {
  for (const [column, value] of Object.entries(columns)) {
    const problem = textProblem(value);
    if (problem !== null) throw new Error(`${what}: ${column} ${shown(value)} ${problem}`);
  }
}

function invoiceDate(value: Text | undefined, invoice: string): string {
  const date = value ?? '';
  if (!isDateInRange(date))
    throw new Error(`invoice ${invoice}: invoice_date ${JSON.stringify(value)} ${DATE_RANGE_PROBLEM}`);
  return date;
}

function boundedCents(value: unknown, column: string, invoice: string): number {
  const cents = toCents(value, `invoice ${invoice} ${column}`);
  if (!isBoundedAmount(cents))
    throw new Error(
      `invoice ${invoice}: ${column} of ${cents} cents is too large: ${amountBoundProblem(`an invoice's ${column}`)}`,
    );
  return cents;
}

function status(value: Text | undefined, invoice: string): InvoiceStatus {
  const found = INVOICE_STATUSES.find((s) => s === value);
  if (!found)
    throw new Error(`invoice ${invoice}: status ${JSON.stringify(value)} is not one of ${INVOICE_STATUSES.join(', ')}`);
  return found;
}

/** A cursor over one sync function, read a page at a time inside the sync's snapshot. */
function cursorReader<T>(tx: MmsQuery, name: string, map: (row: Record<string, Text>) => T): ChunkReader<T> {
  return async (max) => (await tx.query<Record<string, Text>>(`fetch forward ${max} from ${name}`)).map(map);
}

export interface SyncSummary {
  clients: number;
  matters: number;
  invoices: number;
  posts: number;
  since: string | null;
  /** A full resync: every row, and the server voided the open invoices the MMS no longer lists. */
  full: boolean;
}

interface SyncState {
  since: string | null;
  /** When the last full resync began (the agent's clock); absent before the first. */
  lastFullAt?: string;
}

function fullSyncDue(state: SyncState, now: Date): boolean {
  if (state.lastFullAt === undefined) return true;
  const last = Date.parse(state.lastFullAt);
  return Number.isNaN(last) || now.getTime() - last >= FULL_SYNC_EVERY_MS;
}

/**
 * The last page of a full resync carries `full: true`, and the server voids every open
 * invoice missing from the sync. It sees one page at a time, so that page also names the
 * invoices the earlier pages sent as open (only an open invoice can be voided; one the MMS
 * lists as paid or void was already written so by its page).
 */
function fullResync() {
  const earlier: string[] = [];
  return {
    sent(body: SyncBody): void {
      for (const v of body.invoices) if (v.status === 'open') earlier.push(v.invoiceNumber);
    },
    last(body: SyncBody): SyncBody {
      return { ...body, full: true, ...(earlier.length > 0 ? { earlierInvoiceNumbers: [...earlier] } : {}) };
    },
  };
}

/**
 * SPEC §6 sync from a PostgreSQL MMS through the install script's functions. One
 * read-only snapshot gives clients, matters and invoices that agree with each other; they
 * are paged to the server; the new `since` is saved only after every page was accepted.
 * Once a day (the first sync 24 h after the last full one, kept in the state folder) and
 * with `forceFull` it is a full resync: every row, whatever `since`, with `full: true`.
 */
export async function syncFromPostgres(
  mms: MmsDb,
  post: (body: SyncBody) => Promise<void>,
  stateDir: string,
  logger: Logger,
  pageSize = MAX_ROWS_PER_KIND,
  { forceFull = false, now = new Date() }: { forceFull?: boolean; now?: Date } = {},
): Promise<SyncSummary> {
  const state = stateFile<SyncState>(stateDir, 'postgres-sync.json', { since: null });
  const saved = await state.read();
  const full = forceFull || fullSyncDue(saved, now);
  const since = full ? null : saved.since;
  const summary: SyncSummary = { clients: 0, matters: 0, invoices: 0, posts: 0, since, full };
  const resync = full ? fullResync() : null;
  const sendPage = resync
    ? async (body: SyncBody) => {
        await post(body);
        resync.sent(body);
      }
    : post;
  const nextSince = await mms.transaction(async (tx) => {
    const [clock] = await tx.query<{ next: string }>(
      `select (now() - make_interval(secs => ${OVERLAP_SECONDS}))::text as next`,
    );
    for (const [kind, text] of Object.entries(QUERIES))
      await tx.query(`declare pb_${kind} no scroll cursor for ${text}`, [since]);
    const counted =
      <T>(kind: 'clients' | 'matters' | 'invoices', reader: ChunkReader<T>): ChunkReader<T> =>
      async (max) => {
        const rows = await reader(max);
        summary[kind] += rows.length;
        return rows;
      };
    summary.posts = await sendInPages(
      {
        clients: counted(
          'clients',
          cursorReader(tx, 'pb_clients', (r) => {
            const row = { clientNumber: r.client_number ?? '', name: r.name ?? '' };
            checkText(`client ${row.clientNumber}`, { client_number: row.clientNumber, name: row.name });
            return row;
          }),
        ),
        matters: counted(
          'matters',
          cursorReader(tx, 'pb_matters', (r) => {
            const row = {
              clientNumber: r.client_number ?? '',
              matterNumber: r.matter_number ?? '',
              description: r.description ?? '',
            };
            checkText(`matter ${row.clientNumber}/${row.matterNumber}`, {
              client_number: row.clientNumber,
              matter_number: row.matterNumber,
              description: row.description,
            });
            return row;
          }),
        ),
        invoices: counted(
          'invoices',
          cursorReader(tx, 'pb_invoices', (r) => {
            const invoiceNumber = r.invoice_number ?? '';
            const row = {
              invoiceNumber,
              clientNumber: r.client_number ?? '',
              matterNumber: r.matter_number ?? '',
              invoiceDate: invoiceDate(r.invoice_date, invoiceNumber),
              totalCents: boundedCents(r.total, 'total', invoiceNumber),
              balanceCents: boundedCents(r.balance, 'balance', invoiceNumber),
              status: status(r.status, invoiceNumber),
            };
            checkText(`invoice ${invoiceNumber}`, {
              invoice_number: invoiceNumber,
              client_number: row.clientNumber,
              matter_number: row.matterNumber,
            });
            return row;
          }),
        ),
      },
      sendPage,
      pageSize,
      resync ? (body) => resync.last(body) : undefined,
    );
    return clock?.next ?? null;
  }, 'begin isolation level repeatable read read only');
  await state.write({ since: nextSince, lastFullAt: full ? now.toISOString() : saved.lastFullAt });
  const said = full
    ? 'synced from the MMS: a full resync (every row; invoices it no longer lists are voided)'
    : summary.posts > 0
      ? 'synced from the MMS'
      : 'sync: nothing changed in the MMS';
  logger.info({ ...summary, nextSince }, said);
  return summary;
}
