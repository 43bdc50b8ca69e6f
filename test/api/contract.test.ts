import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS } from '../../src/contract/index.ts';
import { listRoutes } from '../../src/server/app.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

/**
 * The contract (src/contract) is what the web client and the agent are typed from: every
 * endpoint it declares must be a route the server serves, with the same access, and the
 * same zod schemas (so the OpenAPI document is generated from the contract itself).
 */
describe('the contract and the server agree', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  it('serves every endpoint the contract declares, once, with its access and schemas', () => {
    const routes = listRoutes(t.app);
    const keys = ENDPOINTS.map((e) => `${e.method} ${e.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const e of ENDPOINTS) {
      const served = routes.filter((r) => r.method === e.method && r.url === `/api/v1${e.path}`);
      expect(served, `${e.method} ${e.path}`).toHaveLength(1);
      expect(served[0]!.access, `${e.method} ${e.path}`).toBe(e.access);
      expect(served[0]!.input.body, `${e.method} ${e.path} body`).toBe(e.body);
      expect(served[0]!.input.querystring, `${e.method} ${e.path} query`).toBe(e.query);
      expect(served[0]!.input.params, `${e.method} ${e.path} params`).toBe(e.params);
    }
  });

  it('declares every API route the server serves: nothing under /api/v1 is outside the contract', () => {
    const declared = new Set(ENDPOINTS.map((e) => `${e.method} /api/v1${e.path}`));
    const served = listRoutes(t.app)
      .filter((r) => r.url.startsWith('/api/v1/') && r.method !== 'HEAD' && r.url !== '/api/v1/openapi.json')
      .map((r) => `${r.method} ${r.url}`);
    expect(served.filter((route) => !declared.has(route))).toEqual([]);
    expect(served.length).toBe(declared.size);
  });
});
