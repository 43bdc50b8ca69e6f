import { parsePaybridgeCsv, PostingFileError, type ParsedLine } from '../../domain/posting-file.ts';
import type { BatchRef, RecordOutcome } from '../client.ts';
import { crashPoint } from '../crash.ts';
import type { RefusedRecord } from '../journal.ts';
import type { MmsDb, MmsQuery } from '../mms-db.ts';
import { mmsMessage } from '../mms-message.ts';
import type { Sink } from './sink.ts';
import { plural } from '../../domain/plural.ts';

const POST = `select paybridge_post_receipt(
  record_id => $1, line => $2, invoice_number => $3, client_number => $4, matter_number => $5,
  amount => $6::bigint, posting_date => $7::date, account => $8, memo => $9)::text as result`;

/**
 * The SQLSTATE classes of an MMS refusing a line: a raised exception (P0, how
 * paybridge_post_receipt says no), a data exception (22) or a broken constraint (23).
 * Anything else (the connection lost, a statement timeout, a serialization failure, the
 * procedure missing) says nothing about the line: the whole batch is rolled back and
 * tried again next round.
 */
const REFUSAL = /^(P0|22|23)/;

function refusalOf(error: unknown): string | null {
  if (!(error instanceof Error) || !('code' in error) || typeof error.code !== 'string' || !REFUSAL.test(error.code))
    return null;
  return error.message;
}

/** The batch's records in file order, each with its lines. */
function byRecord(lines: ParsedLine[]): Map<string, ParsedLine[]> {
  const records = new Map<string, ParsedLine[]>();
  for (const line of lines) {
    const own = records.get(line.recordId);
    if (own) own.push(line);
    else records.set(line.recordId, [line]);
  }
  return records;
}

interface Posted {
  applied: number;
  alreadyApplied: number;
  refused: RefusedRecord[];
}

/**
 * Records under one savepoint while the MMS takes them all. A savepoint per record costs
 * PostgreSQL a subtransaction each: measured on PostgreSQL 15 here, 10,000 one-line
 * records took 18 s that way against 11 s without, and 5,000 records paying one invoice
 * 26 s against 4 s (every new version of the invoice row checked against the
 * subtransactions before it). A savepoint per 100 records costs next to nothing.
 */
const RECORDS_PER_SAVEPOINT = 100;

type RecordLines = [recordId: string, lines: ParsedLine[]];

async function postLines(tx: MmsQuery, lines: ParsedLine[], results: string[]): Promise<void> {
  for (const line of lines) {
    const [row] = await tx.query<{ result: string }>(POST, [
      line.recordId,
      line.line,
      line.invoiceNumber,
      line.clientNumber,
      line.matterNumber,
      String(line.amountCents),
      line.postingDate,
      line.account,
      line.memo,
    ]);
    results.push(row?.result ?? '');
  }
}

function count(results: string[], posted: Posted): void {
  for (const result of results) {
    if (result === 'applied') posted.applied += 1;
    else posted.alreadyApplied += 1;
  }
}

/**
 * Runs `work` under a savepoint: kept if it returns, rolled back if the MMS refuses a line
 * (the refusal returned), and any other error thrown, which rolls back the whole batch.
 */
async function underSavepoint(tx: MmsQuery, work: () => Promise<void>): Promise<string | null> {
  await tx.query('savepoint paybridge_records');
  try {
    await work();
  } catch (error) {
    const refusal = refusalOf(error);
    if (refusal === null) throw error;
    // Rolling back to a savepoint keeps it; released too, so savepoints never pile up.
    await tx.query('rollback to savepoint paybridge_records');
    await tx.query('release savepoint paybridge_records');
    return refusal;
  }
  await tx.query('release savepoint paybridge_records');
  return null;
}

/**
 * Up to RECORDS_PER_SAVEPOINT records under one savepoint. When the MMS refuses a line,
 * the savepoint is rolled back and each of those records is posted again under a savepoint
 * of its own: a refused record leaves none of its lines, and every other record is applied
 * as if the refused one had never been sent.
 */
async function postRecords(tx: MmsQuery, records: RecordLines[], posted: Posted): Promise<void> {
  if (records.length > 1) {
    const results: string[] = [];
    const refusal = await underSavepoint(tx, async () => {
      for (const [, lines] of records) await postLines(tx, lines, results);
    });
    if (refusal === null) {
      count(results, posted);
      return;
    }
  }
  for (const [recordId, lines] of records) {
    const results: string[] = [];
    const refusal = await underSavepoint(tx, () => postLines(tx, lines, results));
    if (refusal === null) count(results, posted);
    else
      posted.refused.push({
        recordId,
        message: mmsMessage(refusal, `the MMS refused record ${recordId} without saying why`),
      });
  }
}

