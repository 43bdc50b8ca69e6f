import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/db/connect.ts';
import { createFirm, createUser } from '../../src/usecases/auth/firms-and-users.ts';
import { countRows, createCliDatabase, runCli, type CliDatabase } from './harness.ts';

describe('paybridge admin: refusing bad input', () => {
  let database: CliDatabase;
  let before: Awaited<ReturnType<typeof countRows>>;
  beforeAll(async () => {
    database = await createCliDatabase({ migrated: true });
    const conn = await database.open();
    try {
      await createFirm(conn.db, { code: 'BAD', name: 'Bad Input LLP' });
      await createUser(conn.db, {
        firmCode: 'BAD',
        email: 'kim@bad.test',
        role: 'admin',
        password: 'a long enough password',
      });
      before = await countRows(conn.db);
    } finally {
      // A PGlite data directory has one owner at a time; the children open it next.
      await conn.close();
    }
  }, 60_000);
  afterAll(async () => database?.remove());

  // Run one after another: two PGlite processes must never share a data directory.
  const cases: { problem: string; args: string[]; code: number; message: RegExp }[] = [
    {
      problem: 'a lowercase firm code',
      args: ['create-firm', '--code', 'bad2', '--name', 'X'],
      code: 1,
      message: /firm code "bad2" must be/,
    },
    {
      problem: 'a short password',
      args: ['create-user', '--firm', 'BAD', '--email', 'lee@bad.test', '--role', 'viewer', '--password', 'short'],
      code: 1,
      message: /password must be at least 12 characters/,
    },
    {
      problem: 'an unknown firm',
      args: ['create-token', '--firm', 'NOPE', '--kind', 'agent'],
      code: 1,
      message: /firm NOPE was not found/,
    },
    {
      problem: 'a user token without --email',
      args: ['create-token', '--firm', 'BAD', '--kind', 'user'],
      code: 1,
      message: /user token needs --email/,
    },
    {
      problem: 'an unknown time zone',
      args: ['create-firm', '--code', 'TZ', '--name', 'X', '--time-zone', 'Mars/Phobos'],
      code: 2,
      message: /--time-zone <zone>.*'Mars\/Phobos' is invalid\. "Mars\/Phobos" is not an IANA time zone/,
    },
    {
      problem: 'an unknown role',
      args: [
        'create-user',
        '--firm',
        'BAD',
        '--email',
        'lee@bad.test',
        '--role',
        'boss',
        '--password',
        'a long enough password',
      ],
      code: 2,
      message: /--role <role>.*'boss' is invalid/,
    },
  ];

  it(
    'exits non-zero, names the problem on stderr, prints nothing on stdout and writes nothing',
    { timeout: 180_000 },
    async () => {
      for (const { problem, args, code, message } of cases) {
        const result = await runCli(['admin', ...args], database.env);
        expect(result.code, problem).toBe(code);
        expect(result.stdout, problem).toBe('');
        expect(result.stderr, problem).toMatch(message);
        if (code === 1) expect(result.stderr, problem).toMatch(/^paybridge: /m);
      }
      let conn: Connection | undefined;
      try {
        conn = await database.open();
        expect(await countRows(conn.db)).toEqual(before);
      } finally {
        await conn?.close();
      }
    },
  );
});
