import { mkdir, readdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import { headerSafe } from '../../src/agent/identity.ts';
import { buildApp } from '../../src/server/app.ts';
import { call, startSecondInstance, type TestApp } from '../support/app.ts';
import { testEngine } from '../support/db.ts';
import { syncBasicMms } from '../support/fixtures.ts';
import {
  expectSuccess,
  fileArrives,
  makeBatch,
  removeDirs,
  runAgentOnce,
  startAgentProcess,
  startAgentServer,
  tempDir,
  writeConfig,
  type AgentProcess,
  type AgentServer,
} from './harness.ts';

// SPEC §5 live delivery, through the real agent process and the real server: the agent
// keeps a long-poll open and a Post wakes it. pollSeconds is set far above the bounds
// below wherever only the long-poll can explain the file's arrival. The 2 s target itself
// is the bench's figure; the bounds here are generous, for a loaded machine.
const ARRIVES_MS = 5_000;

/** Another server instance over the same database, listening on `port` (0: any), as a restarted or second server is. */
interface Instance {
  url: string;
  port: number;
  close(): Promise<void>;
}

async function listen(
  app: Awaited<ReturnType<typeof buildApp>>,
  port: number,
  close: () => Promise<void>,
): Promise<Instance> {
  await app.listen({ host: '127.0.0.1', port });
  const address = app.server.address();
  const bound = typeof address === 'object' && address ? address.port : 0;
  let closed: Promise<void> | undefined;
  return { url: `http://127.0.0.1:${bound}`, port: bound, close: () => (closed ??= close()) };
}

/** A server instance on the test server's own connection (either engine): it can be stopped and started again on its port. */
async function instanceOn(t: TestApp, port = 0): Promise<Instance> {
  const app = await buildApp({ db: t.conn.db, listen: t.conn.listen, config: t.config });
  return listen(app, port, () => app.close());
}

describe(`live delivery by the real agent process (${testEngine()})`, () => {
  let s: AgentServer;
  let root: string;
  let inbox: string;
  const agents: AgentProcess[] = [];
  const instances: Instance[] = [];

  const config = (server: string, pollSeconds: number) =>
    writeConfig(root, {
      server,
      token: s.firm.agent,
      stateDir: join(root, 'state'),
      sink: { type: 'file-drop', folder: inbox },
      pollSeconds,
    });
  /** Started, and given a moment to open its first long-poll (nothing waits, so the server holds it). */
  async function agentOn(server: string, pollSeconds: number): Promise<AgentProcess> {
    const agent = startAgentProcess(await config(server, pollSeconds));
    agents.push(agent);
    await agent.logged('"msg":"agent started"');
    await sleep(1_000);
    return agent;
  }

  beforeAll(async () => {
    s = await startAgentServer('LIVE');
    await syncBasicMms(s.t, s.firm);
    root = await tempDir('pb-agent-live-');
    inbox = join(root, 'inbox');
    await mkdir(inbox);
  });
  afterEach(async () => {
    await Promise.all(agents.splice(0).map((a) => a.stop()));
    await Promise.all(instances.splice(0).map((i) => i.close()));
  });
  afterAll(async () => {
    await s?.close();
    await removeDirs(root);
  });

  it(
    'puts a posted batch in the drop folder within seconds, with pollSeconds at 60: the long-poll, not the poll',
    { timeout: 60_000 },
    async () => {
      const agent = await agentOn(s.url, 60);
      for (const payments of [1, 3, 2]) {
        const batch = await makeBatch(s, payments);
        expect(await fileArrives(inbox, batch.fileName, ARRIVES_MS)).toBeLessThan(ARRIVES_MS);
      }
      expect(agent.stderr()).not.toContain('delivery failed');
    },
  );

  it('ends its open long-poll on SIGTERM and exits 0 at once', { timeout: 60_000 }, async () => {
    const agent = await agentOn(s.url, 60);
    // Its long-poll is held for 25 s; the process must not wait for it.
    const { code, ms } = await agent.stop();
    expect(code, agent.stderr()).toBe(0);
    expect(ms).toBeLessThan(3_000);
    expect(agent.stderr()).toContain('"msg":"agent stopped"');
    expect(agent.stderr()).not.toContain('delivery failed');
  });

  it('resumes within one pollSeconds once a stopped server is started again', { timeout: 90_000 }, async () => {
    const pollSeconds = 3;
    const first = await instanceOn(s.t);
    instances.push(first);
    const agent = await agentOn(first.url, pollSeconds);
    const before = await makeBatch(s);
    expect(await fileArrives(inbox, before.fileName, ARRIVES_MS)).toBeLessThan(ARRIVES_MS);

    // Stopped with the agent's long-poll open; a batch is made while it is down.
    await first.close();
    const during = await makeBatch(s);
    await sleep(2 * pollSeconds * 1000);
    expect(await readdir(inbox)).not.toContain(during.fileName);
    expect(agent.stderr()).toContain('delivery failed: cannot reach the paybridge server');

    const again = await instanceOn(s.t, first.port);
    instances.push(again);
    expect(await fileArrives(inbox, during.fileName, pollSeconds * 1000 + ARRIVES_MS)).toBeLessThan(
      pollSeconds * 1000 + ARRIVES_MS,
    );
    // And live again: the next Post is not left to the fallback.
    await sleep(pollSeconds * 1000);
    const after = await makeBatch(s);
    expect(await fileArrives(inbox, after.fileName, ARRIVES_MS)).toBeLessThan(ARRIVES_MS);
  });

  it(
    'tells the server its version, host, source and sink on every request: Connect status shows them',
    { timeout: 60_000 },
    async () => {
      expectSuccess(await runAgentOnce(await config(s.url, 45)));
      const status = await call(s.t, s.firm.viewer, 'GET', '/connect/status');
      expect(status.statusCode, status.body).toBe(200);
      expect(status.json().agents).toEqual([
        expect.objectContaining({
          version: packageJson.version,
          host: headerSafe(hostname(), 255),
          source: 'none',
          sink: 'file-drop',
        }),
      ]);
    },
  );

  // Several instances share one database only on PostgreSQL (PGlite is one process), so
  // this case is registered there alone; test/api/live.test.ts covers the server's half.
  const onPostgres = testEngine() === 'postgres' ? it : null;
  onPostgres?.(
    'is woken by a Post on another server instance than the one it long-polls',
    { timeout: 60_000 },
    async () => {
      const other = await startSecondInstance(s.t);
      const instance = await listen(other.app, 0, () => other.close());
      instances.push(instance);
      await agentOn(instance.url, 60);
      // The Post goes to the first instance; the agent's long-poll is held by the second.
      const batch = await makeBatch(s, 2);
      expect(await fileArrives(inbox, batch.fileName, ARRIVES_MS)).toBeLessThan(ARRIVES_MS);
    },
  );
});
