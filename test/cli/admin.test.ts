import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../../src/usecases/auth/secrets.ts';
import { createCliDatabase, everyRowAsText, runCli, type CliDatabase } from './harness.ts';

// Each spawn costs a tsx start and a database open (seconds on PGlite), so one test
// walks a whole setup through the real command and checks every step as it goes.
describe('paybridge admin: setting a firm up', () => {
  let database: CliDatabase;
  beforeAll(async () => {
    database = await createCliDatabase({ migrated: false });
  }, 120_000);
  afterAll(async () => database?.remove());

  async function admin(...args: string[]) {
    const result = await runCli(['admin', ...args], database.env);
    expect(result.code, result.stderr).toBe(0);
    // stdout is the JSON and nothing else: logs, such as the migration line, go to stderr.
    return JSON.parse(result.stdout) as Record<string, unknown>;
  }

  it(
    'creates a firm, a user and tokens, prints only JSON, and stores tokens only as hashes',
    { timeout: 240_000 },
    async () => {
      const first = await runCli(
        ['admin', 'create-firm', '--code', 'CLIFIRM', '--name', 'Cli & Sons LLP', '--time-zone', 'America/Los_Angeles'],
        database.env,
      );
      expect(first.code, first.stderr).toBe(0);
      expect(JSON.parse(first.stdout)).toEqual({
        id: expect.any(String),
        code: 'CLIFIRM',
        name: 'Cli & Sons LLP',
        timeZone: 'America/Los_Angeles',
      });
      expect(first.stderr).toMatch(/"msg":"database migrated"/);
      // Without --time-zone a firm keeps its days in New York.
      expect(await admin('create-firm', '--code', 'CLIEAST', '--name', 'East LLP')).toEqual({
        id: expect.any(String),
        code: 'CLIEAST',
        name: 'East LLP',
        timeZone: 'America/New_York',
      });

      const user = await admin(
        'create-user',
        '--firm',
        'CLIFIRM',
        '--email',
        'Ann@Cli.test',
        '--role',
        'accountant',
        '--password',
        'a long enough password',
        '--name',
        'Ann',
      );
      expect(user).toEqual({
        id: expect.any(String),
        email: 'ann@cli.test',
        name: 'Ann',
        role: 'accountant',
        firm: 'CLIFIRM',
      });

      const agent = await admin('create-token', '--firm', 'CLIFIRM', '--kind', 'agent', '--label', 'server room');
      expect(agent).toEqual({
        token: expect.stringMatching(/^pb_agent_[\w-]{43}$/),
        id: expect.any(String),
        kind: 'agent',
      });
      const script = await admin('create-token', '--firm', 'CLIFIRM', '--kind', 'user', '--email', 'ann@cli.test');
      expect(script).toEqual({
        token: expect.stringMatching(/^pb_user_[\w-]{43}$/),
        id: expect.any(String),
        kind: 'user',
      });

      expect(await admin('revoke-token', '--firm', 'CLIFIRM', '--id', String(agent.id))).toEqual({
        id: agent.id,
        revoked: true,
      });
      const firms = await runCli(['admin', 'list-firms'], database.env);
      expect(JSON.parse(firms.stdout)).toEqual([
        {
          id: expect.any(String),
          code: 'CLIEAST',
          name: 'East LLP',
          timeZone: 'America/New_York',
          createdAt: expect.any(String),
        },
        {
          id: expect.any(String),
          code: 'CLIFIRM',
          name: 'Cli & Sons LLP',
          timeZone: 'America/Los_Angeles',
          createdAt: expect.any(String),
        },
      ]);

      const conn = await database.open();
      try {
        const tokens = await conn.db
          .selectFrom('api_tokens')
          .select(['id', 'token_hash', 'label', 'revoked_at'])
          .orderBy('kind')
          .execute();
        expect(tokens).toEqual([
          {
            id: agent.id,
            token_hash: hashSecret(String(agent.token)),
            label: 'server room',
            revoked_at: expect.any(Date),
          },
          { id: script.id, token_hash: hashSecret(String(script.token)), label: '', revoked_at: null },
        ]);
        const rows = (await everyRowAsText(conn.db)).join('\n');
        expect(rows).not.toContain(String(agent.token));
        expect(rows).not.toContain(String(script.token));
        expect(rows).not.toContain('a long enough password');
      } finally {
        await conn.close();
      }
    },
  );
});
