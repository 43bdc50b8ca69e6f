import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { demoSummary } from '../../src/cli/start-command.ts';
import { createLogger } from '../../src/cli/logger.ts';
import { startServer, type FirstRunContext } from '../../src/cli/start.ts';
import { createFirm } from '../../src/usecases/auth/firms-and-users.ts';
import { createCliDatabase, startServerProcess, type CliDatabase } from './harness.ts';

describe('starting the server', () => {
  let database: CliDatabase;
  beforeAll(async () => {
    // Empty, so that starting has to migrate it.
    database = await createCliDatabase({ migrated: false });
  }, 60_000);
  afterAll(async () => database?.remove());

  it(
    'migrates, runs onFirstRun on an empty demo database only, serves / and OpenAPI, and closes',
    { timeout: 180_000 },
    async () => {
      const firstRuns: string[] = [];
      const onFirstRun = async ({ db }: FirstRunContext) => {
        firstRuns.push('seeded');
        await createFirm(db, { code: 'FIRST', name: 'First Run LLP' });
      };
      const config = { ...database.config, port: 0, demo: true };
      const server = await startServer(config, { onFirstRun });
      try {
        expect(server.url).toMatch(/^http:\/\/localhost:\d+$/);
        const home = await fetch(`${server.url}/`);
        expect(home.status).toBe(200);
        expect(home.headers.get('content-type')).toMatch(/^text\/html/);
        // The web UI's index.html, or the page saying it is not built yet: both are titled paybridge.
        expect(await home.text()).toContain('<title>paybridge</title>');
        const openapi = await fetch(`${server.url}/api/v1/openapi.json`);
        expect(openapi.status).toBe(200);
        const document = (await openapi.json()) as { paths: Record<string, unknown> };
        expect(document.paths['/api/v1/session']).toBeDefined();
      } finally {
        await server.close();
      }
      await server.close(); // a second close, as from a second signal, is harmless
      await expect(fetch(`${server.url}/`)).rejects.toThrow();

      const again = await startServer(config, { onFirstRun });
      await again.close();
      expect(firstRuns).toEqual(['seeded']); // the firm it made means this is no longer a first run
    },
  );

  it('logs requests at debug in the demo, so the default info level keeps the terminal for the summary', async () => {
    const logged = async (level: string) => {
      const stream = new PassThrough();
      let text = '';
      stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
      const server = await startServer(
        { ...database.config, port: 0, demo: true },
        { logger: createLogger(level, stream) },
      );
      try {
        expect((await fetch(`${server.url}/api/v1/openapi.json`)).status).toBe(200);
      } finally {
        await server.close();
      }
      return text.split('\n').filter((line) => line.includes('"msg":"request completed"'));
    };
    expect(await logged('info')).toEqual([]);
    const debug = await logged('debug');
    expect(debug).toHaveLength(1);
    expect(JSON.parse(debug[0]!)).toMatchObject({ level: 20, msg: 'request completed' });
  });

  it('sums up the demo in plain lines: where to sign in, as whom, a payer page to try and the MMS inbox', () => {
    const lines = demoSummary('http://localhost:8080', '/data/demo-mms/inbox').split('\n');
    expect(lines).toContain('  Sign in:    http://localhost:8080');
    expect(lines).toContain('  Password:   paybridge-demo');
    expect(lines).toContain(
      '  Payer page: http://localhost:8080/pay/hartwell-finch (look up client 1002, invoice 24-0150)',
    );
    expect(lines.some((line) => line.startsWith('  MMS inbox:  /data/demo-mms/inbox'))).toBe(true);
    expect(lines.some((line) => line.trim().startsWith('{'))).toBe(false);
  });

  it('`paybridge start` prints its URL on stdout and stops cleanly on SIGTERM', { timeout: 120_000 }, async () => {
    const server = await startServerProcess(database.env);
    let code: number | null;
    try {
      expect((await fetch(`${server.url}/`)).status).toBe(200);
    } finally {
      code = await server.stop();
    }
    expect(code, server.stderr()).toBe(0);
    expect(server.stdout().trim().split('\n')).toEqual([`paybridge is running at ${server.url}`]);
    expect(server.stderr()).toMatch(/"msg":"stopped"/);

    // Closed cleanly: the database opens again and kept what the first test wrote.
    const conn = await database.open();
    try {
      expect(await conn.db.selectFrom('firms').select('code').execute()).toEqual([{ code: 'FIRST' }]);
    } finally {
      await conn.close();
    }
  });
});
