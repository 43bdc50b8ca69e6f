import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { createAgent } from '../agent/agent.ts';
import type { AgentConfig } from '../agent/config.ts';
import { isMissing } from '../agent/durable-fs.ts';
import type { MmsDb } from '../agent/mms-db.ts';
import { repeatEvery } from '../agent/repeat.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/connect.ts';
import { appliedRecordIds, deliveredBatchFiles } from '../db/demo.ts';
import { findFirmByCode } from '../db/firms.ts';
import { parsePaybridgeCsv } from '../domain/posting-file.ts';
import { applyReceipts, creditUpload } from '../mms/credit-upload.ts';
import { openDemoMms } from '../mms/demo-mms.ts';
import { createToken } from '../usecases/auth/firms-and-users.ts';
import { DEMO_FIRM } from '../usecases/demo/seed-demo.ts';

/** The demo MMS imports delivered files this often, so a file sits in the inbox long enough to be seen. */
const CREDIT_UPLOAD_SECONDS = 60;

export function demoPaths(dataDir: string) {
  const root = resolve(dataDir);
  return {
    tokenFile: join(root, 'demo-agent.json'),
    mms: join(root, 'mms'),
    inbox: join(root, 'mms-inbox'),
    stateDir: join(root, 'agent-state'),
  };
}

/**
 * First run: the demo agent's token (kept in DATA_DIR, readable by its owner only) and the
 * demo MMS, seeded from the same demo data as the server's demo firm.
 */
export async function prepareDemoAgent(db: Db, dataDir: string, today: Date): Promise<void> {
  const paths = demoPaths(dataDir);
  const { token } = await createToken(db, { firmCode: DEMO_FIRM.code, kind: 'agent', label: 'demo in-process agent' });
  await mkdir(resolve(dataDir), { recursive: true });
  await writeFile(paths.tokenFile, `${JSON.stringify({ token })}\n`, { mode: 0o600 });
  const { mms, seeded } = await openDemoMms(paths.mms, today);
  try {
    if (seeded) await importWhatTheMmsApplied(db, mms);
  } finally {
    await mms.close();
  }
}

/**
 * The demo seed's first batch was delivered and the MMS's answer recorded before the demo
 * MMS existed: its ledger takes the records the answer says it applied, so its balances and
 * the server's agree (SPEC §3.4: those lines count until a sync shows them applied).
 */
async function importWhatTheMmsApplied(db: Db, mms: MmsDb): Promise<void> {
  const firm = await findFirmByCode(db, DEMO_FIRM.code);
  if (!firm) throw new Error(`the demo firm ${DEMO_FIRM.code} does not exist`);
  const applied = await appliedRecordIds(db, firm.id);
  const batches = await deliveredBatchFiles(db, firm.id);
  for (const batch of batches) {
    if (batch.file_format !== 'paybridge-csv') continue;
    const { lines } = parsePaybridgeCsv(Buffer.from(batch.content).toString('utf8'));
    await applyReceipts(
      mms,
      lines.filter((line) => applied.has(line.recordId)),
    );
  }
}

async function demoToken(tokenFile: string): Promise<string | null> {
  try {
    const parsed = JSON.parse(await readFile(tokenFile, 'utf8')) as { token?: unknown };
    return typeof parsed.token === 'string' ? parsed.token : null;
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

export interface DemoLoop {
  inbox: string;
  stop(): Promise<void>;
}

/**
 * The whole loop inside `npm start`: the same agent as `paybridge agent`, syncing the
 * embedded demo MMS to this server and delivering batches to DATA_DIR/mms-inbox, and the
 * demo MMS's credit upload importing them from there into its ledger.
 */
export async function startDemoLoop(config: Config, serverUrl: string, logger: Logger): Promise<DemoLoop | null> {
  const paths = demoPaths(config.dataDir);
  const token = await demoToken(paths.tokenFile);
  if (!token) {
    logger.info(
      { tokenFile: paths.tokenFile },
      'no demo agent token (the database predates the demo agent): the demo agent is not started',
    );
    return null;
  }
  await mkdir(paths.inbox, { recursive: true });
  const { mms } = await openDemoMms(paths.mms);
  // The agent closes what it opens; the embedded MMS is shared, so only this loop closes it.
  const shared: MmsDb = { ...mms, close: async () => {} };
  const agentConfig = {
    server: serverUrl,
    token,
    stateDir: paths.stateDir,
    source: { type: 'postgres', connectionString: `postgres://embedded-demo-mms/${paths.mms}` },
    // The credit upload below moves what it imports to archive/ and what it refuses to
    // rejected/ (beside a .error): the MMS's answer, which the agent reports (SPEC §5.1).
    sink: {
      type: 'file-drop',
      folder: paths.inbox,
      processedFolder: join(paths.inbox, 'archive'),
      rejectedFolder: join(paths.inbox, 'rejected'),
    },
    syncSeconds: 30,
    // Batches come through the long-poll the moment they are made; 5 s is the fallback,
    // and how often the agent looks for the credit upload's answer while one is awaited.
    pollSeconds: 5,
  } satisfies AgentConfig;
  const agentLogger = logger.child({ component: 'demo-agent' });
  let agent;
  try {
    agent = await createAgent(agentConfig, { logger: agentLogger, openMms: async () => shared });
  } catch (error) {
    await mms.close();
    throw error;
  }
  agent.start();
  const uploads = repeatEvery(
    CREDIT_UPLOAD_SECONDS,
    async () => {
      const summary = await creditUpload(mms, paths.inbox);
      if (summary.archived.length + summary.rejected.length > 0)
        agentLogger.info(summary, 'demo MMS credit upload imported delivered files');
    },
    (error) => agentLogger.error({ err: error }, 'demo MMS credit upload failed'),
  );
  return {
    inbox: paths.inbox,
    async stop() {
      await uploads.stop();
      await agent.stop();
      await mms.close();
    },
  };
}
