import { describe, expect, it } from 'vitest';
import { REASON_TEXT } from '../../domain/types.ts';
import type { HistoryEvent } from '../api/types.ts';
import { describeEvent } from './historyText.ts';

const event = (action: string, from: string | null, to: string | null, detail: unknown = null): HistoryEvent => ({
  at: '2026-11-01T12:00:00.000Z',
  actor: 'Ann Accountant',
  actorKind: 'user',
  action,
  from,
  to,
  detail,
});

describe("a record's history in words", () => {
  it('says which path re-classified the record, and the conflicts before and after', () => {
    const text = describeEvent(
      event('reclassified', 'incomplete', 'pending', {
        cause: 'sync',
        reasons: { before: ['invoice_closed'], after: [] },
      }),
    );
    expect(text).toEqual({
      title: 'Re-classified after a sync: incomplete → pending',
      notes: [`Conflicts before: ${REASON_TEXT.invoice_closed}`, 'Conflicts after: none'],
    });
  });

  it('names every cause the server writes in words, and an unknown one as it is', () => {
    const title = (cause: unknown) =>
      describeEvent(
        event('reclassified', 'pending', 'incomplete', { cause, reasons: { before: [], after: ['exceeds_balance'] } }),
      ).title;
    expect(title('removal')).toBe('Re-classified after another record was removed: pending → incomplete');
    expect(title('auto-apply setting')).toBe(
      'Re-classified after the auto-apply setting changed: pending → incomplete',
    );
    expect(title('payment reversed')).toBe('Re-classified after another payment was reversed: pending → incomplete');
    expect(title('payment_taken')).toBe('Re-classified after another payment was taken in: pending → incomplete');
    expect(title('edit of 0b6f2c1e-0000-4000-8000-000000000000')).toBe(
      'Re-classified after another record was edited: pending → incomplete',
    );
    expect(title('move to pending')).toBe(
      'Re-classified after another record was moved to pending: pending → incomplete',
    );
    expect(title('nightly_check')).toBe('Re-classified after nightly check: pending → incomplete');
    expect(title(undefined)).toBe('Re-classified after a change elsewhere: pending → incomplete');
  });

  it('leaves out the conflicts when only their order or the allocations changed, and shows new allocations', () => {
    const text = describeEvent(
      event('reclassified', 'incomplete', 'incomplete', {
        cause: 'auto-apply setting',
        reasons: { before: ['exceeds_balance', 'client_mismatch'], after: ['client_mismatch', 'exceeds_balance'] },
        allocations: {
          before: [],
          after: [
            { invoiceNumber: 'INV-100', clientNumber: 'C1', matterNumber: 'M1', amountCents: 100000 },
            { invoiceNumber: 'INV-101', clientNumber: 'C1', matterNumber: 'M1', amountCents: 5 },
          ],
        },
      }),
    );
    expect(text).toEqual({
      title: 'Re-classified after the auto-apply setting changed: still incomplete',
      notes: ['Allocated: INV-100 $1,000.00, INV-101 $0.05 (was nothing)'],
    });
  });

  it('says when an edit accepted or withdrew a third-party payment, and says nothing of it otherwise', () => {
    const accepted = describeEvent(
      event('edited', 'incomplete', 'pending', {
        allocations: { before: [], after: [] },
        reasons: [],
        clientMismatchAccepted: { before: false, after: true },
      }),
    );
    expect(accepted).toEqual({ title: 'Edited: incomplete → pending', notes: ['Third-party payment accepted'] });
    const withdrawn = describeEvent(
      event('edited', 'pending', 'incomplete', {
        reasons: ['client_mismatch'],
        clientMismatchAccepted: { before: true, after: false },
      }),
    );
    expect(withdrawn).toEqual({
      title: 'Edited: pending → incomplete',
      notes: ['Third-party payment acceptance withdrawn', `Conflicts: ${REASON_TEXT.client_mismatch}`],
    });
    const plain = describeEvent(
      event('edited', 'pending', 'pending', {
        allocations: {
          before: [{ invoiceNumber: null, clientNumber: 'C1', matterNumber: 'M7', amountCents: 500 }],
          after: [{ invoiceNumber: null, clientNumber: 'C1', matterNumber: 'M1', amountCents: 500 }],
        },
        reasons: [],
        memo: { before: '', after: 'paid' },
      }),
    );
    expect(plain).toEqual({
      title: 'Edited: still pending',
      notes: ['Allocated: C1/M1 $5.00 (was C1/M7 $5.00)', 'Memo changed'],
    });
  });

  it('reads the other actions as before, and survives a detail it does not know', () => {
    expect(describeEvent(event('created', null, 'incomplete', { reasons: ['unknown_matter'] }))).toEqual({
      title: 'Created: incomplete',
      notes: [`Conflicts: ${REASON_TEXT.unknown_matter}`],
    });
    expect(describeEvent(event('moved_to_pending', 'removed', 'pending')).title).toBe(
      'Moved to pending: removed → pending',
    );
    expect(describeEvent(event('acknowledged', null, null)).title).toBe('Acknowledged');
    expect(describeEvent(event('edited', 'pending', 'pending', 'not an object'))).toEqual({
      title: 'Edited: still pending',
      notes: [],
    });
    expect(
      describeEvent(
        event('reclassified', 'pending', 'incomplete', {
          cause: 'sync',
          reasons: { before: 'x', after: [7, 'held_by_the_bank'] },
        }),
      ).notes,
    ).toEqual(['Conflicts before: none', 'Conflicts after: held by the bank']);
  });

  it("tells the MMS's answer: applied, or refused in its own words, and a refusal marked fixed", () => {
    expect(describeEvent(event('mms_applied', null, null, { seq: 4 }))).toEqual({
      title: 'Applied in the MMS (batch #4)',
      notes: [],
    });
    expect(describeEvent(event('posted', 'pending', 'queued', { seq: 4, records: 2 })).title).toBe(
      'Posted (batch #4): pending → queued',
    );
    expect(
      describeEvent(event('rejected_by_mms', 'posted', 'incomplete', { seq: 4, message: 'period 2026-10 is closed' })),
    ).toEqual({
      title: 'Refused by the MMS (batch #4): posted → incomplete',
      notes: ['The MMS said: “period 2026-10 is closed”'],
    });
    expect(describeEvent(event('rejected_by_mms', 'posted', 'incomplete', null))).toEqual({
      title: 'Refused by the MMS: posted → incomplete',
      notes: [],
    });
    expect(describeEvent(event('edited', 'incomplete', 'pending', { reasons: [], mmsRejectionFixed: true }))).toEqual({
      title: 'Edited: incomplete → pending',
      notes: ['What the MMS refused is fixed: the record can go out again'],
    });
  });
});
