import type { Logger } from 'pino';
import type { ServerBatch, ServerClient } from '../client.ts';
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
  close(): Promise<void>;
}
