import { describe, expect, it } from 'vitest';
import { MIN_PASSWORD_LENGTH } from './passwords.ts';
import { newFirm, newUser, normalEmail } from './sign-up.ts';

describe('newFirm', () => {
  it('takes a code of A–Z, 0–9 and _, a trimmed name, and New York unless another IANA zone is named', () => {
    expect(newFirm({ code: 'HF_2', name: '  Hartwell & Finch ' })).toEqual({
      code: 'HF_2',
      name: 'Hartwell & Finch',
      timeZone: 'America/New_York',
    });
    expect(newFirm({ code: 'HF', name: 'HF', timeZone: 'America/Chicago' }).timeZone).toBe('America/Chicago');
  });

  it.each([
    [{ code: 'hf', name: 'HF' }, 'firm code "hf" must be 1–20 of A–Z, 0–9 and _'],
    [{ code: 'A'.repeat(21), name: 'HF' }, 'must be 1–20'],
    [{ code: '', name: 'HF' }, 'must be 1–20'],
    [{ code: 'HF', name: '  ' }, 'firm name is empty'],
    [{ code: 'HF', name: 'HF', timeZone: '+05:00' }, 'time zone "+05:00" is not an IANA time zone'],
  ])('refuses %j', (input, message) => {
    expect(() => newFirm(input)).toThrow(message);
  });
});

describe('newUser', () => {
  const password = 'x'.repeat(MIN_PASSWORD_LENGTH);

  it('keeps the email lower-cased and trimmed, and names the user by it when no name is given', () => {
    expect(newUser({ email: ' Ada@Example.COM ', password })).toEqual({
      email: 'ada@example.com',
      name: 'ada@example.com',
    });
    expect(newUser({ email: 'ada@example.com', name: ' Ada ', password }).name).toBe('Ada');
  });

  it('refuses what is not an email address, and a password shorter than the minimum', () => {
    expect(() => newUser({ email: 'ada@example', password })).toThrow('"ada@example" is not an email address');
    expect(() => newUser({ email: 'ada@example.com', password: password.slice(1) })).toThrow(
      `the password must be at least ${MIN_PASSWORD_LENGTH} characters`,
    );
  });
});

describe('normalEmail', () => {
  it('is the trimmed, lower-cased address', () => {
    expect(normalEmail('  Ada@Example.com')).toBe('ada@example.com');
  });
});
