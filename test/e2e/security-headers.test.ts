import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedEveryState } from './fixtures.ts';
import { PayerPage } from './support/payer.ts';
import { startE2e, type E2e } from './support/server.ts';

declare global {
  interface Window {
    cspViolations?: string[];
  }
}

/** Every Content-Security-Policy violation a page of the context reports, kept on the page. */
async function watchViolations(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) =>
      window.cspViolations!.push(`${event.violatedDirective} ${event.blockedURI}`),
    );
  });
}

describe('the browser security headers hold the real screens', () => {
  let e: E2e;
  let slug: string;
  beforeAll(async () => {
    e = await startE2e('E2EH');
    await seedEveryState(e);
    slug = `portal-${e.firm.code.toLowerCase()}`;
  });
  afterAll(async () => e?.close());

  it('the staff screens run under the policy without a single violation', async () => {
    const page = await e.pageAs('admin', '/postings');
    await watchViolations(page.context());
    for (const [path, heading] of [
      ['/postings', 'Manage Postings'],
      ['/payments', 'Payment Manager'],
      ['/batches', 'Batches'],
      ['/settings', 'Settings'],
    ] as const) {
      await page.goto(`${e.baseUrl}${path}`);
      await page.getByRole('heading', { name: heading }).first().waitFor();
      expect(await page.evaluate(() => window.cspViolations), path).toEqual([]);
    }
    await page.context().close();
  });

  it('a payer page runs under the policy, and no other site can frame it', async () => {
    const payer = await PayerPage.open(e, `/pay/${slug}`);
    await payer.heading(/.+/).waitFor();
    await watchViolations(payer.page.context());
    await payer.page.reload();
    await payer.heading(/.+/).waitFor();
    expect(await payer.page.evaluate(() => window.cspViolations)).toEqual([]);

    // A page of another origin that puts the payer page in a frame gets nothing in it.
    const framing = await payer.page.context().newPage();
    await framing.setContent(`<iframe id="f" src="${e.baseUrl}/pay/${slug}"></iframe>`);
    await framing.waitForTimeout(1500);
    const frame = framing.frames().find((f) => f !== framing.mainFrame());
    expect(frame).toBeDefined();
    // Chromium puts its own error page in the frame instead of the payer page.
    expect(frame!.url()).toMatch(/^chrome-error:/);
    expect(await frame!.getByText('Portal').count()).toBe(0);
    await payer.page.context().close();
  });
});
