import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parsePaybridgeCsv, type ParsedLine } from '../domain/posting-file.ts';
import type { SyncBody } from '../agent/client.ts';
import { toCents, type MmsDb, type MmsQuery, type MmsRow } from '../agent/mms-db.ts';

export interface SimInvoice {
  invoiceNumber: string;
  clientNumber: string;
  matterNumber: string;
  totalCents: number;
}

export const CLIENTS = [
  { clientNumber: 'C1', name: 'Acme Holdings', matterNumber: 'M1' },
  { clientNumber: 'C2', name: 'Baker & Sons', matterNumber: 'M2' },
] as const;

/** A line the MMS applied, and the file it came in (null through the procedure sink). */
export interface AppliedLine extends Omit<ParsedLine, 'paymentId'> {
  /** The payment the line names: a file's lines say it, the procedure's do not (null). */
  paymentId: string | null;
  fileName: string | null;
}

/** The firm's MMS as the simulation sees it, whichever way the agent delivers to it. */
export interface SimLedger {
  readonly sink: 'file-drop' | 'procedure';
  readonly invoices: SimInvoice[];
  /** Every line the MMS applied, in the order it applied them (read again by settle()). */
  readonly applied: AppliedLine[];
  /** The files the MMS refused whole (the file-drop import only). */
  readonly refusedFiles: string[];
  /** Reads again what the MMS holds. */
  settle(): Promise<void>;
  syncBody(): Promise<SyncBody>;
  /** The files waiting for the MMS's import (none through the procedure sink). */
  waiting(): Promise<string[]>;
  importFile(fileName: string, refuse: boolean): Promise<string>;
}

function syncBodyOf(invoices: SimInvoice[], balanceOf: (invoiceNumber: string) => number): SyncBody {
  return {
    clients: CLIENTS.map((c) => ({ clientNumber: c.clientNumber, name: c.name })),
    matters: CLIENTS.map((c) => ({ clientNumber: c.clientNumber, matterNumber: c.matterNumber, description: 'Sim' })),
    invoices: invoices.map((i) => {
      const balance = balanceOf(i.invoiceNumber);
      return {
        invoiceNumber: i.invoiceNumber,
        clientNumber: i.clientNumber,
        matterNumber: i.matterNumber,
        invoiceDate: '2026-10-01',
        totalCents: i.totalCents,
        balanceCents: Math.max(balance, 0),
        status: balance > 0 ? ('open' as const) : ('paid' as const),
      };
    }),
    full: false,
  };
}

/**
 * The firm's MMS and its import, as the file-drop sink meets it: it takes each PB_*.csv
 * from the drop folder, applies every line or refuses the whole file, and moves the file
 * to its processed or rejected folder (a refusal's reason in `<file>.error`). It keeps
 * every line it ever applied, and applies a file it finds again a second time, as a real
 * import would: that is how a duplicate delivery shows.
 */
export class SimMms implements SimLedger {
  readonly sink = 'file-drop' as const;
  readonly applied: AppliedLine[] = [];
  readonly refusedFiles: string[] = [];

  constructor(
    readonly invoices: SimInvoice[],
    private readonly folders: { inbox: string; processed: string; rejected: string },
  ) {}

  balanceOf(invoiceNumber: string): number {
    const invoice = this.invoices.find((i) => i.invoiceNumber === invoiceNumber);
    const taken = this.applied
      .filter((l) => l.account === 'operating' && l.invoiceNumber === invoiceNumber)
      .reduce((sum, l) => sum + l.amountCents, 0);
    return (invoice?.totalCents ?? 0) - taken;
  }

  async settle(): Promise<void> {}

  /** What the agent's sync would send: every client, matter and invoice with its balance now. */
  async syncBody(): Promise<SyncBody> {
    return syncBodyOf(this.invoices, (n) => this.balanceOf(n));
  }

  /** The files waiting in the drop folder, oldest batch first. */
  async waiting(): Promise<string[]> {
    return (await readdir(this.folders.inbox)).filter((n) => /^PB_.*\.csv$/.test(n)).sort();
  }

  /** Imports one file: `refuse` says whether the MMS refuses it. Returns what it did, for the trace. */
  async importFile(fileName: string, refuse: boolean): Promise<string> {
    const path = join(this.folders.inbox, fileName);
    const text = await readFile(path, 'utf8');
    let lines: ParsedLine[];
    try {
      lines = parsePaybridgeCsv(text).lines;
    } catch (error) {
      await writeFile(join(this.folders.rejected, `${fileName}.error`), String(error));
      await rename(path, join(this.folders.rejected, fileName));
      this.refusedFiles.push(fileName);
      return `refused ${fileName}: unreadable (${String(error)})`;
    }
    if (refuse) {
      await writeFile(join(this.folders.rejected, `${fileName}.error`), 'Receipt refused: the period is closed');
      await rename(path, join(this.folders.rejected, fileName));
      this.refusedFiles.push(fileName);
      return `refused ${fileName} (${lines.length} lines)`;
    }
    for (const line of lines) this.applied.push({ ...line, fileName });
    await rename(path, join(this.folders.processed, fileName));
    return `applied ${fileName} (${lines.length} lines)`;
  }
}

