import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../support/app.ts';
import { payOut } from '../support/processor.ts';
import { seedEveryState } from './fixtures.ts';
import { signedInContext } from './support/browser.ts';
import { ManagePostingsPage } from './support/pages.ts';
import { DESKTOP, PayerPage, PHONE } from './support/payer.ts';
import { apiCall, startE2e, type E2e } from './support/server.ts';

// axe-core's source, run in the page through the DevTools protocol: the app's Content
// Security Policy (script-src 'self') rightly refuses it as an inline script tag.
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
// And the best-practice rules issue 16's trial ran into: a header cell with no name, a second banner.
const ALSO = ['empty-table-header', 'landmark-no-duplicate-banner', 'landmark-unique'];
const SIZES = { desktop: DESKTOP, phone: PHONE } as const;
// The seed's payments are taken on 1 November 2026 and paid out the next working day.
const MONTH = '2026-11';

interface Violation {
  id: string;
  help: string;
  nodes: { target: unknown[]; any: { data?: { fgColor?: string; bgColor?: string; contrastRatio?: number } }[] }[];
}

/** Where a violation is, and for contrast the colours and ratio axe measured. */
const nodeText = ({ target, any }: Violation['nodes'][number]) => {
  const colours = any.find((check) => check.data?.contrastRatio)?.data;
  return colours
    ? `${target.join(' ')} (${colours.fgColor} on ${colours.bgColor}, ${colours.contrastRatio}:1)`
    : target.join(' ');
};

/**
 * axe-core at WCAG 2.1 AA over the page once it is still (nothing loading or busy, no
 * transition running): each violation as "screen: rule (help) at targets", so a failure
 * names every one at once.
 */
async function violations(page: Page, screen: string): Promise<string[]> {
  await page.waitForFunction(
    () =>
      !document.querySelector('[aria-busy="true"], .mantine-Loader-root') &&
      document.getAnimations().every((animation) => animation.playState !== 'running'),
  );
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const found = await page.evaluate(
    async ({ tags, also }) => {
      const axe = (window as unknown as { axe: { run: (...args: unknown[]) => Promise<{ violations: unknown[] }> } })
        .axe;
      const rules = Object.fromEntries(also.map((id) => [id, { enabled: true }]));
      // Violations only: axe skips collecting what passed, which halves its time.
      const options = { runOnly: { type: 'tag', values: tags }, rules, resultTypes: ['violations'] };
      return (await axe.run(document, options)).violations;
    },
    { tags: WCAG_21_AA, also: ALSO },
  );
  return (found as Violation[]).map((v) => `${screen}: ${v.id} (${v.help}) at ${v.nodes.map(nodeText).join(', ')}`);
}

