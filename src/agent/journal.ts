import { mkdir, open, readFile, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { isMissing } from './durable-fs.ts';

/**
 * The steps of one batch's delivery, in order. `reset` starts a delivery over (its partial
 * file is about to be removed); `committed` is the procedure sink's MMS commit.
 */
export const STEPS = ['downloaded', 'written', 'renamed', 'committed', 'acked', 'reset', 'quarantined'] as const;
export type Step = (typeof STEPS)[number];

export interface JournalEntry {
  at: string;
  step: Step;
  batchId: string;
  seq: number;
  fileName: string;
  sha256: string;
  detail?: string;
}

/** What the journal says about one batch since its last reset. */
export interface BatchProgress {
  steps: Set<Step>;
  sha256: string;
}

function isEntry(value: unknown): value is JournalEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return typeof entry.batchId === 'string' && typeof entry.sha256 === 'string' && STEPS.some((s) => s === entry.step);
}

/**
 * An append-only JSON-lines file in stateDir, each entry fsynced before the step it records
 * is taken as done. It is read first on every start: it is how a restarted agent knows
 * what it had already written, renamed or acknowledged.
 */
export class Journal {
  private readonly path: string;
  private progress = new Map<string, BatchProgress>();

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

  private apply(entry: JournalEntry): void {
    const current = this.progress.get(entry.batchId);
    if (entry.step === 'reset' || !current || current.sha256 !== entry.sha256) {
      this.progress.set(entry.batchId, { steps: new Set(entry.step === 'reset' ? [] : [entry.step]), sha256: entry.sha256 });
      return;
    }
    current.steps.add(entry.step);
  }

  /** The steps recorded for a batch with this sha256 since its last reset (empty if none). */
  stepsOf(batchId: string, sha256: string): Set<Step> {
    const found = this.progress.get(batchId);
    return found && found.sha256 === sha256 ? new Set(found.steps) : new Set();
  }

  async append(step: Step, batch: { id: string; seq: number; fileName: string; sha256: string }, detail?: string): Promise<void> {
    const entry: JournalEntry = {
      at: new Date().toISOString(),
      step,
      batchId: batch.id,
      seq: batch.seq,
      fileName: batch.fileName,
      sha256: batch.sha256,
      ...(detail ? { detail } : {}),
    };
    const handle = await open(this.path, 'a', 0o600);
    try {
      await handle.write(`${JSON.stringify(entry)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    this.apply(entry);
  }
}