/** Lost connection to the MMS, as pg reports one: no SQLSTATE, so the sink retries the whole batch. */
export class MmsConnectionLost extends Error {
  constructor() {
    super('Connection terminated unexpectedly (simulated)');
    this.name = 'MmsConnectionLost';
  }
}

/**
 * The firm's MMS as the procedure sink meets it: the demo MMS's schema and
 * paybridge_post_receipt (sql/mms/postgres) in an embedded PGlite, shared by the seeds of
 * a run and emptied for each. It refuses what the demo MMS refuses (an unknown invoice, more
 * than the open balance, another client's invoice), line by line, in the agent's transaction.
 */
export class ProcedureMms implements SimLedger {
  readonly sink = 'procedure' as const;
  applied: AppliedLine[] = [];
  readonly refusedFiles: string[] = [];
  /** Armed by the simulation: the next statement of the agent's next batch fails as a lost connection. */
  failNext = false;

  private constructor(
    readonly invoices: SimInvoice[],
    private readonly db: MmsDb,
  ) {}

  /** The MMS emptied and set up with this seed's clients, matters and invoices. */
  static async open(db: MmsDb, invoices: SimInvoice[]): Promise<ProcedureMms> {
    await db.exec('truncate mms_receipts, mms_invoices, mms_matters, mms_clients restart identity');
    for (const c of CLIENTS) {
      await db.query('insert into mms_clients (client_number, name) values ($1, $2)', [c.clientNumber, c.name]);
      await db.query('insert into mms_matters (client_number, matter_number, description) values ($1, $2, $3)', [
        c.clientNumber,
        c.matterNumber,
        'Sim',
      ]);
    }
    for (const i of invoices)
      await db.query(
        `insert into mms_invoices (invoice_number, client_number, matter_number, invoice_date, total_cents, balance_cents)
         values ($1, $2, $3, '2026-10-01', $4, $4)`,
        [i.invoiceNumber, i.clientNumber, i.matterNumber, i.totalCents],
      );
    return new ProcedureMms(invoices, db);
  }

  private faulted(query: MmsQuery): MmsQuery {
    return {
      query: <T extends MmsRow>(text: string, params?: unknown[]) => {
        if (this.failNext) {
          this.failNext = false;
          return Promise.reject(new MmsConnectionLost());
        }
        return query.query<T>(text, params);
      },
    };
  }

  /** The connection the agent's procedure sink gets: faulted when armed, and never closed by it (the run keeps the database). */
  get agentDb(): MmsDb {
    // Only the batch's transaction loses its connection: a start-up check that failed
    // would stop the agent for good here, where a real service would start again.
    return {
      query: (text, params) => this.db.query(text, params),
      exec: (script) => this.db.exec(script),
      transaction: (work, begin) => this.db.transaction((tx) => work(this.faulted(tx)), begin),
      close: async () => {},
    };
  }

  async settle(): Promise<void> {
    const rows = await this.db.query<{
      record_id: string;
      line: number;
      invoice_number: string | null;
      client_number: string;
      matter_number: string;
      amount_cents: unknown;
      account: 'operating' | 'trust';
      memo: string;
    }>(
      `select record_id, line, invoice_number, client_number, matter_number, amount_cents, account, memo
       from mms_receipts order by id`,
    );
    this.applied = rows.map((r) => ({
      recordId: r.record_id,
      paymentId: null,
      fileName: null,
      line: r.line,
      postingDate: '',
      account: r.account,
      invoiceNumber: r.invoice_number,
      clientNumber: r.client_number,
      matterNumber: r.matter_number,
      amountCents: toCents(r.amount_cents, 'amount_cents'),
      memo: r.memo,
    })) as AppliedLine[];
  }

  async syncBody(): Promise<SyncBody> {
    const rows = await this.db.query<{ invoice_number: string; balance_cents: unknown }>(
      'select invoice_number, balance_cents from mms_invoices',
    );
    const balances = new Map(rows.map((r) => [r.invoice_number, toCents(r.balance_cents, 'balance_cents')]));
    return syncBodyOf(this.invoices, (n) => balances.get(n) ?? 0);
  }

  async waiting(): Promise<string[]> {
    return [];
  }

  importFile(fileName: string): Promise<string> {
    return Promise.reject(new Error(`the procedure sink leaves no file to import (${fileName})`));
  }
}
