import type { Browser } from 'playwright-core';
import type { Config } from '../../../src/config.ts';
import type { AppDeps } from '../../../src/server/app.ts';
import { call, createTestFirm, startTestApp, TEST_PASSWORD, type TestApp, type TestFirm } from '../../support/app.ts';
import { launchBrowser, signedInContext } from './browser.ts';

export interface E2e {
  t: TestApp;
  firm: TestFirm;
  baseUrl: string;
  browser: Browser;
  /** A page signed in as the firm's user of that role, through the API. */
  pageAs(role: 'admin' | 'accountant' | 'viewer', path?: string): ReturnType<typeof openPage>;
  close(): Promise<void>;
}

async function openPage(browser: Browser, baseUrl: string, email: string, path: string) {
  const context = await signedInContext(browser, baseUrl, email, TEST_PASSWORD);
  const page = await context.newPage();
  await page.goto(`${baseUrl}${path}`);
  return page;
}

/**
 * The real server (buildApp on a fresh PGlite from the migrated template) listening on a
 * free port, a firm of its own, and one browser for the whole file.
 */
export async function startE2e(
  code: string,
  overrides: Partial<Config> = {},
  deps: Pick<AppDeps, 'mailer'> = {},
): Promise<E2e> {
  const t = await startTestApp(overrides, deps);
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const address = t.app.server.address();
  if (!address || typeof address === 'string') throw new Error('the server has no port');
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const firm = await createTestFirm(t, code);
  const browser = await launchBrowser();
  return {
    t,
    firm,
    baseUrl,
    browser,
    pageAs: (role, path = '/postings') => openPage(browser, baseUrl, firm.emails[role], path),
    async close() {
      await browser.close();
      await t.close();
    },
  };
}

/** A change made through the API as the firm's accountant, outside the browser. */
export async function apiCall(e: E2e, method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown) {
  const res = await call(e.t, e.firm.accountant, method, path, body);
  if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${res.body}`);
  return res.json();
}
