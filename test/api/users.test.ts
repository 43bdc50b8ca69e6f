import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';

describe('Users (admin)', () => {
  let t: TestApp;
  let firm: TestFirm;
  beforeAll(async () => {
    t = await startTestApp();
    firm = await createTestFirm(t, 'USRS');
    await createTestFirm(t, 'USRO');
  });
  afterAll(async () => t.close());

  it("lists the firm's users, and only them, without password hashes", async () => {
    const res = await call(t, firm.admin, 'GET', '/users');
    expect(res.statusCode).toBe(200);
    const items = res.json().items;
    expect(items.map((u: { email: string; role: string }) => [u.email, u.role])).toEqual([
      [firm.emails.accountant, 'accountant'],
      [firm.emails.admin, 'admin'],
      [firm.emails.viewer, 'viewer'],
    ]);
    expect(Object.keys(items[0]).sort()).toEqual([
      'createdAt',
      'disabledAt',
      'email',
      'id',
      'name',
      'passwordSet',
      'role',
      'twoFactorEnabled',
    ]);
    expect(res.body).not.toMatch(/argon2|"password"|password_hash|totp/i);
  });

  it('is for admins only', async () => {
    expect((await call(t, firm.accountant, 'GET', '/users')).statusCode).toBe(403);
    expect((await call(t, firm.viewer, 'GET', '/users')).statusCode).toBe(403);
    expect((await call(t, null, 'GET', '/users')).statusCode).toBe(401);
  });
});

describe('OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  it('describes the export, invoice, payment page, settings, token and user routes', async () => {
    const res = await call(t, null, 'GET', '/openapi.json');
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths);
    for (const path of [
      '/api/v1/postings/export.xlsx',
      '/api/v1/payments/export.xlsx',
      '/api/v1/invoices',
      '/api/v1/payment-pages',
      '/api/v1/payment-pages/{id}',
      '/api/v1/settings',
      '/api/v1/tokens',
      '/api/v1/tokens/{id}',
      '/api/v1/users',
    ]) {
      expect(paths, path).toContain(path);
    }
  });
});
