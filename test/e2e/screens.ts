/**
 * Screenshots of every screen for a person to look at (not a test):
 *   npx tsx test/e2e/screens.ts http://localhost:8080 [folder]
 * against a server started with the demo firm. Writes <folder>/*.png (.tmp/screens when not given).
 * It makes a quick link and a payment link in the demo firm, to show the payer's pages.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { launchBrowser, signedInContext } from './support/browser.ts';

const base = process.argv[2] ?? 'http://localhost:8080';
const out = process.argv[3] ?? '.tmp/screens';
const password = 'paybridge-demo';
const DEMO_PAGE = 'hartwell-finch';
mkdirSync(out, { recursive: true });

const browser = await launchBrowser();
const shot = async (page: Page, name: string) => {
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${out}/${name}.png` });
  console.log(`${out}/${name}.png`);
};
try {
  const anonymous = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const signIn = await anonymous.newPage();
  await signIn.goto(base);
  await signIn.getByLabel('Email').waitFor();
  await shot(signIn, '01-sign-in');
  await signIn.getByLabel('Email').fill('nobody@example.test');
  await signIn.getByLabel('Password').fill('wrong password');
  await signIn.getByRole('button', { name: 'Sign in' }).click();
  await signIn.getByRole('alert').waitFor();
  await shot(signIn, '02-sign-in-error');

  for (const [width, height] of [
    [1280, 800],
    [1920, 1080],
  ] as const) {
    const context = await signedInContext(browser, base, 'accountant@hartwell-finch.example', password, {
      width,
      height,
    });
    const page = await context.newPage();
    await page.goto(`${base}/postings`);
    await page.getByRole('table').waitFor();
    await shot(page, `03-postings-pending-incomplete-${width}`);
    if (width === 1920) break;
    for (const tab of ['Pending', 'Incomplete', 'Posted', 'Removed', 'Queued', 'All (Read Only)']) {
      await page.getByRole('tab', { name: new RegExp(`^${tab.replace(/[()]/g, '\\$&')} `) }).click();
      await page.waitForLoadState('networkidle');
      await shot(page, `04-postings-${tab.toLowerCase().replace(/[^a-z]+/g, '-')}`);
    }
    await page.getByRole('tab', { name: /^Pending \d/ }).click();
    await page.getByRole('button', { name: 'Post All' }).click();
    await page.getByRole('dialog').waitFor();
    await shot(page, '05-post-all-dialog');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('tab', { name: /^Incomplete \d/ }).click();
    await page
      .getByRole('button', { name: /^Edit Posting Record/ })
      .first()
      .click();
    await page.getByRole('dialog').getByText('Reallocate Payment').waitFor();
    await shot(page, '06-edit-drawer');
    await page.keyboard.press('Escape');
    // The demo's record the MMS refused, in its row and its drawer.
    const refused = page.getByRole('row').filter({ hasText: 'The MMS refused this record' }).first();
    if (await refused.count()) {
      await refused.scrollIntoViewIfNeeded();
      await shot(page, '06-postings-incomplete-refused');
      await refused.getByRole('button', { name: /^Edit Posting Record/ }).click();
      await page
        .getByRole('dialog')
        .getByText(/^The MMS refused this record/)
        .waitFor();
      await shot(page, '06-edit-drawer-refused');
      await page.keyboard.press('Escape');
    }
    await page.goto(`${base}/payments`);
    await page.getByRole('table').waitFor();
    await shot(page, '07-payment-manager');
    await page.goto(`${base}/batches`);
    await page.getByRole('table').waitFor();
    await shot(page, '08-batches');
    await page.goto(`${base}/deposits`);
    const payouts = page.getByRole('table', { name: 'Payouts' });
    const noPayouts = page.getByText(/^No payout was paid in/);
    await payouts.or(noPayouts).waitFor();
    // Early in a month nothing may be paid out yet: the month before then.
    if (await noPayouts.isVisible()) {
      await page.getByRole('button', { name: 'Previous month' }).click();
      await page.waitForLoadState('networkidle');
    }
    await shot(page, '16-deposits');
    const payout = page.getByRole('link', { name: /^Open the payout of / }).first();
    if (await payout.count()) {
      await payout.click();
      await page.getByRole('table', { name: 'Payout lines' }).waitFor();
      await shot(page, '17-deposit-payout');
      await page.getByRole('link', { name: 'Deposits', exact: true }).first().click();
    }
    await page.getByRole('link', { name: 'Monthly statement' }).click();
    await page.getByRole('heading', { name: /^Deposits statement/ }).waitFor();
    await page.waitForLoadState('networkidle');
    await shot(page, '18-deposits-statement');
    await page.goto(`${base}/take/make-payment`);
    await page.getByLabel('Search invoices').fill('24-01');
    // An invoice with a balance to pay, when the demo firm still has one (each payment taken uses some up).
    const matches = page.getByRole('list', { name: 'Matching invoices' });
    const noMatch = page.getByText(/^No (open )?invoice/);
    await matches.or(noMatch).first().waitFor();
    const payable = matches.locator('button:enabled').first();
    if (await payable.count()) await payable.click();
    await shot(page, '11-make-payment');
    const sent = page.getByRole('table', { name: 'Sent payment links' });
    await sent.or(page.getByText('No payment link sent yet.')).first().waitFor();
    await sent.or(page.getByText('No payment link sent yet.')).first().scrollIntoViewIfNeeded();
    await shot(page, '11-sent-payment-links');
    await page.goto(`${base}/take/enter-payment`);
    await page.getByLabel('Card number').waitFor();
    await shot(page, '12-enter-payment');
    await page.goto(`${base}/take/quick-links`);
    await page.waitForLoadState('networkidle');
    await shot(page, '13-quick-links');
    await page.goto(`${base}/take/schedules`);
    await page.waitForLoadState('networkidle');
    await shot(page, '14-payment-schedules');
    await context.close();
  }
  // The staff shell on a 390 px phone: the screens' links folded behind the menu button, then opened.
  const phone = await signedInContext(browser, base, 'accountant@hartwell-finch.example', password, {
    width: 390,
    height: 844,
  });
  const phonePage = await phone.newPage();
  await phonePage.goto(`${base}/postings`);
  await phonePage.getByRole('table').waitFor();
  await shot(phonePage, '19-phone-postings');
  await phonePage.getByRole('button', { name: 'Screens menu' }).click();
  await phonePage.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Deposits' }).waitFor();
  await shot(phonePage, '19-phone-menu');
  await phonePage.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Payment Manager' }).click();
  await phonePage.getByRole('table').waitFor();
  await shot(phonePage, '19-phone-payment-manager');
  await phonePage.goto(`${base}/postings`);
  await phonePage.getByRole('tab', { name: /^Incomplete \d/ }).click();
  await phonePage
    .getByRole('button', { name: /^Edit Posting Record/ })
    .first()
    .click();
  await phonePage.getByRole('dialog').getByText('Reallocate Payment').waitFor();
  await shot(phonePage, '19-phone-edit-drawer');
  await phonePage.keyboard.press('Escape');
  await phonePage.goto(`${base}/take/make-payment`);
  await phonePage.getByLabel('Search invoices').waitFor();
  await shot(phonePage, '19-phone-make-payment');
  await phonePage.goto(`${base}/deposits`);
  await phonePage.waitForLoadState('networkidle');
  await shot(phonePage, '19-phone-deposits');
  // The skip link, as the first Tab shows it.
  await phonePage.keyboard.press('Tab');
  await shot(phonePage, '19-phone-skip-link');
  await phone.close();

  const admin = await signedInContext(browser, base, 'admin@hartwell-finch.example', password);
  const settings = await admin.newPage();
  await settings.goto(`${base}/settings`);
  await settings.waitForLoadState('networkidle');
  await shot(settings, '09-settings');
  await settings.setViewportSize({ width: 1280, height: 1600 });
  await shot(settings, '09-settings-full');
  await settings.setViewportSize({ width: 1280, height: 800 });
  // Each section, as an admin sees it, all of its height.
  const sections = settings.getByRole('tablist', { name: 'Settings sections' }).getByRole('tab');
  for (const name of await sections.allInnerTexts()) {
    await sections.filter({ hasText: name }).click();
    await settings.waitForLoadState('networkidle');
    await settings.waitForTimeout(400);
    await settings.screenshot({ path: `${out}/09-settings-${slug(name)}.png`, fullPage: true });
    console.log(`${out}/09-settings-${slug(name)}.png`);
  }
  const viewer = await signedInContext(browser, base, 'viewer@hartwell-finch.example', password);
  const viewerPage = await viewer.newPage();
  await viewerPage.goto(`${base}/postings`);
  await viewerPage.getByRole('table').waitFor();
  await shot(viewerPage, '10-viewer-postings');
  await viewerPage.goto(`${base}/settings`);
  await viewerPage.getByRole('heading', { name: 'Connect status' }).waitFor();
  await viewerPage.waitForLoadState('networkidle');
  await shot(viewerPage, '15-connect-status');

  // The payer's pages, at 1280 and on a 390 px phone: the demo's payment pages, and a
  // payment link and a quick link made for the tour (their tokens are shown only once).
  const made = await makeLinks();
  const payerPaths = [
    ['page', `/pay/${DEMO_PAGE}`],
    ['page-retainer', `/pay/${DEMO_PAGE}-retainer`],
    ['page-events', `/pay/${DEMO_PAGE}-events`],
    ...(made.quick ? [['quick-link', made.quick] as const] : []),
    ...(made.link ? [['payment-link', made.link] as const] : []),
  ] as const;
  for (const [width, height] of [
    [1280, 800],
    [390, 844],
  ] as const) {
    const payer = await browser.newContext({ viewport: { width, height } });
    const payerPage = await payer.newPage();
    for (const [name, path] of payerPaths) {
      await payerPage.goto(`${base}${path}`);
      await payerPage.waitForLoadState('networkidle');
      await payerPage.waitForTimeout(400);
      await payerPage.screenshot({ path: `${out}/20-payer-${name}-${width}.png`, fullPage: true });
      console.log(`${out}/20-payer-${name}-${width}.png`);
    }
    await payer.close();
  }
} finally {
  await browser.close();
}

/** A quick link and a payment link made through the API as the accountant: their payer paths. */
async function makeLinks(): Promise<{ quick: string | null; link: string | null }> {
  const signIn = await fetch(`${base}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'accountant@hartwell-finch.example', password }),
  });
  const { csrfToken } = (await signIn.json()) as { csrfToken: string };
  const cookie = /pb_session=[^;]+/.exec(signIn.headers.get('set-cookie') ?? '')?.[0] ?? '';
  const headers = { 'content-type': 'application/json', 'x-csrf-token': csrfToken, cookie };
  const post = async (path: string, body: object) => {
    const response = await fetch(`${base}/api/v1${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    return response.ok ? ((await response.json()) as { path: string }).path : null;
  };
  const invoices = (await (await fetch(`${base}/api/v1/invoices?status=open&limit=20`, { headers })).json()) as {
    items: { invoiceNumber: string; availableCents: number }[];
  };
  const invoice = invoices.items.find((i) => i.availableCents > 0);
  const payer = 'Margaret Oyelaran-Whitfield';
  return {
    quick: await post('/quick-links', {
      amountCents: 45_000,
      description: 'Retainer top-up for the estate planning matter',
      payerName: payer,
    }),
    // No invoice left with a balance: no payment link to show.
    link: invoice
      ? await post('/payment-links', {
          payerName: payer,
          allocations: [
            { invoiceNumber: invoice.invoiceNumber, amountCents: Math.min(invoice.availableCents, 25_000) },
          ],
        })
      : null,
  };
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z]+/g, '-');
}
