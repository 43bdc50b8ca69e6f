import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';

describe('Tokens (admin)', () => {
  let t: TestApp;
  let firm: TestFirm;
  let other: TestFirm;
  beforeAll(async () => {
    t = await startTestApp();
    firm = await createTestFirm(t, 'TOKS');
    other = await createTestFirm(t, 'TOKO');
  });
  afterAll(async () => t.close());

  const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

  it('creates an agent token whose secret works and is shown only once', async () => {
    const res = await call(t, firm.admin, 'POST', '/tokens', { kind: 'agent', label: 'Connect on FS01' });
    expect(res.statusCode, res.body).toBe(201);
    const made = res.json();
    expect(Object.keys(made).sort()).toEqual(['id', 'kind', 'token']);
    expect(made.kind).toBe('agent');
    expect(made.token).toMatch(/^pb_agent_[A-Za-z0-9_-]{43}$/);
    expect((await call(t, made.token, 'GET', '/agent/batches')).statusCode).toBe(200);

    const list = await call(t, firm.admin, 'GET', '/tokens');
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(made.token);
    expect(list.body).not.toContain(sha256(made.token));
    const listed = list.json().items.find((i: { id: string }) => i.id === made.id);
    expect(listed).toMatchObject({
      id: made.id,
      kind: 'agent',
      label: 'Connect on FS01',
      userEmail: null,
      revokedAt: null,
    });
    expect(Object.keys(listed).sort()).toEqual([
      'createdAt',
      'id',
      'kind',
      'label',
      'lastUsedAt',
      'revokedAt',
      'userEmail',
    ]);
    expect(listed.lastUsedAt).not.toBeNull();

    const audit = await t.conn.db
      .selectFrom('audit_events')
      .selectAll()
      .where('firm_id', '=', firm.id)
      .where('action', '=', 'token_created')
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(made.token);
  });

  it('creates a user token acting as a user of the firm', async () => {
    const res = await call(t, firm.admin, 'POST', '/tokens', { kind: 'user', email: firm.emails.viewer.toUpperCase() });
    expect(res.statusCode, res.body).toBe(201);
    const me = await call(t, res.json().token, 'GET', '/me');
    expect(me.json().user.email).toBe(firm.emails.viewer);
    const listed = (await call(t, firm.admin, 'GET', '/tokens'))
      .json()
      .items.find((i: { id: string }) => i.id === res.json().id);
    expect(listed.userEmail).toBe(firm.emails.viewer);
  });

  it("refuses a user token without an email, for another firm's user, or an agent token with one", async () => {
    expect((await call(t, firm.admin, 'POST', '/tokens', { kind: 'user' })).statusCode).toBe(400);
    expect((await call(t, firm.admin, 'POST', '/tokens', { kind: 'agent', email: firm.emails.admin })).statusCode).toBe(
      400,
    );
    expect((await call(t, firm.admin, 'POST', '/tokens', { kind: 'robot' })).statusCode).toBe(400);
    const foreign = await call(t, firm.admin, 'POST', '/tokens', { kind: 'user', email: other.emails.admin });
    expect(foreign.statusCode).toBe(404);
  });

  it('revokes a token: it answers 401 from then on, and revoking again is harmless', async () => {
    const made = (await call(t, firm.admin, 'POST', '/tokens', { kind: 'user', email: firm.emails.accountant })).json();
    expect((await call(t, made.token, 'GET', '/postings')).statusCode).toBe(200);
    const del = await call(t, firm.admin, 'DELETE', `/tokens/${made.id}`);
    expect(del.statusCode).toBe(204);
    expect(del.body).toBe('');
    const after = await call(t, made.token, 'GET', '/postings');
    expect(after.statusCode).toBe(401);
    expect((await call(t, firm.admin, 'DELETE', `/tokens/${made.id}`)).statusCode).toBe(204);
    const listed = (await call(t, firm.admin, 'GET', '/tokens'))
      .json()
      .items.find((i: { id: string }) => i.id === made.id);
    expect(listed.revokedAt).not.toBeNull();
    const audit = await t.conn.db
      .selectFrom('audit_events')
      .select('detail')
      .where('firm_id', '=', firm.id)
      .where('action', '=', 'token_revoked')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it("answers another firm's token, and a made-up id, with 404, and revokes nothing", async () => {
    const theirs = (await call(t, other.admin, 'POST', '/tokens', { kind: 'agent' })).json();
    expect((await call(t, firm.admin, 'DELETE', `/tokens/${theirs.id}`)).statusCode).toBe(404);
    expect((await call(t, firm.admin, 'DELETE', '/tokens/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await call(t, firm.admin, 'DELETE', '/tokens/nope')).statusCode).toBe(404);
    expect((await call(t, theirs.token, 'GET', '/agent/batches')).statusCode).toBe(200);
    const mine = (await call(t, firm.admin, 'GET', '/tokens')).json().items.map((i: { id: string }) => i.id);
    expect(mine).not.toContain(theirs.id);
  });

  it('refuses an Idempotency-Key on create, so the secret is never stored for a replay', async () => {
    const res = await call(
      t,
      firm.admin,
      'POST',
      '/tokens',
      { kind: 'agent' },
      { headers: { 'idempotency-key': 'make-agent-1' } },
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('idempotency_key_not_accepted');
    const stored = await t.conn.db.selectFrom('idempotency_keys').selectAll().where('firm_id', '=', firm.id).execute();
    expect(JSON.stringify(stored)).not.toMatch(/pb_agent_/);
  });

  it('is for admins only', async () => {
    expect((await call(t, firm.accountant, 'GET', '/tokens')).statusCode).toBe(403);
    expect((await call(t, firm.accountant, 'POST', '/tokens', { kind: 'agent' })).statusCode).toBe(403);
    expect((await call(t, firm.viewer, 'DELETE', '/tokens/00000000-0000-4000-8000-000000000000')).statusCode).toBe(403);
    expect((await call(t, firm.agent, 'GET', '/tokens')).statusCode).toBe(403);
  });
});
