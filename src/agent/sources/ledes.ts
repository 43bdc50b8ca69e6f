import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { LedesError, parseLedes, type LedesInvoice } from '../ledes.ts';
import { ServerError, type SyncBody } from '../client.ts';
import { fsyncDir } from '../durable-fs.ts';
import { stateFile } from '../state-file.ts';
import { arrayReader, sendInPages } from './pages.ts';

export interface LedesSummary {
  files: number;
  invoices: number;
  skipped: number;
  rejected: string[];
}

/** A file the MMS left for us: every name but hidden ones, whatever the extension. */
async function waitingFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
}

/** A bad file is moved aside beside `<file>.error`, so the MMS export can be fixed and dropped again. */
async function reject(folder: string, name: string, reason: string, logger: Logger): Promise<void> {
  const dir = join(folder, 'rejected');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, `${name}.error`), `${name}: ${reason}\n`);
  await rename(join(folder, name), join(dir, name));
  await fsyncDir(dir);
  logger.error({ file: name, reason }, `LEDES file rejected: ${reason}`);
}

function syncBodyOf(invoices: LedesInvoice[]): Pick<SyncBody, 'clients' | 'matters' | 'invoices'> {
  const clients = new Map<string, string>();
  const matters = new Map<string, { clientNumber: string; matterNumber: string; description: string }>();
  for (const v of invoices) {
    if (!clients.has(v.clientNumber) || clients.get(v.clientNumber) === v.clientNumber)
      clients.set(v.clientNumber, v.clientName);
    matters.set(`${v.clientNumber}\u0000${v.matterNumber}`, {
      clientNumber: v.clientNumber,
      matterNumber: v.matterNumber,
      description: '',
    });
  }
  return {
    clients: [...clients].map(([clientNumber, name]) => ({ clientNumber, name })),
    matters: [...matters.values()],
    // LEDES carries no payments: an invoice arrives owing its whole total.
    invoices: invoices
      .map((v) => ({ ...v, balanceCents: v.totalCents, status: 'open' as const }))
      .map(({ clientName: _n, ...rest }) => rest),
  };
}

function readInvoices(text: string): { invoices: LedesInvoice[] } | { reason: string } {
  try {
    const { invoices } = parseLedes(text);
    const credit = invoices.find((v) => v.totalCents < 0);
    if (credit)
      return {
        reason: `INVOICE_TOTAL: invoice ${credit.invoiceNumber} has a negative total (a credit note); only invoices can be paid`,
      };
    return { invoices };
  } catch (error) {
    if (error instanceof LedesError) return { reason: error.message };
    throw error;
  }
}

/**
 * SPEC §6 LEDES source. Each file is synced on its own, so a bad file (unreadable, or
 * refused by the server's validation) is rejected alone and the others go through. An
 * invoice is synced once: a later file repeating it would reset a balance the MMS has
 * since reduced, so repeats are skipped (stateDir/ledes-invoices.json remembers them).
 */
export async function syncFromLedes(
  folder: string,
  post: (body: SyncBody) => Promise<void>,
  stateDir: string,
  logger: Logger,
): Promise<LedesSummary> {
  const seen = stateFile<{ invoices: string[] }>(stateDir, 'ledes-invoices.json', { invoices: [] });
  const synced = new Set((await seen.read()).invoices);
  const summary: LedesSummary = { files: 0, invoices: 0, skipped: 0, rejected: [] };
  const processed = join(folder, 'processed');
  await mkdir(processed, { recursive: true });
  for (const name of await waitingFiles(folder)) {
    const read = readInvoices(await readFile(join(folder, name), 'utf8'));
    if ('reason' in read) {
      await reject(folder, name, read.reason, logger);
      summary.rejected.push(name);
      continue;
    }
    const invoices = read.invoices;
    const fresh = invoices.filter((v) => !synced.has(v.invoiceNumber));
    summary.skipped += invoices.length - fresh.length;
    const body = syncBodyOf(fresh);
    try {
      await sendInPages(
        {
          clients: arrayReader(body.clients),
          matters: arrayReader(body.matters),
          invoices: arrayReader(body.invoices),
        },
        post,
      );
    } catch (error) {
      // The server's validation named a row: this file is at fault. Anything else (network, token) ends the round.
      if (error instanceof ServerError && error.status === 400) {
        await reject(folder, name, `refused by the server: ${error.message}`, logger);
        summary.rejected.push(name);
        continue;
      }
      throw error;
    }
    for (const v of fresh) synced.add(v.invoiceNumber);
    await seen.write({ invoices: [...synced] });
    await rename(join(folder, name), join(processed, name));
    await fsyncDir(processed);
    summary.files += 1;
    summary.invoices += fresh.length;
    logger.info({ file: name, invoices: fresh.length, skipped: invoices.length - fresh.length }, 'LEDES file synced');
  }
  return summary;
}
