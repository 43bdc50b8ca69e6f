import { open, rename, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { diskFault } from './crash.ts';

/**
 * Errors a Windows file share or a virus scanner raises while it briefly holds a file:
 * worth a few retries before the round gives up.
 */
const TRANSIENT = new Set(['EBUSY', 'EPERM', 'EACCES']);

export interface RetryOptions {
  attempts: number;
  firstDelayMs: number;
  /** Told of each retry, to log it. */
  onRetry?: (error: NodeJS.ErrnoException, attempt: number, delayMs: number) => void;
}

export const DEFAULT_RETRY: RetryOptions = { attempts: 6, firstDelayMs: 100 };

function errnoCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** Retries `work` on EBUSY/EPERM/EACCES with exponential backoff (100 ms, 200 ms, … by default), then throws. */
export async function withRetry<T>(work: () => Promise<T>, options: RetryOptions = DEFAULT_RETRY): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      const code = errnoCode(error);
      if (!(error instanceof Error) || !code || !TRANSIENT.has(code) || attempt >= options.attempts) throw error;
      const delayMs = options.firstDelayMs * 2 ** (attempt - 1);
      options.onRetry?.(error, attempt, delayMs);
      await sleep(delayMs);
    }
  }
}

/** Writes and fsyncs a file, so its bytes are on disk before anything points at them. */
export async function writeFileSynced(path: string, bytes: Uint8Array, afterWrite?: () => void): Promise<void> {
  const handle = await open(path, 'w', 0o644);
  try {
    const fault = diskFault('write', path);
    if (fault) {
      await handle.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
      throw fault;
    }
    await handle.writeFile(bytes);
    afterWrite?.();
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Fsyncs a folder so a rename or a new name in it survives a power cut. Windows cannot open folders: skipped there. */
export async function fsyncDir(path: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Replaces a small file atomically: a reader sees the old whole file or the new whole file. */
export async function replaceFileAtomically(path: string, text: string): Promise<void> {
  const temporary = `${path}.tmp`;
  await writeFileSynced(temporary, Buffer.from(text, 'utf8'));
  await rename(temporary, path);
  await fsyncDir(dirname(path));
}

export async function removeIfPresent(path: string): Promise<boolean> {
  try {
    await unlink(path);
    return true;
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return false;
    throw error;
  }
}

export function isMissing(error: unknown): boolean {
  return errnoCode(error) === 'ENOENT';
}

/** Whether `path` is there; any error but "no such file" (permissions, I/O) is thrown, not read as absence. */
export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
}
