import { parsePaybridgeCsv, PostingFileError } from '../../domain/posting-file.ts';
import { crashPoint } from '../crash.ts';
import type { MmsDb } from '../mms-db.ts';
import type { Sink } from './sink.ts';

const POST = `select paybridge_post_receipt(
  record_id => $1, line => $2, invoice_number => $3, client_number => $4, matter_number => $5,
  amount => $6::bigint, posting_date => $7::date, account => $8, memo => $9)::text as result`;

/**
 * SPEC §5 procedure sink: each line of a batch goes through paybridge_post_receipt, all in
 * one MMS transaction. The procedure is idempotent on (record_id, line), so a batch redone
 * after a lost acknowledgement, or after a crash between the commit and the ack, lands once.
 */
export function procedureSink(mms: MmsDb): Sink {
  return {
    async check() {
      try {
        const rows = await mms.query<{ n: string }>(`select count(*)::text as n from pg_proc where proname = 'paybridge_post_receipt'`);
        if (rows[0]?.n === '0') throw new Error('paybridge_post_receipt is missing: run sql/mms/postgres/install.sql on the MMS database');
      } catch (error) {
        throw new Error(`the MMS database cannot take receipts: ${error instanceof Error ? error.message : String(error)}`);
      }
    },

    async deliver(batch, { client, journal, logger }) {
      if (batch.fileFormat !== 'paybridge-csv') {
        throw new Error(
          `batch ${batch.seq} is in the ${batch.fileFormat} format, but the procedure sink reads paybridge-csv only: ` +
            "set the firm's posting file format to paybridge-csv, or use the file-drop sink",
        );
      }
      if (journal.stepsOf(batch.id, batch.sha256).has('committed')) {
        logger.info({ seq: batch.seq }, 'batch already committed to the MMS; acknowledging only');
        return;
      }
      const bytes = await client.download(batch);
      await journal.append('downloaded', batch);
      crashPoint('after-download');
      let parsed: ReturnType<typeof parsePaybridgeCsv>;
      try {
        parsed = parsePaybridgeCsv(bytes.toString('utf8'));
      } catch (error) {
        if (error instanceof PostingFileError) throw new Error(`batch ${batch.seq} (${batch.fileName}) cannot be read: ${error.message}`);
        throw error;
      }
      if (parsed.trailer.seq !== batch.seq) throw new Error(`batch ${batch.seq}: the file's trailer names batch ${parsed.trailer.seq}`);
      const outcome = await mms.transaction(async (tx) => {
        const counts = { applied: 0, already_applied: 0 };
        for (const line of parsed.lines) {
          const [row] = await tx.query<{ result: string }>(POST, [
            line.recordId, line.line, line.invoiceNumber, line.clientNumber, line.matterNumber,
            String(line.amountCents), line.postingDate, line.account, line.memo,
          ]);
          if (row?.result === 'applied') counts.applied += 1;
          else counts.already_applied += 1;
        }
        return counts;
      });
      crashPoint('after-commit');
      await journal.append('committed', batch, `${outcome.applied} applied, ${outcome.already_applied} already applied`);
      crashPoint('after-journal');
      logger.info({ seq: batch.seq, lines: parsed.lines.length, ...outcome }, 'batch posted into the MMS');
    },

    close: () => mms.close(),
  };
}
