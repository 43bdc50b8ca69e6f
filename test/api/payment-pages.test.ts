import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';
import { paymentBody, syncBasicMms } from '../support/fixtures.ts';

describe('Payment pages', () => {
  let t: TestApp;
  let firm: TestFirm;
  let other: TestFirm;
  beforeAll(async () => {
    t = await startTestApp();
    firm = await createTestFirm(t, 'PAGE');
    other = await createTestFirm(t, 'PAGO');
    await syncBasicMms(t, firm);
  });
  afterAll(async () => t.close());

  async function createPage(body: Record<string, unknown>, token = firm.admin) {
    return call(t, token, 'POST', '/payment-pages', {
      name: 'Pay your invoice',
      account: 'operating',
      createPostingRecord: true,
      ...body,
    });
  }

  it('creates a page (admin) with defaults, and lists it for any user', async () => {
    const res = await createPage({ slug: 'pay-page' });
    expect(res.statusCode, res.body).toBe(201);
    const page = res.json();
    expect(page).toMatchObject({
      name: 'Pay your invoice',
      slug: 'pay-page',
      account: 'operating',
      createPostingRecord: true,
      surchargeBps: 0,
      enabled: true,
    });
    expect(page.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(page.createdAt)).not.toBeNaN();
    const list = await call(t, firm.viewer, 'GET', '/payment-pages');
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toEqual([page]);
    expect((await call(t, other.viewer, 'GET', '/payment-pages')).json().items).toEqual([]);
    const audit = await t.conn.db
      .selectFrom('audit_events')
      .select(['action', 'detail'])
      .where('firm_id', '=', firm.id)
      .where('action', '=', 'payment_page_created')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('lets only admins create and change pages', async () => {
    expect((await createPage({ slug: 'acct-page' }, firm.accountant)).statusCode).toBe(403);
    expect((await createPage({ slug: 'viewer-page' }, firm.viewer)).statusCode).toBe(403);
    const page = (await createPage({ slug: 'admin-only' })).json();
    expect((await call(t, firm.accountant, 'PATCH', `/payment-pages/${page.id}`, { enabled: false })).statusCode).toBe(
      403,
    );
  });

  it('keeps slugs unique across firms: a taken slug is 409 naming it', async () => {
    expect((await createPage({ slug: 'shared-slug' })).statusCode).toBe(201);
    const taken = await createPage({ slug: 'shared-slug' }, other.admin);
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe('slug_taken');
    expect(taken.json().error.message).toContain('shared-slug');
    const mine = (await createPage({ slug: 'to-rename' }, other.admin)).json();
    const rename = await call(t, other.admin, 'PATCH', `/payment-pages/${mine.id}`, {
      slug: 'shared-slug',
      name: 'Renamed',
    });
    expect(rename.statusCode).toBe(409);
    expect(rename.json().error.message).toContain('shared-slug');
    const after = (await call(t, other.viewer, 'GET', '/payment-pages'))
      .json()
      .items.find((p: { id: string }) => p.id === mine.id);
    expect(after).toMatchObject({ slug: 'to-rename', name: 'Pay your invoice' });
  });

  it('refuses a slug outside the rule and a surcharge outside 0–10%', async () => {
    for (const slug of ['Upper', '-leading', 'has space', 'under_score', '', 'a'.repeat(64)]) {
      expect((await createPage({ slug })).statusCode, slug).toBe(400);
    }
    expect((await createPage({ slug: 'too-dear', surchargeBps: 1001 })).statusCode).toBe(400);
    expect((await createPage({ slug: 'missing-box', createPostingRecord: undefined })).statusCode).toBe(400);
  });

  it('changes any field and records before and after', async () => {
    const page = (await createPage({ slug: 'change-me', surchargeBps: 300 })).json();
    const res = await call(t, firm.admin, 'PATCH', `/payment-pages/${page.id}`, {
      name: 'Trust deposits',
      slug: 'trust-deposits',
      account: 'trust',
      createPostingRecord: false,
      surchargeBps: 0,
      enabled: false,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      id: page.id,
      name: 'Trust deposits',
      slug: 'trust-deposits',
      account: 'trust',
      createPostingRecord: false,
      surchargeBps: 0,
      enabled: false,
    });
    expect(Date.parse(res.json().updatedAt)).toBeGreaterThanOrEqual(Date.parse(page.updatedAt));
    const audit = await t.conn.db
      .selectFrom('audit_events')
      .select('detail')
      .where('firm_id', '=', firm.id)
      .where('action', '=', 'payment_page_updated')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit.detail).toMatchObject({
      pageId: page.id,
      before: { slug: 'change-me', enabled: true, surchargeBps: 300 },
      after: { slug: 'trust-deposits', enabled: false, surchargeBps: 0 },
    });
    const again = await call(t, firm.admin, 'PATCH', `/payment-pages/${page.id}`, { enabled: false });
    expect(again.statusCode).toBe(200);
  });

  it("answers another firm's page, and a made-up id, with 404", async () => {
    const page = (await createPage({ slug: 'private-page' })).json();
    const foreign = await call(t, other.admin, 'PATCH', `/payment-pages/${page.id}`, { enabled: false });
    expect(foreign.statusCode).toBe(404);
    expect(
      (await call(t, other.admin, 'PATCH', '/payment-pages/00000000-0000-4000-8000-000000000000', { enabled: false }))
        .statusCode,
    ).toBe(404);
    expect((await call(t, other.admin, 'PATCH', '/payment-pages/not-a-uuid', { enabled: false })).statusCode).toBe(404);
    expect((await call(t, firm.admin, 'PATCH', `/payment-pages/${page.id}`, { color: 'red' })).statusCode).toBe(400);
  });

  it('honours "create a posting record" at intake, as it was when the payment was made', async () => {
    const off = (await createPage({ slug: 'box-off', createPostingRecord: false })).json();
    const on = (await createPage({ slug: 'box-on', createPostingRecord: true })).json();

    const viaOff = await call(
      t,
      firm.accountant,
      'POST',
      '/payments',
      paymentBody({ origin: 'payment_page', paymentPageId: off.id }),
    );
    expect(viaOff.statusCode, viaOff.body).toBe(201);
    expect(viaOff.json().postingRecord).toBeNull();

    const viaOn = await call(
      t,
      firm.accountant,
      'POST',
      '/payments',
      paymentBody({ origin: 'payment_page', paymentPageId: on.id }),
    );
    expect(viaOn.statusCode, viaOn.body).toBe(201);
    const record = viaOn.json().postingRecord;
    expect(record).toMatchObject({ fromPaymentPage: true, status: 'pending', origin: 'payment_page' });

    expect(
      (await call(t, firm.admin, 'PATCH', `/payment-pages/${on.id}`, { createPostingRecord: false })).statusCode,
    ).toBe(200);
    const kept = await call(t, firm.viewer, 'GET', `/postings/${record.id}`);
    expect(kept.statusCode).toBe(200);
    expect(kept.json()).toMatchObject({
      id: record.id,
      status: 'pending',
      fromPaymentPage: true,
      version: record.version,
    });
    const later = await call(
      t,
      firm.accountant,
      'POST',
      '/payments',
      paymentBody({ origin: 'payment_page', paymentPageId: on.id }),
    );
    expect(later.json().postingRecord).toBeNull();

    const foreignPage = await call(
      t,
      other.accountant,
      'POST',
      '/payments',
      paymentBody({ origin: 'payment_page', paymentPageId: on.id }),
    );
    expect(foreignPage.statusCode).toBe(404);
  });

  it("refuses a payment whose account is not the page's deposit account, and writes nothing", async () => {
    const trust = (await createPage({ slug: 'trust-only', account: 'trust' })).json();
    const body = paymentBody({ origin: 'payment_page', paymentPageId: trust.id, account: 'operating' });
    const res = await call(t, firm.accountant, 'POST', '/payments', body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.field).toBe('account');
    const stored = await t.conn.db
      .selectFrom('payments')
      .select('id')
      .where('processor_id', '=', body.processorId)
      .execute();
    expect(stored).toEqual([]);
  });
});
