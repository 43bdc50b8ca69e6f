import { mkdirSync, writeFileSync } from 'node:fs';
import { connectPGlite, openPGlite } from '../../src/db/connect.ts';
import { migrate } from '../../src/db/migrate.ts';
import { PGLITE_TEMPLATE_PATH } from './engines.ts';

// PGlite's first start runs initdb for seconds: do it once, migrate, and let every
// test file start from a copy of that data directory.
export default async function setup(): Promise<void> {
  const pglite = await openPGlite(undefined);
  const conn = connectPGlite(pglite);
  await migrate(conn.db);
  const dump = await pglite.dumpDataDir('none');
  mkdirSync('.tmp', { recursive: true });
  writeFileSync(PGLITE_TEMPLATE_PATH, Buffer.from(await dump.arrayBuffer()));
  await conn.close();
}
