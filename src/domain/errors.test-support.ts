import { DomainError } from './errors.ts';

/** What a rule refused with, its DomainError's code and details; null when it did not refuse. Any other error is thrown on. */
export function refusalOf(run: () => unknown): { code: string; details: unknown } | null {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, details: error.details };
    throw error;
  }
  return null;
}
