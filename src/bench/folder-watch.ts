import { watch } from 'node:fs';
import { join } from 'node:path';
import { exists } from '../agent/durable-fs.ts';

/** A stat this often catches a file that fs.watch did not report (it may miss events). */
const POLL_MS = 5;

/** When files appeared in one folder, as performance.now() of this process. */
export interface FolderWatch {
  /** When `name` was first seen in the folder; waits for it, failing after `timeoutMs`. */
  arrival(name: string, timeoutMs: number): Promise<number>;
  close(): void;
}

/**
 * Watches `dir` with fs.watch (inotify here), and while a name is awaited also stats it
 * every 5 ms. A reported name counts from the moment it was reported, once a stat shows
 * it there (a rename reports the old name as well as the new).
 */
export function watchFolder(dir: string): FolderWatch {
  const seen = new Map<string, number>();
  const waiters = new Set<() => void>();
  const saw = (name: string, at: number) => {
    if (seen.has(name)) return;
    seen.set(name, at);
    for (const waiter of [...waiters]) waiter();
  };
  const watcher = watch(dir, (_type, filename) => {
    const at = performance.now();
    if (!filename || seen.has(filename)) return;
    void exists(join(dir, filename)).then((there) => there && saw(filename, at));
  });
  watcher.on('error', () => undefined); // the folder removed at the end: the poll still answers

  return {
    arrival(name, timeoutMs) {
      const known = seen.get(name);
      if (known !== undefined) return Promise.resolve(known);
      return new Promise((resolve, reject) => {
        const deadline = performance.now() + timeoutMs;
        let poll: NodeJS.Timeout | undefined;
        const finish = (error?: Error) => {
          clearTimeout(poll);
          waiters.delete(check);
          if (error) reject(error);
          else resolve(seen.get(name)!);
        };
        const check = () => {
          if (seen.has(name)) finish();
        };
        const tick = async () => {
          const at = performance.now();
          if (await exists(join(dir, name))) saw(name, at);
          if (seen.has(name)) finish();
          else if (performance.now() > deadline)
            finish(new Error(`${name} did not arrive in ${dir} within ${timeoutMs} ms`));
          else poll = setTimeout(() => void tick(), POLL_MS);
        };
        waiters.add(check);
        void tick();
      });
    },
    close: () => watcher.close(),
  };
}
