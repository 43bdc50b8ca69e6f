import { createHash } from 'node:crypto';
import { access, constants, open, readFile, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { BatchRef, ServerBatch } from '../client.ts';
import { crashPoint, diskFault } from '../crash.ts';
import {
  exists,
  DEFAULT_RETRY,
  fsyncDir,
  isMissing,
  removeIfPresent,
  withRetry,
  writeFileSynced,
  type RetryOptions,
} from '../durable-fs.ts';
import { mmsMessage } from '../mms-message.ts';
import { QuarantinedError, type Quarantine } from '../quarantine.ts';
import type { Sink, SinkContext } from './sink.ts';

/** The MMS import's outcome folders (config sink.processedFolder and sink.rejectedFolder). */
export interface AnswerFolders {
  processedFolder: string;
  rejectedFolder: string;
}

/** More of a `.error` file than any person reads; the server keeps 2,000 characters of it. */
const ERROR_FILE_BYTES = 64 * 1024;

/** The first bytes of `<file>.error`, as text (bytes that are not UTF-8 become U+FFFD), or null when there is none. */
async function readErrorFile(path: string, retry: RetryOptions): Promise<string | null> {
  try {
    return await withRetry(async () => {
      const handle = await open(path, 'r');
      try {
        const buffer = Buffer.alloc(ERROR_FILE_BYTES);
        const { bytesRead } = await handle.read(buffer, 0, ERROR_FILE_BYTES, 0);
        return buffer
          .subarray(0, bytesRead)
          .toString('utf8')
          .replace(/^\ufeff/, '');
      } finally {
        await handle.close();
      }
    }, retry);
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

/** Hidden and not .csv, so an MMS import that watches for PB_*.csv never sees a half-written file. */
export function partialName(fileName: string): string {
  return `.${fileName}.partial`;
}

async function sha256Of(path: string, retry: RetryOptions): Promise<string | null> {
  try {
    const bytes = await withRetry(() => readFile(path), retry);
    return createHash('sha256').update(bytes).digest('hex');
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

/**
 * SPEC §5 file drop. A file is written under a hidden temporary name, fsynced, renamed into
 * place and the folder fsynced, each step journaled. On a restart the journal and the
 * folder together say what happened; nothing the MMS may have read is written again.
 */
export function fileDropSink(
  folder: string,
  quarantine: Quarantine,
  answers: AnswerFolders | null = null,
  retryOptions: Partial<RetryOptions> = {},
): Sink {
  /** Said once per stranger file, not on every round while the batch waits. */
  const warned = new Set<string>();
  const warnOnce = (logger: Logger, batch: BatchRef, path: string, sha256: string) => {
    const key = `${batch.id} ${path} ${sha256}`;
    if (warned.has(key)) return;
    warned.add(key);
    logger.warn(
      { seq: batch.seq, path, sha256, expected: batch.sha256 },
      `${path} has other bytes than batch ${batch.seq}: not its answer; still waiting for the MMS import`,
    );
  };

  const retryFor = (logger: Logger, what: string): RetryOptions => ({
    ...DEFAULT_RETRY,
    ...retryOptions,
    onRetry: (error, attempt, delayMs) =>
      logger.warn({ code: error.code, attempt, delayMs, path: error.path }, `${what}: ${error.code}, retrying`),
  });

  async function quarantineBatch(
    batch: ServerBatch,
    { client, journal, logger }: SinkContext,
    reason: string,
  ): Promise<never> {
    const bytes = await client.download(batch);
    const marker = await quarantine.put(batch, bytes, reason);
    await journal.append('quarantined', batch, reason);
    await quarantine.tellServer(client, logger, [marker]);
    logger.error(
      { batchId: batch.id, seq: batch.seq, fileName: batch.fileName, marker: marker.file },
      `batch ${batch.seq} quarantined: ${reason}`,
    );
    throw new QuarantinedError([marker]);
  }

  /** What a restart finds: true when the batch is already in place or already taken by the MMS. */
  async function alreadyDelivered(batch: ServerBatch, context: SinkContext): Promise<boolean> {
    const { journal, logger } = context;
    const steps = journal.stepsOf(batch.id, batch.sha256);
    const final = join(folder, batch.fileName);
    const partial = join(folder, partialName(batch.fileName));
    const found = await sha256Of(final, retryFor(logger, 'reading the drop folder'));
    if (found === batch.sha256) {
      if (!steps.has('renamed')) await journal.append('renamed', batch, 'found in place');
      await removeIfPresent(partial);
      logger.info(
        { seq: batch.seq, fileName: batch.fileName },
        'batch file already in place with the right SHA-256; acknowledging only',
      );
      return true;
    }
    if (found !== null) {
      const how = steps.has('renamed') ? 'after this agent placed it' : 'before this agent delivered it';
      return quarantineBatch(
        batch,
        context,
        `${final} already exists with other bytes (sha256 ${found}, ${how}); it was not overwritten`,
      );
    }
    // Absent. A rename is atomic and the partial is removed only after a journaled reset,
    // so a renamed file, or a written partial that is gone, means the MMS has taken it.
    if (steps.has('renamed') || (steps.has('written') && !(await exists(partial)))) {
      if (!steps.has('renamed')) await journal.append('renamed', batch, 'partial gone: renamed before a crash');
      logger.info(
        { seq: batch.seq, fileName: batch.fileName },
        'batch file already taken by the MMS; acknowledging only, never rewriting',
      );
      return true;
    }
    if (steps.size > 0 || (await exists(partial))) {
      await journal.append('reset', batch, 'delivery interrupted before the rename; starting over');
      await removeIfPresent(partial);
      logger.warn(
        { seq: batch.seq, fileName: batch.fileName },
        'interrupted delivery: removed the partial file, delivering again',
      );
    }
    return false;
  }

  return {
    async check() {
      try {
        const info = await stat(folder);
        if (!info.isDirectory()) throw new Error('it is not a folder');
        await access(folder, constants.W_OK);
      } catch (error) {
        const reason = isMissing(error) ? 'it does not exist' : error instanceof Error ? error.message : String(error);
        throw new Error(`the drop folder ${folder} cannot take files: ${reason}`);
      }
    },

    async deliver(batch, context) {
      if (await alreadyDelivered(batch, context)) return;
      const { client, journal, logger } = context;
      const final = join(folder, batch.fileName);
      const partial = join(folder, partialName(batch.fileName));
      const retry = retryFor(logger, `writing ${batch.fileName}`);
      const bytes = await client.download(batch);
      await journal.append('downloaded', batch);
      crashPoint('after-download');
      await withRetry(() => writeFileSynced(partial, bytes, () => crashPoint('after-write')), retry);
      await journal.append('written', batch);
      crashPoint('after-fsync');
      // Checked just before the rename: a stranger's file of this name is never replaced.
      const stranger = await sha256Of(final, retry);
      if (stranger !== null && stranger !== batch.sha256) {
        await journal.append('reset', batch, 'a file of this name appeared');
        await removeIfPresent(partial);
        await quarantineBatch(
          batch,
          context,
          `${final} appeared with other bytes (sha256 ${stranger}) while delivering; it was not overwritten`,
        );
      }
      await withRetry(() => {
        const fault = diskFault('rename', final);
        return fault ? Promise.reject(fault) : rename(partial, final);
      }, retry);
      crashPoint('after-rename');
      await fsyncDir(folder);
      await journal.append('renamed', batch);
      crashPoint('after-journal');
      logger.info(
        { seq: batch.seq, fileName: batch.fileName, path: final, lines: batch.lineCount, totalCents: batch.totalCents },
        'batch file delivered',
      );
    },

    expectsAnswer: answers !== null,

    /**
     * SPEC §5.1: the MMS import moves a file it took to the processed folder and one it
     * refused to the rejected folder, its reason in `<file>.error` beside it. Only the
     * batch's own bytes count: a file of the same name with other bytes (an earlier
     * install's batch, say) is not this batch's answer.
     */
    async answer(batch, { logger }) {
      if (!answers) return null;
      const retry = retryFor(logger, "reading the MMS import's folders");
      const processed = join(answers.processedFolder, batch.fileName);
      const rejected = join(answers.rejectedFolder, batch.fileName);
      const found = { processed: await sha256Of(processed, retry), rejected: await sha256Of(rejected, retry) };
      for (const [path, sha256] of [
        [processed, found.processed],
        [rejected, found.rejected],
      ] as const) {
        if (sha256 !== null && sha256 !== batch.sha256) warnOnce(logger, batch, path, sha256);
      }
      if (found.processed === batch.sha256) {
        if (found.rejected === batch.sha256) {
          logger.warn(
            { seq: batch.seq, processed, rejected },
            `batch ${batch.seq} is in both the processed and the rejected folder; taken as applied, since the processed copy says the MMS has its lines`,
          );
        }
        return { outcome: 'applied' };
      }
      if (found.rejected === batch.sha256)
        return { outcome: 'rejected', message: await rejectionReason(batch, rejected, retry) };
      return null;
    },

    async close() {},
  };
}

async function rejectionReason(batch: BatchRef, rejected: string, retry: RetryOptions): Promise<string> {
  const text = await readErrorFile(`${rejected}.error`, retry);
  const fallback = `the MMS import refused ${batch.fileName} without saying why (no text in ${batch.fileName}.error beside it)`;
  return mmsMessage(text ?? '', fallback);
}
