import { describe, expect, it } from 'vitest';
import { defaultAccountRefusal, DEPOSIT_CODE, depositAccountRefusal } from './deposit-accounts.ts';

describe('DEPOSIT_CODE', () => {
  it('takes up to 30 printable ASCII characters, commas and quotes included', () => {
    for (const code of ['', 'OP-1', 'a,b "c"', '~'.repeat(30)]) expect(DEPOSIT_CODE.test(code), code).toBe(true);
    for (const code of ['x'.repeat(31), 'tab\t', 'line\n', 'é', '\u007f'])
      expect(DEPOSIT_CODE.test(code), code).toBe(false);
  });
});

describe('depositAccountRefusal', () => {
  const wanted = { id: 'd1', account: 'operating' as const, setUp: true };

  it("answers another firm's or a missing account as not found, naming depositAccountId", () => {
    const refused = depositAccountRefusal(wanted, undefined);
    expect(refused?.code).toBe('not_found');
    expect(refused?.details).toMatchObject({ field: 'depositAccountId' });
  });

  it('refuses an account of the other kind', () => {
    const refused = depositAccountRefusal(wanted, { id: 'd1', name: 'IOLTA', kind: 'trust', archived: false });
    expect(refused?.code).toBe('bad_request');
    expect(refused?.message).toBe(
      'deposit account "IOLTA" is a trust account but the money is for the operating account; choose an operating deposit account',
    );
  });

  it('refuses an archived account for something set up now, not for money already received', () => {
    const archived = { id: 'd1', name: 'Old operating', kind: 'operating' as const, archived: true };
    const refused = depositAccountRefusal(wanted, archived);
    expect(refused?.details).toEqual({ field: 'depositAccountId', id: 'd1' });
    expect(refused?.message).toBe('deposit account "Old operating" is archived; choose an active account');
    expect(depositAccountRefusal({ ...wanted, setUp: false }, archived)).toBeNull();
    expect(depositAccountRefusal(wanted, { ...archived, archived: false })).toBeNull();
  });
});

describe('defaultAccountRefusal', () => {
  const theDefault = { id: 'd1', name: 'Operating', isDefault: true, archived: false };
  const another = { id: 'd2', name: 'Second operating', isDefault: false, archived: false };

  it('never switches the default off nor archives it (409 naming it)', () => {
    expect(defaultAccountRefusal(theDefault, { isDefault: false })).toMatchObject({
      code: 'invalid_state',
      message: 'deposit account "Operating" is the default of its kind; make another account the default instead',
      details: { ids: ['d1'], field: 'isDefault' },
    });
    expect(defaultAccountRefusal(theDefault, { archived: true })).toMatchObject({
      code: 'invalid_state',
      details: { ids: ['d1'], field: 'archived' },
    });
  });

  it('refuses to make an archived account the default unless it is made active too', () => {
    expect(defaultAccountRefusal({ ...another, archived: true }, { isDefault: true })?.code).toBe('bad_request');
    expect(defaultAccountRefusal(another, { isDefault: true, archived: true })?.code).toBe('bad_request');
    expect(defaultAccountRefusal({ ...another, archived: true }, { isDefault: true, archived: false })).toBeNull();
  });

  it('lets any other change through', () => {
    expect(defaultAccountRefusal(theDefault, { isDefault: true })).toBeNull();
    expect(defaultAccountRefusal(another, { archived: true })).toBeNull();
    expect(defaultAccountRefusal(another, { isDefault: true })).toBeNull();
  });
});
