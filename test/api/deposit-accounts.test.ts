import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAYBRIDGE_CSV_HEADER, parsePaybridgeCsv } from '../../src/domain/posting-file.ts';
import { call, createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';
import { paymentBody, syncBasicMms, takePayment } from '../support/fixtures.ts';

interface DepositAccount {
  id: string;
  name: string;
  kind: 'operating' | 'trust';
  bankAccountCode: string;
  ledgerCode: string;
  transType: string;
  defaultMemo: string;
  isDefault: boolean;
  archived: boolean;
}

describe('Deposit accounts (issue 13)', () => {
  let t: TestApp;
  let firm: TestFirm;
  let other: TestFirm;
  beforeAll(async () => {
    t = await startTestApp();
    firm = await createTestFirm(t, 'DEPA');
    other = await createTestFirm(t, 'DEPB');
    await syncBasicMms(t, firm);
    await syncBasicMms(t, other);
  });
  afterAll(async () => t.close());

  async function accounts(who: TestFirm = firm): Promise<DepositAccount[]> {
    const res = await call(t, who.viewer, 'GET', '/deposit-accounts');
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items;
  }
  const defaultOf = async (kind: 'operating' | 'trust', who: TestFirm = firm) =>
    (await accounts(who)).find((a) => a.kind === kind && a.isDefault)!;

  async function create(body: Record<string, unknown>, who: TestFirm = firm) {
    return call(t, who.admin, 'POST', '/deposit-accounts', body);
  }

  it('gives every new firm an Operating and a Trust account as the defaults of their kinds', async () => {
    const list = await accounts();
    expect(list.map((a) => [a.name, a.kind, a.isDefault, a.bankAccountCode, a.archived])).toEqual([
      ['Operating', 'operating', true, '', false],
      ['Trust', 'trust', true, '', false],
    ]);
  });

  it('adds and changes accounts (admin only), and audits each change', async () => {
    const made = await create({
      name: 'Second Operating',
      kind: 'operating',
      bankAccountCode: 'BOA-2',
      ledgerCode: '1020',
      transType: 'CR',
      defaultMemo: 'Thank you',
    });
    expect(made.statusCode, made.body).toBe(201);
    const account = made.json<DepositAccount>();
    expect(account).toMatchObject({ name: 'Second Operating', kind: 'operating', isDefault: false, archived: false });
    expect((await create({ name: 'Nope', kind: 'trust' }, { ...firm, admin: firm.accountant })).statusCode).toBe(403);
    expect(
      (await call(t, firm.accountant, 'PATCH', `/deposit-accounts/${account.id}`, { ledgerCode: '9' })).statusCode,
    ).toBe(403);

    const changed = await call(t, firm.admin, 'PATCH', `/deposit-accounts/${account.id}`, {
      ledgerCode: '1021',
      defaultMemo: 'Paid online',
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ ledgerCode: '1021', defaultMemo: 'Paid online', bankAccountCode: 'BOA-2' });
    const audit = await t.conn.db
      .selectFrom('audit_events')
      .select(['action', 'detail'])
      .where('firm_id', '=', firm.id)
      .where('action', 'in', ['deposit_account_created', 'deposit_account_updated'])
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['deposit_account_created', 'deposit_account_updated']);
    expect(audit[1]!.detail).toMatchObject({ before: { ledgerCode: '1020' }, after: { ledgerCode: '1021' } });
  });

  it('refuses bad codes with 400 naming the field, and a name the firm already uses with 409', async () => {
    for (const [field, value] of [
      ['bankAccountCode', 'x'.repeat(31)],
      ['ledgerCode', 'tab\there'],
      ['transType', 'é'],
    ] as const) {
      const res = await create({ name: `Bad ${field}`, kind: 'operating', [field]: value });
      expect(res.statusCode, field).toBe(400);
      expect(res.body).toContain(field);
    }
    expect((await create({ name: '  ', kind: 'trust' })).statusCode).toBe(400);
    const taken = await create({ name: 'operating', kind: 'trust' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error).toMatchObject({ code: 'deposit_account_name_taken', details: { field: 'name' } });
    // Another firm may use the name.
    expect((await create({ name: 'Second Operating', kind: 'operating' }, other)).statusCode).toBe(201);
  });

  it('moves the default of a kind, never archives it, and never simply switches it off', async () => {
    const trust = await defaultOf('trust');
    const off = await call(t, firm.admin, 'PATCH', `/deposit-accounts/${trust.id}`, { isDefault: false });
    expect(off.statusCode).toBe(409);
    expect(off.json().error.details).toMatchObject({ ids: [trust.id] });
    const archive = await call(t, firm.admin, 'PATCH', `/deposit-accounts/${trust.id}`, { archived: true });
    expect(archive.statusCode).toBe(409);
    expect(archive.json().error.message).toBe(
      `deposit account "${trust.name}" is the default of its kind; make another account the default before archiving it`,
    );
    expect(archive.json().error.details).toMatchObject({ ids: [trust.id] });

    const iolta = (await create({ name: 'IOLTA', kind: 'trust', bankAccountCode: 'IOLTA-1', isDefault: true })).json();
    expect(iolta.isDefault).toBe(true);
    const trusts = (await accounts()).filter((a) => a.kind === 'trust');
    expect(trusts.filter((a) => a.isDefault).map((a) => a.id)).toEqual([iolta.id]);
    // The old default can be archived now, and an archived account cannot become the default.
    expect((await call(t, firm.admin, 'PATCH', `/deposit-accounts/${trust.id}`, { archived: true })).statusCode).toBe(
      200,
    );
    const back = await call(t, firm.admin, 'PATCH', `/deposit-accounts/${trust.id}`, { isDefault: true });
    expect(back.statusCode).toBe(400);
    expect(back.json().error.details).toMatchObject({ field: 'isDefault' });
    // Moved back by making the old one active and the default again.
    const restored = await call(t, firm.admin, 'PATCH', `/deposit-accounts/${trust.id}`, {
      archived: false,
      isDefault: true,
    });
    expect(restored.statusCode, restored.body).toBe(200);
    expect((await defaultOf('trust')).id).toBe(trust.id);
  });

  it("keeps firms apart: firm B neither sees nor uses firm A's account", async () => {
    const mine = await defaultOf('operating');
    expect((await accounts(other)).map((a) => a.id)).not.toContain(mine.id);
    const patch = await call(t, other.admin, 'PATCH', `/deposit-accounts/${mine.id}`, { ledgerCode: 'X' });
    expect(patch.statusCode).toBe(404);
    const pay = await call(t, other.accountant, 'POST', '/payments', paymentBody({ depositAccountId: mine.id }));
    expect(pay.statusCode).toBe(404);
    expect(pay.json().error.details).toMatchObject({ field: 'depositAccountId' });
    const page = await call(t, other.admin, 'POST', '/payment-pages', {
      name: 'Theirs',
      slug: 'dep-theirs',
      depositAccountId: mine.id,
      createPostingRecord: true,
    });
    expect(page.statusCode).toBe(404);
    const link = await call(t, other.accountant, 'POST', '/quick-links', {
      amountCents: 1000,
      description: 'x',
      depositAccountId: mine.id,
    });
    expect(link.statusCode).toBe(404);
  });

  it('takes a payment into the account it names, or the default of its kind; the wrong kind is 400', async () => {
    const second = (await accounts()).find((a) => a.name === 'Second Operating')!;
    const named = await takePayment(t, firm, { depositAccountId: second.id });
    const view = await call(t, firm.viewer, 'GET', `/postings/${named.postingRecord.id}`);
    expect(view.json()).toMatchObject({ depositAccountId: second.id, depositAccountName: 'Second Operating' });
    // Nothing else gives a new record a memo: it starts with its account's default A/R message.
    expect(view.json().memo).toBe('Paid online');
    const payments = (await call(t, firm.viewer, 'GET', '/payments')).json().items;
    expect(payments.find((p: { id: string }) => p.id === named.payment.id)).toMatchObject({
      depositAccountName: 'Second Operating',
    });

    const plain = await takePayment(t, firm);
    const operating = await defaultOf('operating');
    expect((await call(t, firm.viewer, 'GET', `/postings/${plain.postingRecord.id}`)).json()).toMatchObject({
      depositAccountId: operating.id,
      depositAccountName: 'Operating',
      memo: '',
    });

    const wrongKind = await call(
      t,
      firm.accountant,
      'POST',
      '/payments',
      paymentBody({ account: 'trust', depositAccountId: second.id, invoiceNumbers: [], matterNumber: 'M1' }),
    );
    expect(wrongKind.statusCode).toBe(400);
    expect(wrongKind.json().error.details).toMatchObject({ field: 'depositAccountId' });
    const notAnId = await call(t, firm.accountant, 'POST', '/payments', paymentBody({ depositAccountId: 'nope' }));
    expect(notAnId.statusCode).toBe(404);
  });

  it('sets a payment page by its deposit account, whose kind is the page account', async () => {
    const trust = await defaultOf('trust');
    const res = await call(t, firm.admin, 'POST', '/payment-pages', {
      name: 'Retainers',
      slug: 'dep-retainers',
      depositAccountId: trust.id,
      createPostingRecord: true,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ account: 'trust', depositAccountId: trust.id, depositAccountName: 'Trust' });
    const mismatch = await call(t, firm.admin, 'POST', '/payment-pages', {
      name: 'Mixed',
      slug: 'dep-mixed',
      account: 'operating',
      depositAccountId: trust.id,
      createPostingRecord: true,
    });
    expect(mismatch.statusCode).toBe(400);
    // An account alone moves the page to that kind's default.
    const moved = await call(t, firm.admin, 'PATCH', `/payment-pages/${res.json().id}`, { account: 'operating' });
    expect(moved.json()).toMatchObject({ account: 'operating', depositAccountName: 'Operating' });
  });

  it('writes version 1 files as before and version 2 with the codes as they were when the batch was made', async () => {
    const a = await createTestFirm(t, 'DEPV');
    await syncBasicMms(t, a);
    const operating = await defaultOf('operating', a);
    const trust = await defaultOf('trust', a);
    await call(t, a.admin, 'PATCH', `/deposit-accounts/${operating.id}`, {
      bankAccountCode: 'OP,01',
      ledgerCode: '1000',
      transType: 'RCPT',
    });
    await call(t, a.admin, 'PATCH', `/deposit-accounts/${trust.id}`, {
      bankAccountCode: 'TR01',
      ledgerCode: '2000',
      transType: 'TRST',
    });
    expect((await call(t, a.admin, 'GET', '/settings')).json().fileFormatVersion).toBe(1);

    const postAll = async () => {
      await takePayment(t, a, { amountCents: 10300, surchargeCents: 300, cardFunding: 'credit' });
      await takePayment(t, a, { account: 'trust', invoiceNumbers: [], clientNumber: 'C1', matterNumber: 'M1' });
      const posted = await call(t, a.accountant, 'POST', '/postings/post', { all: true });
      expect(posted.statusCode, posted.body).toBe(200);
      const batch = posted.json().batch;
      return { batch, file: (await call(t, a.agent, 'GET', `/agent/batches/${batch.id}/file`)).body };
    };

    const first = await postAll();
    expect(first.file.split('\n')[0]).toBe(PAYBRIDGE_CSV_HEADER);
    expect(parsePaybridgeCsv(first.file).lines.every((line) => line.codes === undefined)).toBe(true);

    const bad = await call(t, a.admin, 'PATCH', '/settings', { fileFormatVersion: 3 });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('fileFormatVersion');
    const v2 = await call(t, a.admin, 'PATCH', '/settings', { fileFormatVersion: 2 });
    expect(v2.json().fileFormatVersion).toBe(2);

    const second = await postAll();
    const lines = second.file.split('\n');
    expect(lines[0]).toBe(
      'record_id,payment_id,line,posting_date,account,account_code,ledger_code,trans_type,invoice_number,client_number,matter_number,amount,surcharge,method,payer,memo',
    );
    expect(lines[1]).toMatch(/,operating,"OP,01",1000,RCPT,INV-100,C1,[^,]*,100\.00,3\.00,card,/);
    expect(lines[2]).toMatch(/,trust,TR01,2000,TRST,,C1,M1,250\.00,0\.00,card,/);
    expect(lines[3]).toBe(`#TRAILER,${second.batch.seq},2,350.00`);
    const stored = await t.conn.db
      .selectFrom('batches')
      .select(['seq', 'file_format_version'])
      .where('firm_id', '=', a.id)
      .orderBy('seq')
      .execute();
    expect(stored.map((b) => b.file_format_version)).toEqual([1, 2]);

    // New codes reach the next batch only: the file made is never rendered again.
    await call(t, a.admin, 'PATCH', `/deposit-accounts/${operating.id}`, { bankAccountCode: 'CHANGED' });
    expect((await call(t, a.agent, 'GET', `/agent/batches/${second.batch.id}/file`)).body).toBe(second.file);
    const third = await postAll();
    expect(third.file.split('\n')[1]).toContain(',operating,CHANGED,1000,RCPT,');
  });
});