/**
 * SPEC §5 and §5.1 procedure sink: each line of a batch goes through paybridge_post_receipt,
 * all in one MMS transaction, and each record's lines applied whole or not at all (under
 * savepoints, see postRecords). A record the MMS refuses is rolled back whole and reported rejected with the MMS's words; the
 * others are applied, and the batch is never held back by it. The procedure is idempotent
 * on (record_id, line), so a batch redone after a crash before its commit was journaled
 * lands once; once journaled, the commit's answer is reported from the journal and the
 * batch is never posted again.
 */
export function procedureSink(mms: MmsDb): Sink {
  /** The record ids of the batch last posted, so its answer needs no second download. */
  let lastPosted: { batchId: string; recordIds: string[] } | null = null;

  function parse(batch: BatchRef, bytes: Buffer) {
    try {
      return parsePaybridgeCsv(bytes.toString('utf8'));
    } catch (error) {
      if (error instanceof PostingFileError)
        throw new Error(`batch ${batch.seq} (${batch.fileName}) cannot be read: ${error.message}`);
      throw error;
    }
  }

  return {
    async check() {
      try {
        const rows = await mms.query<{ n: string }>(
          `select count(*)::text as n from pg_proc where proname = 'paybridge_post_receipt'`,
        );
        if (rows[0]?.n === '0')
          throw new Error('paybridge_post_receipt is missing: run sql/mms/postgres/install.sql on the MMS database');
      } catch (error) {
        throw new Error(
          `the MMS database cannot take receipts: ${error instanceof Error ? error.message : String(error)}`,
        );
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
      const parsed = parse(batch, bytes);
      if (parsed.trailer.seq !== batch.seq)
        throw new Error(`batch ${batch.seq}: the file's trailer names batch ${parsed.trailer.seq}`);
      const records = byRecord(parsed.lines);
      const posted = await mms.transaction(async (tx) => {
        const outcome: Posted = { applied: 0, alreadyApplied: 0, refused: [] };
        const all = [...records];
        for (let start = 0; start < all.length; start += RECORDS_PER_SAVEPOINT)
          await postRecords(tx, all.slice(start, start + RECORDS_PER_SAVEPOINT), outcome);
        return outcome;
      });
      lastPosted = { batchId: batch.id, recordIds: [...records.keys()] };
      crashPoint('after-commit');
      const summary = `${plural(posted.applied, 'line')} applied, ${posted.alreadyApplied} already applied, ${posted.refused.length} of ${plural(records.size, 'record')} refused`;
      await journal.append('committed', batch, summary, { refused: posted.refused });
      crashPoint('after-journal');
      const fields = {
        seq: batch.seq,
        lines: parsed.lines.length,
        records: records.size,
        applied: posted.applied,
        already_applied: posted.alreadyApplied,
      };
      if (posted.refused.length === 0) logger.info(fields, 'batch posted into the MMS');
      else
        logger.warn(
          { ...fields, refused: posted.refused },
          `batch posted into the MMS; it refused ${posted.refused.length} of ${plural(records.size, 'record')}`,
        );
    },

    expectsAnswer: true,

    /**
     * From the journal's commit, never by posting again. Every record applied is one answer
     * for the whole batch; otherwise each record's, for which the record ids come from the
     * batch's file (downloaded again after a restart: the file never changes).
     */
    async answer(batch, { client, journal, logger }) {
      const refused = journal.refusedOf(batch.id, batch.sha256);
      if (refused === null) {
        logger.warn(
          { seq: batch.seq },
          `batch ${batch.seq} was acknowledged without a commit in the journal; its answer is unknown`,
        );
        return null;
      }
      if (refused.length === 0) return { outcome: 'applied' };
      const recordIds =
        lastPosted?.batchId === batch.id
          ? lastPosted.recordIds
          : [...byRecord(parse(batch, await client.download(batch)).lines).keys()];
      const messages = new Map(refused.map((r) => [r.recordId, r.message]));
      return {
        records: recordIds.map((recordId): RecordOutcome => {
          const message = messages.get(recordId);
          return message === undefined ? { recordId, outcome: 'applied' } : { recordId, outcome: 'rejected', message };
        }),
      };
    },

    close: () => mms.close(),
  };
}
