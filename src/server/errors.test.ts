import { describe, expect, it } from 'vitest';
import { DomainError, ERROR_CODES } from '../domain/errors.ts';
import { ERROR_STATUS } from './errors.ts';

describe('the error-code → status table', () => {
  it('gives every code the product uses a status, and no code it does not', () => {
    expect(Object.keys(ERROR_STATUS).sort()).toEqual(Object.keys(ERROR_CODES).sort());
  });

  it('answers every code with a 4xx or a 5xx', () => {
    for (const [code, status] of Object.entries(ERROR_STATUS)) expect(status >= 400 && status <= 599, code).toBe(true);
  });

  it('gives every code a one-line meaning', () => {
    for (const [code, meaning] of Object.entries(ERROR_CODES))
      expect(meaning.trim().length > 0 && !meaning.includes('\n'), code).toBe(true);
  });

  it('answers a reused idempotency key with 422, as SPEC §9 says, wherever the key was reused', () => {
    expect(ERROR_STATUS.idempotency_key_reused).toBe(422);
  });

  it('keeps the code, message and details a domain error was thrown with', () => {
    const error = new DomainError('not_found', 'payment x was not found', { id: 'x' });
    expect(error).toBeInstanceOf(Error);
    expect({ code: error.code, message: error.message, details: error.details }).toEqual({
      code: 'not_found',
      message: 'payment x was not found',
      details: { id: 'x' },
    });
  });
});
