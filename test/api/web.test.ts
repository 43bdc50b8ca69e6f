import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { Connection } from '../../src/db/connect.ts';
import { buildApp } from '../../src/server/app.ts';
import { createTestDb } from '../support/db.ts';

describe('serving the web UI', () => {
  let conn: Connection;
  let built: FastifyInstance;
  let missing: FastifyInstance;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pb-web-'));
    mkdirSync(join(dir, 'dist/assets'), { recursive: true });
    writeFileSync(join(dir, 'dist/index.html'), '<!doctype html><title>paybridge</title><div id="root"></div>');
    writeFileSync(join(dir, 'dist/assets/app-1234.js'), 'console.log(1)');
    writeFileSync(join(dir, 'secret.txt'), 'outside dist');
    conn = await createTestDb();
    const config = { ...loadConfig({}), demo: false };
    built = await buildApp({ db: conn.db, listen: conn.listen, config, webDist: `${join(dir, 'dist')}/` });
    missing = await buildApp({ db: conn.db, listen: conn.listen, config, webDist: `${join(dir, 'nothing')}/` });
  });
  afterAll(async () => {
    await built.close();
    await missing.close();
    await conn.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('tells the browser to run only its own scripts, never frame a page, and send no Referer', async () => {
    for (const url of [
      '/',
      '/pay/demo-page',
      '/pay/link/pl_abc',
      '/assets/app-1234.js',
      '/api/v1/me',
      '/api/v1/nope',
    ]) {
      const res = await built.inject({ url });
      expect(res.headers['content-security-policy'], url).toContain("frame-ancestors 'none'");
      expect(res.headers['content-security-policy'], url).toContain("script-src 'self'");
      expect(res.headers['content-security-policy'], url).not.toContain('unsafe-eval');
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['referrer-policy'], url).toBe('no-referrer');
    }
  });

  it('serves index.html at / and, for the screens, at any path outside /api', async () => {
    for (const url of ['/', '/postings', '/batches?x=1', '/settings/tokens']) {
      const res = await built.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toMatch(/^text\/html/);
      expect(res.body, url).toContain('<div id="root">');
      expect(res.headers['cache-control'], url).toBe('no-cache');
    }
  });

  it('serves hashed assets for good, and 404s a missing file or a path out of the folder', async () => {
    const asset = await built.inject({ url: '/assets/app-1234.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toMatch(/immutable/);
    expect((await built.inject({ url: '/assets/gone.js' })).statusCode).toBe(404);
    expect((await built.inject({ url: '/assets/../../secret.txt' })).statusCode).toBe(404);
    expect((await built.inject({ url: '/assets/%2e%2e/%2e%2e/secret.txt' })).statusCode).toBe(404);
  });

  it('keeps the JSON 404 for unknown API paths', async () => {
    const res = await built.inject({ url: '/api/v1/no-such-thing' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'not_found', message: 'no route GET /api/v1/no-such-thing' } });
  });

  it('says how to build the UI when dist/web is missing', async () => {
    const res = await missing.inject({ url: '/postings' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('web UI is not built');
    expect(res.body).toContain('vite build');
  });
});
