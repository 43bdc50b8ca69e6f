import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, revokeToken } from '../../src/usecases/auth/firms-and-users.ts';
import { childEnv, REPO_ROOT } from '../cli/harness.ts';
import { syncBasicMms } from '../support/fixtures.ts';
import {
  listing,
  makeBatch,
  removeDirs,
  runAgentOnce,
  startAgentServer,
  tempDir,
  writeConfig,
  type AgentServer,
} from './harness.ts';

/** A port nothing listens on: one the system just handed out and took back. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

describe('the agent refuses to run, with a clear message and a non-zero exit', () => {
  let s: AgentServer;
  let root: string;
  let inbox: string;
  const config = (overrides: Record<string, unknown>) => ({
    server: s.url,
    token: s.firm.agent,
    stateDir: join(root, 'state'),
    sink: { type: 'file-drop', folder: inbox },
    ...overrides,
  });

  beforeAll(async () => {
    s = await startAgentServer('ERRS');
    root = await tempDir('pb-agent-errors-');
    inbox = join(root, 'inbox');
    await mkdir(inbox);
  });
  afterAll(async () => {
    await s?.close();
    await removeDirs(root);
  });

  it('names every mistake of a config file', async () => {
    const file = join(root, 'bad.json');
    await writeFile(
      file,
      JSON.stringify({
        server: 'paybridge.example.com',
        token: s.firm.agent,
        sink: { type: 'ftp' },
        pollSeconds: -5,
        syncSecs: 10,
      }),
    );
    const run = await runAgentOnce(file);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('5 mistakes');
    for (const problem of [
      'server: must be an http',
      'stateDir: is required',
      'sink.type: must be one of "file-drop", "procedure"',
      'pollSeconds: must be at least 1',
      'syncSecs: is not a setting',
    ]) {
      expect(run.stderr).toContain(problem);
    }
    expect(run.stderr).not.toContain(s.firm.agent);
  });

  it('says when the token is wrong, or revoked, and never prints it', { timeout: 60_000 }, async () => {
    const wrong = `pb_agent_${'x'.repeat(43)}`;
    const run = await runAgentOnce(await writeConfig(root, config({ token: wrong })));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/refused the agent token \(401.*wrong or has been revoked/);
    expect(run.stderr).not.toContain(wrong);

    const created = await createToken(s.t.conn.db, { firmCode: s.firm.code, kind: 'agent' });
    const file = await writeConfig(root, config({ token: created.token }));
    expect((await runAgentOnce(file)).code).toBe(0);
    await revokeToken(s.t.conn.db, s.firm.id, created.id);
    const revoked = await runAgentOnce(file);
    expect(revoked.code).toBe(1);
    expect(revoked.stderr).toContain('refused the agent token (401');
    expect(revoked.stderr).not.toContain(created.token);
  });

  it('says when the server cannot be reached, or the drop folder cannot take files', { timeout: 60_000 }, async () => {
    const closed = await freePort();
    const unreachable = await runAgentOnce(await writeConfig(root, config({ server: `http://127.0.0.1:${closed}` })));
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain(
      `paybridge: cannot reach the paybridge server at http://127.0.0.1:${closed}: ECONNREFUSED`,
    );

    // As root, permissions cannot make a folder unwritable; a missing folder and a file in its place can.
    const missing = await runAgentOnce(
      await writeConfig(root, config({ sink: { type: 'file-drop', folder: join(root, 'no-such-folder') } })),
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(
      `the drop folder ${join(root, 'no-such-folder')} cannot take files: it does not exist`,
    );
    await writeFile(join(root, 'a-file'), '');
    const notFolder = await runAgentOnce(
      await writeConfig(root, config({ sink: { type: 'file-drop', folder: join(root, 'a-file') } })),
    );
    expect(notFolder.code).toBe(1);
    expect(notFolder.stderr).toContain('cannot take files: it is not a folder');
  });
});

describe('the long-running agent', () => {
  let s: AgentServer;
  let root: string;
  beforeAll(async () => {
    s = await startAgentServer('LOOP');
    await syncBasicMms(s.t, s.firm);
    root = await tempDir('pb-agent-loop-');
    await mkdir(join(root, 'inbox'));
  });
  afterAll(async () => {
    await s?.close();
    await removeDirs(root);
  });

  it(
    'delivers each batch as it is made until SIGTERM, then finishes what it is doing and exits 0',
    { timeout: 60_000 },
    async () => {
      const file = await writeConfig(root, {
        server: s.url,
        token: s.firm.agent,
        stateDir: './state',
        sink: { type: 'file-drop', folder: './inbox' },
        pollSeconds: 1,
      });
      const child = spawn(process.execPath, ['bin/paybridge.js', 'agent', '--config', file], {
        cwd: REPO_ROOT,
        env: childEnv({}),
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = once(child, 'exit');
      try {
        for (const payments of [1, 2]) {
          const batch = await makeBatch(s, payments);
          for (let i = 0; i < 40 && !(await listing(join(root, 'inbox'))).includes(batch.fileName); i += 1)
            await sleep(250);
          expect(await listing(join(root, 'inbox'))).toContain(batch.fileName);
        }
      } finally {
        child.kill('SIGTERM');
      }
      const [code] = await exited;
      expect(code, stderr).toBe(0);
      expect(stderr).toContain('"msg":"agent started"');
      expect(stderr).toContain('"signal":"SIGTERM"');
      expect(stderr).toContain('"msg":"agent stopped"');
      expect(stderr).not.toContain(s.firm.agent);
    },
  );
});
