import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium: .ci/run installs it with apt-get; no browser is downloaded by a test tool. */
export const CHROMIUM = process.env.PAYBRIDGE_CHROMIUM ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Signs in through the API (sign-in itself is tested once, through the form) and hands the session cookie to a new context. */
export async function signedInContext(
  browser: Browser,
  baseUrl: string,
  email: string,
  password: string,
  viewport = { width: 1280, height: 800 },
): Promise<BrowserContext> {
  const response = await fetch(`${baseUrl}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!response.ok) throw new Error(`sign-in as ${email} failed: ${response.status} ${await response.text()}`);
  const session = /pb_session=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1];
  if (!session) throw new Error('sign-in set no pb_session cookie');
  const context = await browser.newContext({
    baseURL: baseUrl,
    viewport,
    acceptDownloads: true,
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  context.setDefaultTimeout(10_000);
  await context.addCookies([{ name: 'pb_session', value: session, url: baseUrl, httpOnly: true, sameSite: 'Lax' }]);
  return context;
}

/** With PAYBRIDGE_SHOTS=<folder>, saves a screenshot (the page's size, or all of it) for a person to look at. */
export async function saveShot(page: Page, name: string, fullPage = false): Promise<void> {
  const folder = process.env.PAYBRIDGE_SHOTS;
  if (!folder) return;
  mkdirSync(folder, { recursive: true });
  await page.waitForTimeout(250);
  await page.screenshot({ path: `${folder}/${name}.png`, fullPage });
}
