import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/cli/start.ts';
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from '../../src/usecases/demo/seed-demo.ts';
import { createCliDatabase, type CliDatabase } from './harness.ts';

/** Issue 15: with no SMTP_URL, a fresh demo start shows in Settings the mail it would have sent. */
describe('the outbox on a fresh demo start', () => {
  let database: CliDatabase;
  let outboxDir: string;
  beforeAll(async () => {
    database = await createCliDatabase({ migrated: true });
    outboxDir = await mkdtemp(join(tmpdir(), 'pb-demo-outbox-'));
  }, 60_000);
  afterAll(async () => {
    await database?.remove();
    await rm(outboxDir, { recursive: true, force: true });
  });

  it(
    'sends the demo payments receipts to DATA_DIR/outbox at start and lists them for the admin',
    { timeout: 180_000 },
    async () => {
      // On PGlite DATA_DIR holds the database too; on PostgreSQL it is only the outbox's home.
      const dataDir = database.env.DATA_DIR ?? outboxDir;
      const config = { ...database.config, dataDir, port: 0, demo: true, smtpUrl: undefined };
      const server = await startServer(config, {
        onFirstRun: async ({ db }) => {
          await seedDemo(db, new Date());
        },
      });
      try {
        const signIn = await fetch(`${server.url}/api/v1/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: DEMO_USERS.admin, password: DEMO_PASSWORD }),
        });
        expect(signIn.status).toBe(200);
        const cookie = /pb_session=[^;]+/.exec(signIn.headers.get('set-cookie') ?? '')![0];
        // The scheduler's first mail run starts with the server; wait for it, not for a tick.
        let outbox: { delivery: string; files: { to: string; subject: string }[]; queue: { status: string }[] } | null =
          null;
        for (let i = 0; i < 100; i += 1) {
          const res = await fetch(`${server.url}/api/v1/settings/outbox`, { headers: { cookie } });
          expect(res.status).toBe(200);
          outbox = (await res.json()) as typeof outbox;
          if (outbox!.files.length > 0 && outbox!.queue.every((m) => m.status !== 'queued')) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect(outbox!.delivery).toBe('outbox');
        expect(outbox!.files).toContainEqual(
          expect.objectContaining({ to: 'ap@northwind.example', subject: expect.stringMatching(/^Your payment to /) }),
        );
        expect(outbox!.queue.every((m) => m.status === 'sent')).toBe(true);
      } finally {
        await server.close();
      }
    },
  );
});