/** Moves within the app as its links do (no reload, so axe stays loaded) and waits for the screen's heading. */
async function moveTo(page: Page, path: string): Promise<void> {
  await page.evaluate((to) => {
    window.history.pushState(null, '', to);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, path);
  await page.getByRole('main').getByRole('heading', { level: 2 }).first().waitFor();
}

/** The focused element's name as a person hears it: its aria-label, its label, or its text; "body" when nothing has focus. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLInputElement | null;
    if (!element || element === document.body) return 'body';
    const name = element.getAttribute('aria-label') ?? element.labels?.[0]?.textContent ?? element.textContent;
    return (name ?? '').trim();
  });
}

/** Presses Tab (or Shift+Tab) until the focused element's name matches; how many presses it took. */
async function tabTo(page: Page, name: RegExp, { back = false, max = 40 } = {}): Promise<number> {
  for (let presses = 1; presses <= max; presses++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    if (name.test(await focused(page))) return presses;
  }
  throw new Error(`${max} presses of Tab never reached ${name}; the focus is on "${await focused(page)}"`);
}

// axe-core on every screen, staff and payer, at a desktop's and a phone's width; then the
// day's work with the keyboard alone.
describe('accessibility: WCAG 2.1 AA on every screen, and the keyboard alone', () => {
  let e: E2e;
  let payoutId: string;
  let quickPath: string;

  beforeAll(async () => {
    e = await startE2e('E2EA');
    await seedEveryState(e);
    await payOut(e.t, new Date(`${MONTH}-04T14:00:00.000Z`), e.firm.id);
    const payouts = await apiCall(e, 'GET', `/deposits?from=${MONTH}-01&to=${MONTH}-30`);
    payoutId = payouts.items[0].id;
    quickPath = (await apiCall(e, 'POST', '/quick-links', { amountCents: 5_000, description: 'Retainer top-up' })).path;
  }, 120_000);
  afterAll(async () => e?.close());

  const staffPage = async (role: 'admin' | 'viewer', viewport: typeof DESKTOP) => {
    const context = await signedInContext(e.browser, e.baseUrl, e.firm.emails[role], TEST_PASSWORD, viewport);
    const page = await context.newPage();
    await page.goto(`${e.baseUrl}/postings`);
    return page;
  };

  for (const [size, viewport] of Object.entries(SIZES)) {
    it(`Manage Postings, its drawer and its dialog on a ${size}`, async () => {
      const page = await staffPage('admin', viewport);
      const postings = new ManagePostingsPage(page);
      await postings.loaded();
      const found = await violations(page, 'Manage Postings');
      for (const view of ['Pending', 'Incomplete', 'Posted', 'Removed', 'Queued', 'All (Read Only)']) {
        await postings.openView(view);
        await postings.loaded();
        found.push(...(await violations(page, `Manage Postings, ${view}`)));
      }
      await postings.openView('Incomplete');
      await postings.edit('Ida Incomplete');
      found.push(...(await violations(page, 'Edit Posting Record drawer')));
      // One banner, the app's: the open drawer adds none.
      expect(await page.getByRole('banner').count()).toBe(1);
      await page.keyboard.press('Escape');
      await postings.openView('Pending');
      await postings.action('Post All').click();
      await page.getByRole('dialog', { name: 'Post All' }).waitFor();
      found.push(...(await violations(page, 'Post All dialog')));
      await page.context().close();
      expect(found).toEqual([]);
    }, 120_000);

    it(`the other staff screens on a ${size}`, async () => {
      const page = await staffPage('admin', viewport);
      const found: string[] = [];
      for (const [path, name] of [
        ['/payments', 'Payment Manager'],
        ['/take/make-payment', 'Make A Payment'],
        ['/take/enter-payment', 'Enter Payment'],
        ['/take/quick-links', 'Quick Links'],
        ['/take/schedules', 'Payment Schedules'],
        [`/deposits?month=${MONTH}`, 'Deposits'],
        [`/deposits/${payoutId}`, 'Deposits, a payout'],
        [`/deposits/statement?month=${MONTH}`, 'Deposits statement'],
        ['/batches', 'Batches'],
      ] as const) {
        await moveTo(page, path);
        found.push(...(await violations(page, name)));
      }
      await page.context().close();
      expect(found).toEqual([]);
    }, 120_000);

    it(`Settings, an admin's every section and a viewer's page, on a ${size}`, async () => {
      const page = await staffPage('admin', viewport);
      await moveTo(page, '/settings');
      const found: string[] = [];
      const sections = page.getByRole('tablist', { name: 'Settings sections' }).getByRole('tab');
      for (const name of await sections.allTextContents()) {
        await sections.filter({ hasText: name }).click();
        found.push(...(await violations(page, `Settings, ${name}`)));
      }
      await page.context().close();
      const viewer = await staffPage('viewer', viewport);
      await moveTo(viewer, '/settings');
      found.push(...(await violations(viewer, "Settings, a viewer's")));
      await viewer.context().close();
      expect(found).toEqual([]);
    }, 120_000);

    it(`sign-in and the payer's pages on a ${size}`, async () => {
      const signIn = await PayerPage.open(e, '/', viewport);
      await signIn.page.getByRole('button', { name: 'Sign in' }).waitFor();
      const found = await violations(signIn.page, 'Sign in');
      await signIn.close();

      const payer = await PayerPage.open(e, `/pay/portal-${e.firm.code.toLowerCase()}`, viewport);
      await payer.heading(`${e.firm.code} LLP`).waitFor();
      found.push(...(await violations(payer.page, 'Payment page')));
      await payer.lookUp('C1', { invoiceNumber: 'INV-101' });
      await payer.invoice('INV-101').waitFor();
      found.push(...(await violations(payer.page, 'Payment page, invoices')));
      await payer.close();

      const quick = await PayerPage.open(e, quickPath, viewport);
      await quick.payButton('$50.00').waitFor();
      found.push(...(await violations(quick.page, 'Quick link')));
      await quick.close();

      const { path } = await apiCall(e, 'POST', '/payment-links', {
        allocations: [{ invoiceNumber: 'INV-101', amountCents: 12_345 }],
        payerName: 'Lina Link',
      });
      const link = await PayerPage.open(e, path, viewport);
      await link.payButton('$123.45').waitFor();
      found.push(...(await violations(link.page, 'Payment link')));
      await link.fillCard('4242 4242 4242 4242');
      await link.payButton('$123.45').click();
      await link.receipt().waitFor();
      found.push(...(await violations(link.page, 'Receipt')));
      await link.close();
      expect(found).toEqual([]);
    }, 120_000);
  }

  // Last: it changes the records the screens above show.
  it('signs in, posts a record, reallocates one and exports to Excel with the keyboard alone', async () => {
    const context = await e.browser.newContext({
      baseURL: e.baseUrl,
      viewport: DESKTOP,
      acceptDownloads: true,
      locale: 'en-US',
      timezoneId: 'UTC',
    });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const keys = page.keyboard;
    await page.goto('/');
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await focused(page)).toMatch(/^Email/);
    await keys.type(e.firm.emails.accountant);
    await keys.press('Tab');
    await keys.type(TEST_PASSWORD);
    await keys.press('Enter');
    const postings = new ManagePostingsPage(page);
    await postings.loaded();

    // "Skip to content" first, and the views a Tab or two past it.
    expect(await tabTo(page, /^Skip to content$/, { max: 1 })).toBe(1);
    await keys.press('Enter');
    expect(await tabTo(page, /^Pending\/Incomplete/, { max: 3 })).toBeLessThanOrEqual(3);
    await keys.press('ArrowRight');
    await postings.tab('Pending').and(page.locator('[aria-selected="true"]')).waitFor();
    await postings.loaded();

    // Post Selected: the outcome takes the focus, which does not drop to the page's body.
    await tabTo(page, /^Select Alma Pending /);
    await keys.press('Space');
    await tabTo(page, /^Post Selected$/, { back: true });
    await keys.press('Enter');
    await postings
      .result()
      .filter({ hasText: /^Batch #\d+ made/ })
      .waitFor();
    expect(await focused(page)).toMatch(/^Batch #\d+ made/);

    // Reallocate an incomplete record in the drawer.
    await tabTo(page, /^Pending\d/, { back: true });
    await keys.press('ArrowRight');
    await postings.tab('Incomplete').and(page.locator('[aria-selected="true"]')).waitFor();
    await postings.loaded();
    await tabTo(page, /^Edit Posting Record: Ida Incomplete /);
    await keys.press('Enter');
    const drawer = page.getByRole('dialog', { name: 'Edit Posting Record' });
    await drawer.getByRole('heading', { name: 'Reallocate Payment' }).waitFor();
    await tabTo(page, /^Remove line NOPE-1$/);
    await keys.press('Enter');
    await drawer.getByText('Left to allocate: $250.00').waitFor();
    await tabTo(page, /^Search invoices/);
    await keys.type('INV-102');
    await drawer.getByRole('button', { name: 'Add invoice INV-102' }).waitFor();
    await tabTo(page, /^Add invoice INV-102$/);
    await keys.press('Enter');
    await drawer.getByText('Left to allocate: $0.00').waitFor();
    await tabTo(page, /^Save$/);
    await keys.press('Enter');
    await drawer.waitFor({ state: 'detached' });
    await page.getByText('It is now pending.').waitFor();

    // Export the view to Excel.
    await tabTo(page, /^Export to Excel$/);
    const [download] = await Promise.all([page.waitForEvent('download'), keys.press('Enter')]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const record = (await apiCall(e, 'GET', '/postings?view=pending&q=Ida')).items[0];
    expect(record).toMatchObject({ payerName: 'Ida Incomplete', status: 'pending' });
    await context.close();
  }, 120_000);
});
