import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const INDEX = join(ROOT, 'dist/web/index.html');
// What the bundle is made from: the UI, the pure domain helpers it imports, and the build config.
const SOURCES = [
  'src/web',
  'src/domain/money.ts',
  'src/domain/plural.ts',
  'src/domain/surcharge.ts',
  'src/domain/types.ts',
  'src/domain/oldest-first.ts',
  'src/domain/schedule-dates.ts',
  'vite.config.ts',
  'package-lock.json',
];

function newestMtime(path: string): number {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** Why the web UI needs building, or null when dist/web is newer than everything it is made from. */
export function webBuildReason(): string | null {
  const built = statSync(INDEX, { throwIfNoEntry: false })?.mtimeMs;
  if (built === undefined) return 'dist/web is missing';
  const newest = Math.max(...SOURCES.map((source) => newestMtime(join(ROOT, source))));
  return newest > built ? 'src/web changed since the last build' : null;
}

/** Runs `vite build` only when needed, printing one line either way. */
export async function ensureWebBuilt(
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<void> {
  const reason = webBuildReason();
  if (!reason) {
    log('web UI is up to date (dist/web)');
    return;
  }
  log(`building the web UI: ${reason}…`);
  const { build } = await import('vite');
  // The bundle people get, also under Vitest (whose NODE_ENV=test would build React's
  // development runtime): the browser tests and the bundle's size budget see what ships.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'error' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}
