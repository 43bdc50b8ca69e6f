import type { Logger } from 'pino';
import type { BatchOutcome, BatchRef, ServerBatch, ServerClient } from '../client.ts';
import type { Journal } from '../journal.ts';

export interface SinkContext {
  client: ServerClient;
  journal: Journal;
  logger: Logger;
}

/** Where batches go. deliver() returns once the batch is safely in the MMS and may be acknowledged. */
export interface Sink {
  /** Fails early with a clear message when the destination cannot take files at all. */
  check(): Promise<void>;
  deliver(batch: ServerBatch, context: SinkContext): Promise<void>;
  /**
   * Whether this sink learns the MMS's answer for each batch it delivers (SPEC §5.1), and
   * so acknowledges with the promise to report it. Without, the delivery is the answer.
   */
  readonly expectsAnswer: boolean;
  /** The MMS's answer for a delivered and acknowledged batch, or null while the MMS has not given it. */
  answer(batch: BatchRef, context: SinkContext): Promise<BatchOutcome | null>;
  close(): Promise<void>;
}
