import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MmsDb } from '../agent/mms-db.ts';
import { fsyncDir } from '../agent/durable-fs.ts';
import { parsePaybridgeCsv, PostingFileError, type FileLine } from '../domain/posting-file.ts';

const APPLY = `select mms_apply_receipt('credit_upload', $1, $2, $3, $4, $5, $6::bigint, $7::date, $8, $9)::text as result`;

export interface CreditUploadSummary {
  archived: { file: string; lines: number; applied: number; alreadyApplied: number }[];
  rejected: { file: string; reason: string }[];
}

async function moveInto(folder: string, sub: string, name: string): Promise<void> {
  const dir = join(folder, sub);
  await mkdir(dir, { recursive: true });
  await rename(join(folder, name), join(dir, name));
  await fsyncDir(dir);
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Applies receipt lines to the demo MMS's ledger in one transaction, each once on
 * (record_id, line): what a credit upload does with a file's lines.
 */
export async function applyReceipts(
  mms: MmsDb,
  lines: readonly FileLine[],
): Promise<{ applied: number; alreadyApplied: number }> {
  return mms.transaction(async (tx) => {
    let applied = 0;
    for (const l of lines) {
      const [row] = await tx.query<{ result: string }>(APPLY, [
        l.recordId,
        l.line,
        l.invoiceNumber,
        l.clientNumber,
        l.matterNumber,
        String(l.amountCents),
        l.postingDate,
        l.account,
        l.memo,
      ]);
      if (row?.result === 'applied') applied += 1;
    }
    return { applied, alreadyApplied: lines.length - applied };
  });
}

/**
 * The demo MMS's credit upload: imports each delivered paybridge-csv file in the folder,
 * oldest name first, all its lines in one transaction, then moves it to archive/. A file
 * that does not add up (trailer against lines) or that the ledger refuses goes to
 * rejected/ beside `<file>.error`, and none of its lines are applied. Lines are applied
 * once on (record_id, line), so a file imported again changes nothing.
 */
export async function creditUpload(mms: MmsDb, folder: string): Promise<CreditUploadSummary> {
  const summary: CreditUploadSummary = { archived: [], rejected: [] };
  const entries = await readdir(folder, { withFileTypes: true });
  // Hidden names are files still being written (the agent's .PB_….partial).
  const files = entries
    .filter((e) => e.isFile() && !e.name.startsWith('.') && e.name.toLowerCase().endsWith('.csv'))
    .map((e) => e.name)
    .sort();
  for (const file of files) {
    try {
      const { lines } = parsePaybridgeCsv(await readFile(join(folder, file), 'utf8'));
      const counts = await applyReceipts(mms, lines);
      await moveInto(folder, 'archive', file);
      summary.archived.push({ file, lines: lines.length, ...counts });
    } catch (error) {
      const reason =
        error instanceof PostingFileError
          ? `not a valid paybridge-csv file: ${error.message}`
          : `refused by the ledger: ${reasonOf(error)}`;
      await mkdir(join(folder, 'rejected'), { recursive: true });
      await writeFile(join(folder, 'rejected', `${file}.error`), `${file}: ${reason}\n`);
      await moveInto(folder, 'rejected', file);
      summary.rejected.push({ file, reason });
    }
  }
  return summary;
}
