import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JURIS_CSV_HEADER } from '../../src/domain/juris-csv.ts';
import { call, createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';
import { syncBasicMms, takePayment } from '../support/fixtures.ts';

describe('Firm settings', () => {
  let t: TestApp;
  let firm: TestFirm;
  let other: TestFirm;
  beforeAll(async () => {
    t = await startTestApp();
    firm = await createTestFirm(t, 'SETS');
    other = await createTestFirm(t, 'SETO');
    await syncBasicMms(t, firm);
  });
  afterAll(async () => t.close());

  it('starts a new firm with every setting off and the paybridge-csv format, version 1', async () => {
    const res = await call(t, other.admin, 'GET', '/settings');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      name: 'SETO LLP',
      mmsKind: 'other',
      fileFormat: 'paybridge-csv',
      fileFormatVersion: 1,
      autoApply: false,
      usePostedDate: false,
      autoPost: false,
      autoPostMinutes: 60,
      timeZone: 'America/New_York',
      requireAdminTwoFactor: false,
      creditUploadNeeded: false,
    });
  });

  it('is read by every user of the firm (SPEC §9) and changed by admins only', async () => {
    const admin = (await call(t, firm.admin, 'GET', '/settings')).json();
    for (const user of [firm.accountant, firm.viewer]) {
      const res = await call(t, user, 'GET', '/settings');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual(admin);
    }
    expect((await call(t, firm.accountant, 'PATCH', '/settings', { autoPost: true })).statusCode).toBe(403);
    expect((await call(t, firm.viewer, 'PATCH', '/settings', { autoPost: true })).statusCode).toBe(403);
    expect((await call(t, firm.agent, 'GET', '/settings')).statusCode).toBe(403);
  });

  it('changes settings, says when the MMS needs a credit upload, and audits before and after', async () => {
    const res = await call(t, firm.admin, 'PATCH', '/settings', {
      mmsKind: 'aderant',
      autoPost: true,
      autoPostMinutes: 15,
      name: '  Settings & Co  ',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      name: 'Settings & Co',
      mmsKind: 'aderant',
      autoPost: true,
      autoPostMinutes: 15,
      creditUploadNeeded: true,
    });
    expect((await call(t, firm.admin, 'GET', '/settings')).json()).toEqual(res.json());
    const audit = await t.conn.db
      .selectFrom('audit_events')
      .select(['detail', 'actor_label'])
      .where('firm_id', '=', firm.id)
      .where('action', '=', 'settings_changed')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actor_label).toBe(firm.emails.admin);
    expect(audit[0]?.detail).toEqual({
      before: { name: 'SETS LLP', mmsKind: 'other', autoPost: false, autoPostMinutes: 60 },
      after: { name: 'Settings & Co', mmsKind: 'aderant', autoPost: true, autoPostMinutes: 15 },
    });
    expect((await call(t, firm.admin, 'PATCH', '/settings', { mmsKind: 'juris' })).json().creditUploadNeeded).toBe(
      false,
    );
    // Another firm's settings are untouched.
    expect((await call(t, other.admin, 'GET', '/settings')).json().mmsKind).toBe('other');
  });

  it('refuses values outside the CHECKs with 400 and changes nothing', async () => {
    for (const body of [
      { mmsKind: 'quickbooks' },
      { fileFormat: 'xml' },
      { autoPostMinutes: 4 },
      { autoPostMinutes: 1441 },
      { autoPostMinutes: 30.5 },
      { autoApply: 'yes' },
      { name: '' },
      { nextBatchSeq: 1 },
    ]) {
      expect((await call(t, firm.admin, 'PATCH', '/settings', body)).statusCode, JSON.stringify(body)).toBe(400);
    }
  });

  it('changes the time zone, audited like any setting, and shows it to every user on /me', async () => {
    const res = await call(t, firm.admin, 'PATCH', '/settings', { timeZone: 'America/Los_Angeles' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().timeZone).toBe('America/Los_Angeles');
    expect((await call(t, firm.admin, 'GET', '/settings')).json().timeZone).toBe('America/Los_Angeles');
    expect((await call(t, firm.viewer, 'GET', '/me')).json().firm.timeZone).toBe('America/Los_Angeles');
    expect((await call(t, other.viewer, 'GET', '/me')).json().firm.timeZone).toBe('America/New_York');
    const audit = await t.conn.db
      .selectFrom('audit_events')
      .select('detail')
      .where('firm_id', '=', firm.id)
      .where('action', '=', 'settings_changed')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit.detail).toEqual({
      before: { timeZone: 'America/New_York' },
      after: { timeZone: 'America/Los_Angeles' },
    });
    // A name that differs only in case is kept spelled the IANA way.
    expect((await call(t, firm.admin, 'PATCH', '/settings', { timeZone: 'europe/london' })).json().timeZone).toBe(
      'Europe/London',
    );
    expect((await call(t, firm.admin, 'PATCH', '/settings', { timeZone: 'America/New_York' })).statusCode).toBe(200);
  });

  it('refuses an unknown time zone with 400 naming timeZone, and changes nothing', async () => {
    const before = (await call(t, firm.admin, 'GET', '/settings')).json();
    for (const timeZone of ['Mars/Phobos', 'America/Springfield', '+05:00', 'EST 5', '', 'x'.repeat(65), 42]) {
      const res = await call(t, firm.admin, 'PATCH', '/settings', { timeZone, autoPost: !before.autoPost });
      expect(res.statusCode, JSON.stringify(timeZone)).toBe(400);
      expect(
        new Set(res.json().error.details.issues.map((i: { field: string }) => i.field)),
        JSON.stringify(timeZone),
      ).toEqual(new Set(['timeZone']));
    }
    expect((await call(t, firm.admin, 'GET', '/settings')).json()).toEqual(before);
  });

  it('renders the next batch in the file format chosen now', async () => {
    expect((await call(t, firm.admin, 'PATCH', '/settings', { fileFormat: 'juris-csv' })).statusCode).toBe(200);
    const { postingRecord } = await takePayment(t, firm, { invoiceNumbers: ['INV-101'], amountCents: 1000 });
    const post = await call(t, firm.accountant, 'POST', '/postings/post', { ids: [postingRecord.id] });
    expect(post.statusCode, post.body).toBe(200);
    const batch = post.json().batch;
    const file = await call(t, firm.viewer, 'GET', `/batches/${batch.id}/file`);
    expect(file.statusCode).toBe(200);
    expect(file.body.split('\r\n')[0]).toBe(JURIS_CSV_HEADER);
    expect((await call(t, firm.viewer, 'GET', `/batches/${batch.id}`)).json().fileFormat).toBe('juris-csv');
  });

  it('auto-applies a payment naming several invoices once autoApply is on, the records already waiting included', async () => {
    expect((await call(t, firm.admin, 'PATCH', '/settings', { autoApply: false })).statusCode).toBe(200);
    const before = await takePayment(t, firm, {
      invoiceNumbers: ['INV-103', 'INV-104'],
      clientNumber: 'C2',
      amountCents: 150000,
    });
    expect(before.postingRecord.status).toBe('incomplete');
    expect(before.postingRecord.reasons).toEqual(['multiple_invoice_numbers']);

    // Switching it on judges the waiting record again (SPEC §3.4: a settings change is a path).
    expect((await call(t, firm.admin, 'PATCH', '/settings', { autoApply: true })).json().autoApply).toBe(true);
    const spread = [
      { invoiceNumber: 'INV-103', clientNumber: 'C2', matterNumber: 'M1', amountCents: 100000 },
      { invoiceNumber: 'INV-104', clientNumber: 'C2', matterNumber: 'M1', amountCents: 50000 },
    ];
    const waited = (await call(t, firm.accountant, 'GET', `/postings/${before.postingRecord.id}`)).json();
    expect(waited).toMatchObject({ status: 'pending', reasons: [], allocations: spread });
    expect(waited.history.at(-1)).toMatchObject({
      action: 'reclassified',
      from: 'incomplete',
      to: 'pending',
      detail: { cause: 'auto-apply setting' },
    });

    // A new payment is spread over what is left: INV-104 has 50,000 of its 100,000 open.
    const after = await takePayment(t, firm, {
      invoiceNumbers: ['INV-103', 'INV-104'],
      clientNumber: 'C2',
      amountCents: 50000,
    });
    expect(after.postingRecord).toMatchObject({
      status: 'pending',
      allocations: [{ invoiceNumber: 'INV-104', amountCents: 50000 }],
    });

    // Switched off again, both go back to waiting for an accountant.
    expect((await call(t, firm.admin, 'PATCH', '/settings', { autoApply: false })).statusCode).toBe(200);
    for (const id of [before.postingRecord.id, after.postingRecord.id]) {
      expect((await call(t, firm.accountant, 'GET', `/postings/${id}`)).json()).toMatchObject({
        status: 'incomplete',
        reasons: ['multiple_invoice_numbers'],
        allocations: [],
      });
    }
  });

  it('writes no audit event for a change that changes nothing', async () => {
    const count = async () =>
      (
        await t.conn.db
          .selectFrom('audit_events')
          .select('id')
          .where('firm_id', '=', firm.id)
          .where('action', '=', 'settings_changed')
          .execute()
      ).length;
    const n = await count();
    const current = (await call(t, firm.admin, 'GET', '/settings')).json();
    expect((await call(t, firm.admin, 'PATCH', '/settings', { autoApply: current.autoApply })).statusCode).toBe(200);
    expect(await count()).toBe(n);
  });
});
