import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngine } from '../support/db.ts';
import { syncBasicMms } from '../support/fixtures.ts';
import {
  expectSuccess,
  listing,
  makeBatch,
  removeDirs,
  runAgentOnce,
  serverBatches,
  serverFile,
  sha256,
  startAgentServer,
  tempDir,
  writeConfig,
  type AgentServer,
} from './harness.ts';

// Each crash case kills a real agent process with SIGKILL at one step of delivery, lets the
// MMS import act or not, and restarts it without the fault. The server's engine plays no
// part in how the agent survives a crash, so those ~18 processes are registered on
// PostgreSQL only (not skipped on PGlite: simply not there); the quarantine case runs on both.
const onPostgres = testEngine() === 'postgres' ? it : null;

describe(`file-drop delivery under kill -9 at every step (${testEngine()})`, () => {
  let s: AgentServer;
  let root: string;
  let inbox: string;
  let stateDir: string;
  let configFile: string;

  beforeAll(async () => {
    s = await startAgentServer('CRASH');
    await syncBasicMms(s.t, s.firm);
    root = await tempDir('pb-agent-crash-');
    inbox = join(root, 'inbox');
    stateDir = join(root, 'state');
    await mkdir(inbox);
    configFile = await writeConfig(root, {
      server: s.url,
      token: s.firm.agent,
      stateDir,
      sink: { type: 'file-drop', folder: inbox },
    });
  });
  afterAll(async () => {
    await s?.close();
    await removeDirs(root);
  });

  /** Every batch is delivered, exactly one file per batch holds the server's bytes, nothing half-written is left. */
  async function expectExactlyOnce(takenByMms: Set<string>) {
    const batches = await serverBatches(s);
    expect(batches.map((b) => b.status)).toEqual(batches.map(() => 'delivered'));
    const names = (await listing(inbox)).filter((n) => n !== 'taken/');
    expect(names.filter((n) => n.startsWith('.'))).toEqual([]);
    expect(names).toEqual(batches.filter((b) => !takenByMms.has(b.fileName)).map((b) => b.fileName));
    for (const b of batches) {
      const where = takenByMms.has(b.fileName) ? join(inbox, 'taken', b.fileName) : join(inbox, b.fileName);
      expect(await readFile(where)).toEqual(await serverFile(s, b.id));
    }
  }

  const points = [
    'after-download',
    'after-write',
    'after-fsync',
    'after-rename',
    'after-journal',
    'before-ack',
    'after-ack',
  ] as const;

  onPostgres?.('delivers every batch exactly once whatever step the agent dies at', { timeout: 120_000 }, async () => {
    const taken = new Set<string>();
    for (const point of points) {
      const batch = await makeBatch(s);
      const crashed = await runAgentOnce(configFile, { PAYBRIDGE_AGENT_CRASH_AT: point });
      expect(crashed.signal, `${point}: ${crashed.stderr}`).toBe('SIGKILL');
      const restarted = await runAgentOnce(configFile);
      expectSuccess(restarted);
      await expectExactlyOnce(taken);
      expect((await serverBatches(s)).find((b) => b.id === batch.id)?.status).toBe('delivered');
    }
  });

  onPostgres?.(
    'never rewrites a file the MMS took between the crash and the restart',
    { timeout: 60_000 },
    async () => {
      const taken = new Set<string>();
      await mkdir(join(inbox, 'taken'), { recursive: true });
      for (const point of ['after-rename', 'after-journal'] as const) {
        const batch = await makeBatch(s);
        expect((await runAgentOnce(configFile, { PAYBRIDGE_AGENT_CRASH_AT: point })).signal).toBe('SIGKILL');
        // The MMS import moves the file away, as it does once it has read it.
        await writeFile(join(inbox, 'taken', batch.fileName), await readFile(join(inbox, batch.fileName)));
        await rm(join(inbox, batch.fileName));
        taken.add(batch.fileName);
        const restarted = await runAgentOnce(configFile);
        expectSuccess(restarted);
        expect(restarted.stderr).toContain('already taken by the MMS');
      }
      const delivered = (await serverBatches(s)).filter((b) => !taken.has(b.fileName)).map((b) => b.fileName);
      expect((await listing(inbox)).filter((n) => n !== 'taken/')).toEqual(delivered);
      expect(await listing(join(inbox, 'taken'))).toEqual([...taken].sort());
    },
  );

  it(
    'quarantines a batch whose name is taken by other bytes, halts later ones, and resumes once the marker is deleted',
    { timeout: 60_000 },
    async () => {
      const first = await makeBatch(s);
      const stranger = Buffer.from('not a paybridge file\n');
      await writeFile(join(inbox, first.fileName), stranger);
      const second = await makeBatch(s);

      const refused = await runAgentOnce(configFile);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`batch ${first.seq} quarantined`);
      expect(refused.stderr).toMatch(/"level":50.*batch \d+ quarantined/);
      expect(await readFile(join(inbox, first.fileName))).toEqual(stranger); // not overwritten
      const quarantine = join(stateDir, 'quarantine');
      expect(await listing(quarantine)).toEqual([first.fileName, `${first.fileName}.quarantined`]);
      expect(await readFile(join(quarantine, first.fileName))).toEqual(await serverFile(s, first.id));
      const statuses = new Map((await serverBatches(s)).map((b) => [b.id, b]));
      expect([statuses.get(first.id)?.status, statuses.get(second.id)?.status]).toEqual(['queued', 'queued']);
      // The server was told: the firm sees the halt on its Batches screen (and staff are mailed).
      expect(statuses.get(first.id)?.quarantineReason).toContain(`${first.fileName} already exists with other bytes`);
      expect(statuses.get(second.id)?.quarantinedAt).toBeNull();

      // Still halted on the next run: nothing later is delivered past a quarantined batch.
      const halted = await runAgentOnce(configFile);
      expect(halted.code).toBe(1);
      expect(halted.stderr).toContain('Delivery is halted');
      expect((await listing(inbox)).includes(second.fileName)).toBe(false);

      // The operator moves the stranger away and deletes the marker: both batches go through, once.
      await rm(join(inbox, first.fileName));
      await rm(join(quarantine, `${first.fileName}.quarantined`));
      expectSuccess(await runAgentOnce(configFile));
      const after = await serverBatches(s);
      for (const id of [first.id, second.id]) {
        const b = after.find((x) => x.id === id)!;
        expect(b.status).toBe('delivered');
        expect(sha256(await readFile(join(inbox, b.fileName)))).toBe(b.sha256);
      }
    },
  );

  it(
    'refuses bytes that do not match their SHA-256: nothing written, nothing acknowledged',
    { timeout: 60_000 },
    async () => {
      const batch = await makeBatch(s);
      // The stored file changes under the server, its recorded sha256 does not: what a corrupted
      // download looks like. Batches are immutable, so the guarding trigger is switched off for it.
      const corrupt = (change: ReturnType<typeof sql>) =>
        s.t.conn.db.transaction().execute(async (tx) => {
          await sql`set local session_replication_role = replica`.execute(tx);
          await change.execute(tx);
        });
      await corrupt(sql`update batches set content = content || '\\x0a'::bytea where id = ${batch.id}`);
      const refused = await runAgentOnce(configFile);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`paybridge: batch ${batch.seq} (${batch.fileName}) failed its SHA-256 check`);
      expect((await listing(inbox)).filter((n) => n.includes(batch.fileName))).toEqual([]);
      expect((await serverBatches(s)).find((b) => b.id === batch.id)?.status).toBe('queued');

      await corrupt(
        sql`update batches set content = substring(content from 1 for length(content) - 1) where id = ${batch.id}`,
      );
      expectSuccess(await runAgentOnce(configFile));
      expect(await readFile(join(inbox, batch.fileName))).toEqual(await serverFile(s, batch.id));
    },
  );
});
