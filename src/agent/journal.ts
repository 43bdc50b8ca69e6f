import { mkdir, open, readFile, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import type { BatchRef } from './client.ts';
import { diskFault } from './crash.ts';
import { isMissing } from './durable-fs.ts';

/**
 * The steps of one batch's delivery, in order. `reset` starts a delivery over (its partial
 * file is about to be removed); `committed` is the procedure sink's MMS commit; `answered`
 * is the server having taken the MMS's answer for the batch (SPEC §5.1).
 */
export const STEPS = [
  'downloaded',
  'written',
  'renamed',
  'committed',
  // About to acknowledge (with the promise of an answer): the server may take it even if this agent never hears back.
  'acking',
  'acked',
  'answered',
  'reset',
  'quarantined',
] as const;
export type Step = (typeof STEPS)[number];

/** A record whose lines the MMS refused, as the procedure sink journals it with its commit. */
export interface RefusedRecord {
  recordId: string;
  message: string;
}

export interface JournalEntry {
  at: string;
  step: Step;
  batchId: string;
  seq: number;
  fileName: string;
  sha256: string;
  detail?: string;
  /** On `acked`: the agent told the server it will report the MMS's answer for the batch. */
  expectAnswer?: boolean;
  /** On `committed`: the records the MMS refused; it applied every other record of the batch. */
  refused?: RefusedRecord[];
}

/** Extra facts some steps carry. */
export type EntryFacts = Pick<JournalEntry, 'expectAnswer' | 'refused'>;

/** What the journal says about one batch since its last reset. */
interface BatchProgress {
  steps: Set<Step>;
  batch: BatchRef;
  expectAnswer: boolean;
  refused: RefusedRecord[];
}

const isRefused = (value: unknown): value is RefusedRecord[] =>
  Array.isArray(value) &&
  value.every(
    (r: unknown) =>
      typeof r === 'object' &&
      r !== null &&
      'recordId' in r &&
      typeof r.recordId === 'string' &&
      'message' in r &&
      typeof r.message === 'string',
  );

/**
 * An entry as read back. Entries written before a field existed lack it (an old journal
 * loads as it was written), and seq and fileName are not checked: they are taken as found.
 */
type StoredEntry = Omit<JournalEntry, 'seq' | 'fileName'> & { seq?: unknown; fileName?: unknown };

function isEntry(value: unknown): value is StoredEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return (
    typeof entry.batchId === 'string' &&
    typeof entry.sha256 === 'string' &&
    STEPS.some((s) => s === entry.step) &&
    (entry.expectAnswer === undefined || typeof entry.expectAnswer === 'boolean') &&
    (entry.refused === undefined || isRefused(entry.refused))
  );
}

/**
 * An append-only JSON-lines file in stateDir, each entry fsynced before the step it records
 * is taken as done. It is read first on every start: it is how a restarted agent knows
 * what it had already written, renamed or acknowledged.
 */
export class Journal {
  private readonly path: string;
  private progress = new Map<string, BatchProgress>();
  /** After an append failed and its fragment could not be cut off: the size to cut back to before the next one. */
  private wholeSize: number | null = null;

  private constructor(stateDir: string) {
    this.path = join(stateDir, 'journal.jsonl');
  }

  static async open(stateDir: string): Promise<Journal> {
    await mkdir(stateDir, { recursive: true });
    const journal = new Journal(stateDir);
    await journal.load();
    return journal;
  }

