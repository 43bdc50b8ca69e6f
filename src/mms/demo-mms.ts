import { readFile } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pgliteMms, type MmsDb } from '../agent/mms-db.ts';
import { demoSync } from '../usecases/demo/demo-data.ts';

const SCRIPTS = ['../../sql/mms/postgres/demo-schema.sql', '../../sql/mms/postgres/install.sql'];

/** Both scripts are safe to run again, so they run on every open: an upgraded script takes effect. */
async function applyScripts(mms: MmsDb): Promise<void> {
  for (const script of SCRIPTS) {
    const text = await readFile(new URL(script, import.meta.url), 'utf8');
    await mms.exec(text);
  }
}

/**
 * Fills an empty demo MMS with the demo firm's billing data, the same rows the server's
 * demo seed syncs (demo-data.ts), so the agent's first sync finds nothing to change.
 */
async function seedIfEmpty(mms: MmsDb, today: Date): Promise<boolean> {
  const [row] = await mms.query<{ n: string }>('select count(*)::text as n from mms_clients');
  if (row?.n !== '0') return false;
  const data = demoSync(today);
  await mms.transaction(async (tx) => {
    for (const c of data.clients)
      await tx.query('insert into mms_clients (client_number, name) values ($1, $2)', [c.clientNumber, c.name]);
    for (const m of data.matters) {
      await tx.query('insert into mms_matters (client_number, matter_number, description) values ($1, $2, $3)', [
        m.clientNumber,
        m.matterNumber,
        m.description,
      ]);
    }
    for (const v of data.invoices) {
      await tx.query(
        `insert into mms_invoices (invoice_number, client_number, matter_number, invoice_date, total_cents, balance_cents, status)
         values ($1, $2, $3, $4::date, $5::bigint, $6::bigint, $7)`,
        [
          v.invoiceNumber,
          v.clientNumber,
          v.matterNumber,
          v.invoiceDate,
          String(v.totalCents),
          String(v.balanceCents),
          v.status,
        ],
      );
    }
  });
  return true;
}

/** The demo firm's MMS: an embedded PGlite database in `dir`, with the demo schema, the install script and its data. */
export async function openDemoMms(dir: string, today = new Date()): Promise<{ mms: MmsDb; seeded: boolean }> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const mms = pgliteMms(await PGlite.create({ dataDir: dir }));
  try {
    await applyScripts(mms);
    return { mms, seeded: await seedIfEmpty(mms, today) };
  } catch (error) {
    await mms.close();
    throw error;
  }
}
