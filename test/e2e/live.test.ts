import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REASON_TEXT } from '../../src/domain/types.ts';
import { createToken } from '../../src/usecases/auth/firms-and-users.ts';
import { call, type TestFirm } from '../support/app.ts';
import { syncBasicMms, takePayment } from '../support/fixtures.ts';
import { saveShot } from './support/browser.ts';
import { ManagePostingsPage } from './support/pages.ts';
import { apiCall, startE2e, type E2e } from './support/server.ts';

/** What the agent says of itself on every request (SPEC §5.2). */
const AGENT_HEADERS = {
  'x-paybridge-agent-version': '0.9.1',
  'x-paybridge-agent-host': 'mms-server-01',
  'x-paybridge-agent-source': 'postgres',
  'x-paybridge-agent-sink': 'file-drop',
  'x-paybridge-agent-poll-seconds': '60',
};

/** With PAYBRIDGE_SHOTS=<folder>, a screenshot at the page's size (1280×800) for a person to look at. */
const shot = (page: Page, name: string) => saveShot(page, `live-${name}`);

const REFUSAL =
  'PB_E2EL_000002.csv line 2: invoice INV-101 is on hold in the MMS (billing dispute); receipt not applied';

// The screens follow the server's event stream: every change below is made through the API,
// as the agent or another user would, while the page stays open. The fallback refetch comes
// only every 30 s, after each wait here (10 s) would have failed.
describe('live Manage Postings, the MMS answer and Connect status in the browser', () => {
  let e: E2e;
  /** The firm's Connect agent: a labelled agent token of its own, every request with its headers. */
  let agentFirm: TestFirm;
  let page: Page;
  let postings: ManagePostingsPage;
  let lena: Awaited<ReturnType<typeof takePayment>>;
  let rex: Awaited<ReturnType<typeof takePayment>>;

  const agent = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const res = await call(e.t, agentFirm.agent, method, path, body, { headers: AGENT_HEADERS });
    if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  /** The agent delivers the oldest waiting batch and acknowledges it. */
  const deliver = async (expectAnswer: boolean) => {
    const [batch] = (await agent('GET', '/agent/batches')).items as { id: string; seq: number; sha256: string }[];
    if (!batch) throw new Error('no batch waits');
    await agent('POST', `/agent/batches/${batch.id}/ack`, { sha256: batch.sha256, expectAnswer });
    return batch;
  };
  /** Proves the page was never reloaded: a mark set on the window would be gone. */
  const markPage = () => page.evaluate(() => Object.assign(window, { neverReloaded: true }));
  const stillSamePage = () =>
    page.evaluate(() => (window as unknown as { neverReloaded?: boolean }).neverReloaded === true);

  beforeAll(async () => {
    e = await startE2e('E2EL');
    const token = await createToken(e.t.conn.db, { firmCode: e.firm.code, kind: 'agent', label: 'Server room' });
    agentFirm = { ...e.firm, agent: token.token };
    await syncBasicMms(e.t, agentFirm, { headers: AGENT_HEADERS });
    page = await e.pageAs('accountant');
    postings = new ManagePostingsPage(page);
  });
  afterAll(async () => e?.close());

  it('warns on Manage Postings when batches wait and the agent is silent, and the warning goes when it delivers', async () => {
    const walt = await takePayment(e.t, e.firm, {
      payerName: 'Walt Waiting',
      invoiceNumbers: ['INV-103'],
      clientNumber: 'C2',
    });
    await apiCall(e, 'POST', '/postings/post', { ids: [walt.postingRecord.id] });
    // The agent was last heard from ten minutes ago, more than 3 of its 60 s poll intervals.
    await sql`update agent_contacts set last_seen_at = now() - interval '10 minutes' where firm_id = ${e.firm.id}`.execute(
      e.t.conn.db,
    );

    await page.reload();
    await postings.heading().waitFor();
    const banner = page.getByRole('alert').filter({ hasText: 'Batches are not being delivered' });
    await banner.getByText(/^1 batch is waiting and no Connect agent has been in contact for 10 minutes/).waitFor();
    await banner.getByRole('link', { name: 'See Connect status' }).waitFor();
    await shot(page, 'banner');
    await markPage();

    // The agent is back and delivers: the banner goes, and Walt leaves Queued, without a reload.
    await deliver(false);
    await banner.waitFor({ state: 'detached' });
    await postings.openView('Posted');
    await postings.row('Walt Waiting').getByText('Delivered', { exact: true }).waitFor();
    expect(await stillSamePage()).toBe(true);
  });

  it('shows every user Connect status: the agent, its last sync and its last delivery', async () => {
    const viewer = await e.pageAs('viewer', '/postings');
    await viewer.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Settings' }).click();
    await viewer.getByRole('heading', { name: 'Connect status' }).waitFor();
    const card = viewer.getByRole('region', { name: 'Agent Server room' });
    await card.getByText('version 0.9.1').waitFor();
    await card.getByText('mms-server-01').waitFor();
    await card.getByText('PostgreSQL (the MMS database)').waitFor();
    await card.getByText('File drop folder').waitFor();
    await card.getByText('60 s at the latest').waitFor();
    await card.getByText('PB_E2EL_000001.csv').waitFor();
    await card.getByText(/read 3 clients, 3 matters and 6 invoices/).waitFor();
    await viewer.getByText('No batch is waiting for the agent.').waitFor();
    await viewer.getByText(/^Usually delivered in /).waitFor();
    await shot(viewer, 'connect-status');
    await viewer.context().close();
  });

  it('Post All, then the rows go Queued → Posted → Applied in MMS without a reload', async () => {
    lena = await takePayment(e.t, e.firm, { payerName: 'Lena Live', invoiceNumbers: ['INV-100'] });
    rex = await takePayment(e.t, e.firm, { payerName: 'Rex Refused', invoiceNumbers: ['INV-101'], amountCents: 30000 });
    // The new records reach the open page by the stream too.
    await postings.openView('Pending');
    await postings.row('Lena Live').waitFor();
    await postings.row('Rex Refused').waitFor();
    await postings.action('Post All').click();
    await page.getByRole('dialog', { name: 'Post All' }).getByRole('button', { name: 'Post 2 records' }).click();
    await postings
      .result()
      .filter({ hasText: /^Batch #2 made: 2 records/ })
      .waitFor();

    await postings.openView('Queued');
    await page
      .getByRole('note')
      .filter({ hasText: /Usually delivered in \d/ })
      .waitFor();
    await postings
      .row('Lena Live')
      .getByText(/^Waiting \d+ s$/)
      .waitFor();
    await shot(page, 'queued');
    await postings.openView('All (Read Only)');
    const lenaRow = postings.row('Lena Live');
    await lenaRow.getByText('queued', { exact: true }).waitFor();

    await deliver(true);
    await lenaRow.getByText('posted', { exact: true }).waitFor();
    await lenaRow.getByText('Awaiting MMS').waitFor();
    await expect.poll(() => postings.count('Queued')).toBe(0);

    await agent(
      'POST',
      '/agent/batches/' + (await apiCall(e, 'GET', `/postings/${lena.postingRecord.id}`)).batchId + '/outcome',
      {
        records: [
          { recordId: lena.postingRecord.id, outcome: 'applied' },
          { recordId: rex.postingRecord.id, outcome: 'rejected', message: REFUSAL },
        ],
      },
    );
    await lenaRow.getByText('Applied in MMS').waitFor();
    await postings.row('Rex Refused').getByText('incomplete', { exact: true }).waitFor();
    await shot(page, 'all');
    expect(await stillSamePage()).toBe(true);
  });

  it("a refused record is in Incomplete with the MMS's words; fixed and posted again, it is applied", async () => {
    await postings.openView('Incomplete');
    const row = postings.row('Rex Refused');
    await row.getByText(REASON_TEXT.rejected_by_mms).waitFor();
    await row.getByText(`“${REFUSAL}”`).waitFor();
    await shot(page, 'incomplete-refused');

    const drawer = await postings.edit('Rex Refused');
    await drawer.getByText('The MMS refused this record in batch #2').waitFor();
    await drawer.getByRole('blockquote').filter({ hasText: REFUSAL }).waitFor();
    await drawer.getByText(/Changing the allocations above also counts as a fix/).waitFor();
    await shot(page, 'drawer-refused');
    await drawer.getByRole('checkbox', { name: 'The MMS problem is fixed; post it again' }).check();
    await drawer.getByRole('button', { name: 'Save' }).click();
    await drawer.waitFor({ state: 'detached' });
    await page.getByText('It is now pending.').waitFor();

    await postings.openView('Pending');
    await postings.select('Rex Refused');
    await postings.action('Post Selected').click();
    await postings
      .result()
      .filter({ hasText: /^Batch #3 made: 1 record/ })
      .waitFor();
    const queued = await apiCall(e, 'GET', `/postings/${rex.postingRecord.id}`);
    expect(queued).toMatchObject({ status: 'queued', mmsStatus: null });

    await postings.openView('Posted');
    const batch = await deliver(true);
    expect(batch.seq).toBe(3);
    await postings.row('Rex Refused').getByText('Awaiting MMS').waitFor();
    await agent('POST', `/agent/batches/${batch.id}/outcome`, { outcome: 'applied' });
    await postings.row('Rex Refused').getByText('Applied in MMS').waitFor();
    await shot(page, 'posted');
    expect(await stillSamePage()).toBe(true);

    // Its history tells the refusal in the MMS's words, and the second delivery applied.
    await postings
      .row('Rex Refused')
      .getByRole('button', { name: /^View posting record: Rex Refused/ })
      .click();
    const record = page.getByRole('dialog', { name: 'Posting record' });
    await record.getByText('Refused by the MMS (batch #2): posted → incomplete').waitFor();
    await record.getByText(`The MMS said: “${REFUSAL}”`).waitFor();
    await record.getByText('Applied in the MMS (batch #3)').waitFor();
    await record.getByRole('region', { name: "The MMS's answer" }).getByText('Applied in MMS').waitFor();
    await shot(page, 'record');
    await page.keyboard.press('Escape');
    await record.waitFor({ state: 'detached' });
  });

  it("Batches shows each batch's applied and refused lines, and changes as the MMS answers", async () => {
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Batches' }).click();
    const batches = page.getByRole('table', { name: 'Batches' });
    const second = batches.getByRole('row').filter({ hasText: 'PB_E2EL_000002.csv' });
    await second.getByText('1 applied').waitFor();
    await second.getByText('1 refused').waitFor();
    await batches
      .getByRole('row')
      .filter({ hasText: 'PB_E2EL_000001.csv' })
      .getByText("Delivered; this agent does not report the MMS's answer")
      .waitFor();

    // A new batch appears, waits (ticking), is delivered and answered while the screen is open.
    const late = await takePayment(e.t, e.firm, { payerName: 'Lou Late', invoiceNumbers: ['INV-102'] });
    await apiCall(e, 'POST', '/postings/post', { ids: [late.postingRecord.id] });
    const fourth = batches.getByRole('row').filter({ hasText: 'PB_E2EL_000004.csv' });
    await fourth.getByText(/^Waiting for the agent for \d+ s$/).waitFor();
    const batch = await deliver(true);
    await fourth.getByText('0 applied').waitFor();
    await fourth.getByText('1 awaiting').waitFor();
    await agent('POST', `/agent/batches/${batch.id}/outcome`, { outcome: 'applied' });
    await fourth.getByText('1 applied').waitFor();
    await shot(page, 'batches');
    expect(await stillSamePage()).toBe(true);
  });
});
