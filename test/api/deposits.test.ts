import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settleSandboxPayouts } from '../../src/processor/sandbox/settle-payouts.ts';
import { cents } from '../../src/domain/money.ts';
import { reversePayment } from '../../src/usecases/payments/reverse-payment.ts';
import { call, createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';
import { syncBasicMms, takePayment } from '../support/fixtures.ts';
import { deliverEvents, postEvent, webhookSecret } from '../support/processor.ts';
import { dataRows, readWorkbook } from '../support/xlsx.ts';

/** Issue 14 (SPEC §5.3): the sandbox pays each settled day out per deposit account, and the Deposits API explains each payout. */
describe('deposits', () => {
  let t: TestApp;
  let a: TestFirm;
  let b: TestFirm;

  beforeAll(async () => {
    t = await startTestApp({ payRequestsPerMinute: 100_000 });
    a = await createTestFirm(t, 'DPA');
    b = await createTestFirm(t, 'DPB');
    await syncBasicMms(t, a);
    await syncBasicMms(t, b);
    // The webhook's secret: the sandbox signs its events with it.
    await webhookSecret(t, a);
    await webhookSecret(t, b);
  });
  afterAll(async () => t.close());

  interface Payout {
    id: string;
    depositAccountId: string;
    processorPayoutId: string;
    account: 'operating' | 'trust';
    settledOn: string;
    paidOn: string;
    grossCents: number;
    refundsCents: number;
    chargebacksCents: number;
    feesCents: number;
    netCents: number;
    lineCount: number;
    paymentCount: number;
    unappliedCount: number;
  }
  interface Line {
    kind: string;
    amountCents: number;
    processorId: string;
    payment: { id: string } | null;
    postingRecord: { id: string; status: string; batchSeq: number | null } | null;
    mmsState: string;
    needsAttention: boolean;
  }

  const deposits = async (firm: TestFirm, query = '') => {
    const res = await call(t, firm.viewer, 'GET', `/deposits${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: Payout[]; nextCursor: string | null }>().items;
  };
  const deposit = async (firm: TestFirm, id: string) => {
    const res = await call(t, firm.viewer, 'GET', `/deposits/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ payout: Payout; lines: Line[] }>();
  };
  /** Settles as of `now`, then sends the sandbox's events through the signed webhook, as the scheduler does. */
  const settle = async (now: Date) => {
    const made = await settleSandboxPayouts(t.conn.db, now);
    const sent = await deliverEvents(t);
    expect(sent.failed).toBe(0);
    return made;
  };

  // 2 November 2026 in New York (the firms' zone): 10:00 to 11:00, UTC-5.
  const day = '2026-11-02';
  const at = (hour: number) => `2026-11-02T${String(hour + 5).padStart(2, '0')}:00:00.000Z`;

  let operatingPayment: string;
  let trustCard: string;

  it("pays a day's payments out the next day, per account, with trust fees taken from operating", async () => {
    operatingPayment = (await takePayment(t, a, { amountCents: 10_000, processedAt: at(10) })).payment.id;
    trustCard = (
      await takePayment(t, a, {
        amountCents: 50_000,
        account: 'trust',
        invoiceNumbers: [],
        clientNumber: 'C3',
        matterNumber: 'M9',
        processedAt: at(11),
      })
    ).payment.id;
    await takePayment(t, a, {
      amountCents: 20_000,
      account: 'trust',
      method: 'echeck',
      cardBrand: undefined,
      last4: '6789',
      invoiceNumbers: [],
      clientNumber: 'C3',
      matterNumber: 'M9',
      processedAt: at(12),
    });
    // Before the day is over in New York, nothing is paid out.
    expect(await settle(new Date('2026-11-03T04:59:00.000Z'))).toEqual([]);
    const made = await settle(new Date('2026-11-03T14:00:00.000Z'));
    expect(made.filter((p) => p.firmId === a.id)).toHaveLength(2);

    const [first, second] = await deposits(a);
    const trust = [first, second].find((p) => p!.account === 'trust')!;
    const operating = [first, second].find((p) => p!.account === 'operating')!;
    // A trust payout is its trust receipts, whole: nothing but client money moves in trust.
    expect(trust).toMatchObject({
      settledOn: day,
      paidOn: '2026-11-03',
      grossCents: 70_000,
      refundsCents: 0,
      chargebacksCents: 0,
      feesCents: 0,
      netCents: 70_000,
      paymentCount: 2,
    });
    // Operating: its own $100 less 2.9% + 30¢; and the trust payments' fees: $500 by card (2.9% + 30¢), $200 by eCheck (0.8%).
    expect(operating).toMatchObject({
      settledOn: day,
      grossCents: 10_000,
      feesCents: -(320 + 1_480 + 160),
      netCents: 10_000 - 320 - 1_480 - 160,
      paymentCount: 1,
    });
    expect(await deposits(b)).toEqual([]);
  });

  it('opens a payout into its lines, each with its payment, posting record and MMS state, flagging what the MMS lacks', async () => {
    const operating = (await deposits(a, '?account=operating'))[0]!;
    const { payout, lines } = await deposit(a, operating.id);
    expect(payout).toEqual(operating);
    expect(lines.map((l) => [l.kind, l.amountCents])).toEqual([
      ['payment', 10_000],
      ['fee', -320],
      ['fee', -1_480],
      ['fee', -160],
    ]);
    expect(lines[0]!.payment!.id).toBe(operatingPayment);
    expect(lines[0]!.postingRecord).toMatchObject({ status: 'pending', batchSeq: null });
    expect(lines[0]).toMatchObject({ mmsState: 'not_posted', needsAttention: true });
    expect(lines[1]).toMatchObject({ mmsState: 'not_applicable', needsAttention: false });
    expect(payout.unappliedCount).toBe(lines.filter((l) => l.needsAttention).length);

    // Posted, delivered and applied: the line is no longer flagged.
    const recordId = lines[0]!.postingRecord!.id;
    const posted = await call(t, a.accountant, 'POST', '/postings/post', { ids: [recordId] });
    expect(posted.statusCode, posted.body).toBe(200);
    const after = await deposit(a, operating.id);
    expect(after.lines[0]).toMatchObject({ mmsState: 'awaiting', needsAttention: true });
    expect(after.lines[0]!.postingRecord!.batchSeq).toBe(posted.json().batch.seq);
  });

  it('puts a late refund and a chargeback in the payout of the day they happened, each once', async () => {
    // Three days later, 5 November: part of the trust payment is refunded and the operating one charged back.
    const later = new Date('2026-11-05T16:00:00.000Z');
    const staff = { kind: 'user' as const, id: null, label: 'acct@dpa.test' };
    await reversePayment(t.conn.db, a.id, staff, trustCard, { kind: 'refund', amountCents: cents(5_000) }, later);
    await reversePayment(t.conn.db, a.id, staff, operatingPayment, { kind: 'chargeback' }, later);
    const nextDay = new Date('2026-11-06T14:00:00.000Z');
    await settle(nextDay);
    const todays = (await deposits(a)).filter((p) => p.settledOn === '2026-11-05');
    const trust = todays.find((p) => p.account === 'trust')!;
    const operating = todays.find((p) => p.account === 'operating')!;
    // The refund comes out of trust; the operating payment's chargeback out of operating, whole.
    expect(trust).toMatchObject({ grossCents: 0, refundsCents: -5_000, netCents: -5_000, paymentCount: 0 });
    expect(operating).toMatchObject({ grossCents: 0, chargebacksCents: -10_000, netCents: -10_000 });
    const lines = (await deposit(a, operating.id)).lines;
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ kind: 'chargeback', payment: { id: operatingPayment } });
    expect(lines[0]!.postingRecord).not.toBeNull();

    // Settling again pays nothing twice.
    const before = (await deposits(a)).length;
    expect((await settle(nextDay)).filter((p) => p.firmId === a.id)).toEqual([]);
    expect(await deposits(a)).toHaveLength(before);
  });

  it('pays a day out once when two servers settle it at the same moment', async () => {
    await takePayment(t, b, { amountCents: 12_345, processedAt: '2026-11-10T15:00:00.000Z' });
    const now = new Date('2026-11-11T14:00:00.000Z');
    const both = await Promise.all([settleSandboxPayouts(t.conn.db, now), settleSandboxPayouts(t.conn.db, now)]);
    expect(both.flat().filter((p) => p.firmId === b.id)).toHaveLength(1);
    expect((await deliverEvents(t)).failed).toBe(0);
    expect((await deposits(b)).map((p) => p.grossCents)).toEqual([12_345]);
  });

  it("keeps each firm's payouts its own: a foreign id answers 404 like a missing one", async () => {
    const theirs = (await deposits(a))[0]!;
    for (const path of [`/deposits/${theirs.id}`, `/deposits/${theirs.id}/export.xlsx`]) {
      const res = await call(t, b.viewer, 'GET', path);
      expect(res.statusCode, path).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
    expect((await call(t, b.viewer, 'GET', '/deposits/not-an-id')).statusCode).toBe(404);
    const statement = await call(t, b.viewer, 'GET', '/deposits/statement?month=2026-11');
    // Firm B's month holds its own one payout, nothing of firm A's.
    expect(statement.json().totals).toMatchObject({ payoutCount: 1, volumeCents: 12_345, refundsCents: 0 });
    expect((await call(t, b.viewer, 'GET', '/deposits/export.xlsx?month=2026-11')).statusCode).toBe(200);
  });

  it('pages, filters by paid day and account, and refuses a bad filter by name', async () => {
    const all = await deposits(a);
    const page1 = await call(t, a.viewer, 'GET', '/deposits?limit=1');
    expect(page1.json().items).toEqual([all[0]]);
    const page2 = await call(t, a.viewer, 'GET', `/deposits?limit=1&cursor=${page1.json().nextCursor}`);
    expect(page2.json().items).toEqual([all[1]]);
    expect(await deposits(a, '?from=2026-11-03&to=2026-11-03')).toHaveLength(2);
    expect((await deposits(a, '?account=trust')).every((p) => p.account === 'trust')).toBe(true);
    for (const [query, field] of [
      ['?from=2026-11-04&to=2026-11-03', 'from'],
      ['?depositAccountId=nope', 'depositAccountId'],
      ['?limit=0', 'limit'],
    ] as const) {
      const res = await call(t, a.viewer, 'GET', `/deposits${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.field ?? res.json().error.message).toContain(field);
    }
    const month = await call(t, a.viewer, 'GET', '/deposits/statement?month=2026-13');
    expect(month.statusCode).toBe(400);
  });

  it('states a month per account and exports a payout and a month to Excel', async () => {
    const statement = (await call(t, a.viewer, 'GET', '/deposits/statement?month=2026-11')).json();
    const november = (await deposits(a)).filter((p) => p.paidOn.startsWith('2026-11'));
    expect(statement.totals.netCents).toBe(november.reduce((sum, p) => sum + p.netCents, 0));
    expect(statement.totals.feesCents).toBe(-(320 + 1_480 + 160));
    expect(statement.accounts.map((r: { kind: string }) => r.kind)).toEqual(['operating', 'trust']);

    const rowsOf = async (path: string) => {
      const res = await call(t, a.viewer, 'GET', path);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-disposition']).toMatch(/attachment; filename="deposits?-/);
      const sheet = await readWorkbook(res);
      expect(sheet.name).toBe('Deposits');
      return dataRows(sheet);
    };
    const operating = november.find((p) => p.account === 'operating' && p.settledOn === '2026-11-02')!;
    const one = await rowsOf(`/deposits/${operating.id}/export.xlsx`);
    expect(one).toHaveLength(operating.lineCount);
    // Each row: the payout's paid day and account, then the line's kind and amount in dollars.
    expect(one.map((r) => [r[1], r[7], r[8]])).toEqual([
      ['Operating', 'Payment', 100],
      ['Operating', 'Processing fee', -3.2],
      ['Operating', 'Processing fee', -14.8],
      ['Operating', 'Processing fee', -1.6],
    ]);
    const month = await rowsOf('/deposits/export.xlsx?month=2026-11');
    expect(month).toHaveLength(november.reduce((n, p) => n + p.lineCount, 0));
    expect(month.filter((r) => r[7] === 'Chargeback')).toHaveLength(1);
  });

  it('takes a payout.paid event once, and refuses one that is forged, replayed for another firm or wrong', async () => {
    const secretA = await webhookSecret(t, a);
    const secretB = await webhookSecret(t, b);
    const payouts = await deposits(a);
    const payout = payouts[0]!;
    const event = (id: string, data: object) => ({
      id,
      type: 'payout.paid',
      data: {
        payoutId: payout.processorPayoutId,
        depositAccountId: payout.depositAccountId,
        settledOn: payout.settledOn,
        amountCents: payout.netCents,
        ...data,
      },
    });
    // The same payout told again under a new event id: taken, but nothing is added.
    const again = await postEvent(t, 'DPA', secretA, event('evt_again_1', {}));
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ duplicate: false, outcome: 'payout_already_recorded' });
    const replay = await postEvent(t, 'DPA', secretA, event('evt_again_1', {}));
    expect(replay.json()).toMatchObject({ duplicate: true, outcome: 'payout_already_recorded' });
    // Forged, or too old: refused before anything is read.
    expect((await postEvent(t, 'DPA', secretB, event('evt_forged', {}))).statusCode).toBe(401);
    const stale = await postEvent(t, 'DPA', secretA, event('evt_stale', {}), {
      timestamp: Math.floor(Date.now() / 1000) - 600,
    });
    expect(stale.statusCode).toBe(401);
    // Firm B, signing properly, names firm A's payout: the processor has no such payout for B.
    const foreign = await postEvent(t, 'DPB', secretB, event('evt_foreign', {}));
    expect(foreign.statusCode).toBe(409);
    expect(foreign.json().error.code).toBe('unknown_payout');
    // An amount that is not the processor's: refused, and not recorded, so a correct retry still can be.
    const wrong = await postEvent(t, 'DPA', secretA, event('evt_wrong', { amountCents: payout.netCents + 1 }));
    expect(wrong.statusCode).toBe(409);
    expect(wrong.json().error.code).toBe('payout_mismatch');
    expect(await deposits(a)).toEqual(payouts);
  });
});
