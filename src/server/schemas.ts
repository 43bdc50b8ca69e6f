import { z } from 'zod';
import { ACCOUNTS, ORIGINS, METHODS } from '../domain/types.ts';

// Control characters (other than none at all) are refused in every text a client sends:
// they would end up in the MMS file, where the format keeps text exactly.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export const text = (max: number) =>
  z.string().max(max).refine((value) => !CONTROL.test(value), { message: 'must not contain control characters' });

export const requiredText = (max: number) => text(max).refine((value) => value.trim().length > 0, { message: 'must not be empty' });

/** Money in cents: a whole, safe number. Fractions, strings and floats are refused. */
export const cents = z.number().int().refine(Number.isSafeInteger, { message: 'must be a safe integer number of cents' });
export const positiveCents = cents.refine((v) => v > 0, { message: 'must be more than 0 cents' });

export const account = z.enum(ACCOUNTS);
export const origin = z.enum(ORIGINS);
export const method = z.enum(METHODS);

export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD').refine(
  (value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value),
  { message: 'is not a real calendar date' },
);

export const idParam = z.object({ id: z.string().max(100) });

export const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string) => UUID.test(value);
