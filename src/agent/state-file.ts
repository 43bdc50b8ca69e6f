import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isMissing, replaceFileAtomically } from './durable-fs.ts';

/** A small JSON document in stateDir, replaced atomically so a crash leaves the old or the new one. */
export function stateFile<T>(stateDir: string, name: string, fallback: T) {
  const path = join(stateDir, name);
  return {
    path,
    async read(): Promise<T> {
      try {
        return JSON.parse(await readFile(path, 'utf8')) as T;
      } catch (error) {
        if (isMissing(error)) return fallback;
        throw new Error(
          `${path} is damaged (${error instanceof Error ? error.message : String(error)}); delete it to start over`,
        );
      }
    },
    async write(value: T): Promise<void> {
      await mkdir(stateDir, { recursive: true });
      await replaceFileAtomically(path, `${JSON.stringify(value, null, 2)}\n`);
    },
  };
}
