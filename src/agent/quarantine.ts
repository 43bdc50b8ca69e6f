import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { ServerBatch, ServerClient } from './client.ts';
import { replaceFileAtomically, writeFileSynced } from './durable-fs.ts';

const MARKER = '.quarantined';

export interface QuarantineMarker {
  file: string;
  batchId: string;
  seq: number;
  reason: string;
}

/** A batch the agent will not deliver on its own; later batches wait until an operator acts. */
export class QuarantinedError extends Error {
  constructor(readonly markers: QuarantineMarker[]) {
    super(
      markers.map((m) => `batch ${m.seq} quarantined: ${m.reason}`).join('; ') +
        `. Delivery is halted. Resolve it, then delete ${markers.map((m) => m.file).join(', ')} to resume (README: "Quarantine")`,
    );
    this.name = 'QuarantinedError';
  }
}

/**
 * stateDir/quarantine holds the server's bytes of each quarantined batch and, beside each,
 * a `<file>.quarantined` marker. While a marker exists, no batch is delivered.
 */
export class Quarantine {
  readonly dir: string;
  /** The batches whose quarantine the server has taken from this process: each is told once per run. */
  private readonly told = new Set<string>();

  constructor(stateDir: string) {
    this.dir = join(stateDir, 'quarantine');
  }

  /**
   * Tells the server of each quarantined batch it has not heard of from this process, so the
   * firm sees the halt on its Batches screen and staff who chose posting failures are told.
   * Best effort: the marker on disk is what halts delivery, so a server that cannot be reached
   * now is told on a later round (every halted round tries again).
   */
  async tellServer(client: ServerClient, logger: Logger, markers: readonly QuarantineMarker[]): Promise<void> {
    for (const marker of markers) {
      if (marker.batchId === '?' || this.told.has(marker.batchId)) continue;
      try {
        await client.reportQuarantine({ id: marker.batchId, seq: marker.seq }, marker.reason);
        this.told.add(marker.batchId);
      } catch (error) {
        logger.warn(
          { batchId: marker.batchId, seq: marker.seq, err: error instanceof Error ? error.message : String(error) },
          `batch ${marker.seq}: could not tell the server of its quarantine; trying again next round`,
        );
      }
    }
  }

  async markers(): Promise<QuarantineMarker[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    const found: QuarantineMarker[] = [];
    for (const name of names.filter((n) => n.endsWith(MARKER)).sort()) {
      const file = join(this.dir, name);
      try {
        const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<Record<keyof QuarantineMarker, unknown>>;
        found.push({
          file,
          batchId: typeof parsed.batchId === 'string' ? parsed.batchId : '?',
          seq: typeof parsed.seq === 'number' ? parsed.seq : 0,
          reason: typeof parsed.reason === 'string' ? parsed.reason : 'see the marker',
        });
      } catch {
        // An operator's edit must not lift the halt by accident: any marker file counts.
        found.push({ file, batchId: '?', seq: 0, reason: 'unreadable marker' });
      }
    }
    return found;
  }

  async put(batch: ServerBatch, bytes: Buffer, reason: string): Promise<QuarantineMarker> {
    await mkdir(this.dir, { recursive: true });
    await writeFileSynced(join(this.dir, batch.fileName), bytes);
    const file = join(this.dir, `${batch.fileName}${MARKER}`);
    const marker = { file, batchId: batch.id, seq: batch.seq, reason };
    await replaceFileAtomically(
      file,
      `${JSON.stringify({ ...marker, sha256: batch.sha256, at: new Date().toISOString() }, null, 2)}\n`,
    );
    return marker;
  }
}
