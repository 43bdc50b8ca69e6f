import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parsePaybridgeCsv, type ParsedLine } from '../domain/posting-file.ts';
import type { SyncBody } from '../agent/client.ts';

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

/** A line the MMS applied, and the file it came in. */
export interface AppliedLine extends ParsedLine {
  fileName: string;
}

/**
 * The firm's MMS and its import, as the file-drop sink meets it: it takes each PB_*.csv
 * from the drop folder, applies every line or refuses the whole file, and moves the file
 * to its processed or rejected folder (a refusal's reason in `<file>.error`). It keeps
 * every line it ever applied, and applies a file it finds again a second time, as a real
 * import would: that is how a duplicate delivery shows.
 */
export class SimMms {
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

  /** What the agent's sync would send: every client, matter and invoice with its balance now. */
  syncBody(): SyncBody {
    return {
      clients: CLIENTS.map((c) => ({ clientNumber: c.clientNumber, name: c.name })),
      matters: CLIENTS.map((c) => ({ clientNumber: c.clientNumber, matterNumber: c.matterNumber, description: 'Sim' })),
      invoices: this.invoices.map((i) => {
        const balance = this.balanceOf(i.invoiceNumber);
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