  private async load(): Promise<void> {
    let text = '';
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
    if (text !== '' && !text.endsWith('\n')) {
      // A crash in the middle of an append tore the last line; it recorded nothing. Cut it
      // off so the next entry starts on a line of its own.
      text = text.slice(0, text.lastIndexOf('\n') + 1);
      await truncate(this.path, Buffer.byteLength(text));
    }
    const lines = text.split('\n').filter((line) => line.trim() !== '');
    lines.forEach((line, index) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        throw new Error(`${this.path} line ${index + 1} is not JSON: the journal is damaged; see README "The journal"`);
      }
      if (isEntry(parsed)) this.apply(parsed);
    });
  }

  private apply(entry: StoredEntry): void {
    let current = this.progress.get(entry.batchId);
    if (entry.step === 'reset' || !current || current.batch.sha256 !== entry.sha256) {
      const batch = {
        id: entry.batchId,
        seq: Number(entry.seq),
        fileName: String(entry.fileName),
        sha256: entry.sha256,
      };
      current = { steps: new Set(), batch, expectAnswer: false, refused: [] };
      this.progress.set(entry.batchId, current);
      if (entry.step === 'reset') return;
    }
    current.steps.add(entry.step);
    if (entry.step === 'acked' || entry.step === 'acking') current.expectAnswer = entry.expectAnswer === true;
    if (entry.step === 'committed') current.refused = entry.refused ?? [];
  }

  private current(batchId: string, sha256: string): BatchProgress | undefined {
    const found = this.progress.get(batchId);
    return found && found.batch.sha256 === sha256 ? found : undefined;
  }

  /** The steps recorded for a batch with this sha256 since its last reset (empty if none). */
  stepsOf(batchId: string, sha256: string): Set<Step> {
    return new Set(this.current(batchId, sha256)?.steps);
  }

  /**
   * The records the MMS refused when the procedure sink committed the batch (every other
   * record was applied), or null when the journal has no commit for it. A commit journaled
   * before refusals were recorded refused nothing: the whole batch was applied or none of it.
   */
  refusedOf(batchId: string, sha256: string): RefusedRecord[] | null {
    const found = this.current(batchId, sha256);
    return found?.steps.has('committed') ? [...found.refused] : null;
  }

  /** Whether the batch's acknowledgement promised the server the MMS's answer. */
  expectsAnswer(batchId: string, sha256: string): boolean {
    return this.current(batchId, sha256)?.expectAnswer ?? false;
  }

  /**
   * Batches acknowledged with the promise of an answer that the server has not yet taken,
   * oldest first. A batch acknowledged without that promise (or by an agent from before it
   * existed) is never waited for.
   */
  awaitingAnswer(): BatchRef[] {
    return [...this.progress.values()]
      .filter((p) => p.expectAnswer && p.steps.has('acked') && !p.steps.has('answered'))
      .map((p) => ({ ...p.batch }))
      .sort((a, b) => a.seq - b.seq);
  }

  /**
   * Batches journaled as about to be acknowledged but not as acknowledged: a crash, or a
   * reply lost on the way back, came in between, and the server may have taken it.
   */
  unconfirmedAcks(): BatchRef[] {
    return [...this.progress.values()]
      .filter((p) => p.steps.has('acking') && !p.steps.has('acked'))
      .map((p) => ({ ...p.batch }))
      .sort((a, b) => a.seq - b.seq);
  }

  async append(step: Step, batch: BatchRef, detail?: string, facts: EntryFacts = {}): Promise<void> {
    const entry: JournalEntry = {
      at: new Date().toISOString(),
      step,
      batchId: batch.id,
      seq: batch.seq,
      fileName: batch.fileName,
      sha256: batch.sha256,
      ...(detail ? { detail } : {}),
      ...(facts.expectAnswer ? { expectAnswer: true } : {}),
      ...(facts.refused ? { refused: facts.refused } : {}),
    };
    const line = Buffer.from(`${JSON.stringify(entry)}\n`, 'utf8');
    const handle = await open(this.path, 'a', 0o600);
    try {
      // A failed append may leave part of its line (the disk filling up mid-write). Cut
      // back to the last whole entry, or the next entry would be joined to that fragment
      // and the journal could not be read on the next start.
      if (this.wholeSize !== null) {
        await handle.truncate(this.wholeSize);
        this.wholeSize = null;
      }
      const { size } = await handle.stat();
      try {
        const fault = diskFault('append', this.path);
        if (fault) {
          await handle.write(line.subarray(0, Math.floor(line.length / 2)));
          throw fault;
        }
        const { bytesWritten } = await handle.write(line);
        if (bytesWritten !== line.length)
          throw Object.assign(new Error(`${this.path}: wrote ${bytesWritten} of ${line.length} bytes`), {
            code: 'EIO',
          });
        await handle.sync();
      } catch (error) {
        this.wholeSize = size;
        await handle.truncate(size).then(
          () => (this.wholeSize = null),
          () => undefined,
        );
        throw error;
      }
    } finally {
      await handle.close();
    }
    this.apply(entry);
  }
}
