import { setTimeout as sleep } from 'node:timers/promises';
import { DomainError } from '../domain/errors.ts';
import type { Db } from './connect.ts';

/**
 * SQLSTATEs of a conflict between concurrent transactions that the same work, run again
 * in a fresh transaction, gets past:
 * - 40001 serialization_failure: under REPEATABLE READ or SERIALIZABLE (a server whose
 *   default isolation is one of them, or a PostgreSQL-compatible distributed engine that
 *   runs everything serializable), another transaction's commit made this one's reads stale;
 * - 40P01 deadlock_detected: PostgreSQL broke a cycle of lock waits by ending this one
 *   (Post All locks records in file order while Remove, Edit and Move to Pending lock them
 *   in id order; a sync locks invoices before records, an Edit records before invoices);
 * - PB001: take_payment found the invoices changed after the payment was classified
 *   against them (migration 0006).
 *
 * Deliberately not retried:
 * - 23505 unique_violation: every insert that two requests can race on says ON CONFLICT,
 *   so one that still raises is a real duplicate (a payment page slug already taken: slug_taken)
 *   and would raise again on every attempt;
 * - 55P03 lock_not_available: paybridge never asks for NOWAIT, so only a lock_timeout an
 *   operator set raises it, and retrying would stretch the wait they chose to cap.
 */
export const RETRYABLE_SQLSTATES: readonly string[] = ['40001', '40P01', 'PB001'];

/** PostgreSQL's unique_violation, as both pg and PGlite report it: a real duplicate (see above). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === '23505';
}

/** Runs of one unit of work before its request is answered busy_try_again: five retries. */
export const MAX_ATTEMPTS = 6;

/** The pause before retry n is a random time up to min(CAP, BASE × 2^(n-1)): colliding requests spread out. */
const BACKOFF_BASE_MS = 5;
const BACKOFF_CAP_MS = 200;

/** One conflict met by a unit of work: its SQLSTATE, which run met it, and whether another run follows. */
export interface ConflictMet {
  code: string;
  attempt: number;
  retried: boolean;
}

type ConflictWatcher = (conflict: ConflictMet) => void;

const watchers = new WeakMap<Db, Set<ConflictWatcher>>();
const attempts = new WeakMap<Db, number>();

/**
 * Retries exhausted: the same rows kept changing under this request. Nothing it did was
 * kept, so sending it again is safe; a retryable code (busy_try_again) rather than an internal error.
 */
export class StillConflicting extends DomainError {
  constructor(
    readonly sqlstate: string,
    cause: unknown,
  ) {
    super(
      'busy_try_again',
      `other changes to the same records kept arriving at the same moment, so after ${MAX_ATTEMPTS} tries nothing was changed; send the request again`,
      { retryable: true },
    );
    this.cause = cause;
  }
}

/** The SQLSTATE of a conflict a fresh transaction gets past, or null for any other error. */
export function retryableConflict(error: unknown): string | null {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && RETRYABLE_SQLSTATES.includes(code) ? code : null;
}

/**
 * The transaction boundary of every change paybridge makes. `work` runs in a fresh
 * transaction; when the database answers it with a retryable conflict, that transaction
 * is rolled back and `work` runs again from the start in a new one, up to MAX_ATTEMPTS
 * times with a short random pause between, then StillConflicting (busy_try_again). So `work` must
 * do nothing outside the database that it cannot repeat: a processor charge is made
 * before the boundary, never inside it.
 *
 * When `db` already is a transaction, `work` simply runs in it: a use case that makes
 * its own transaction (takePayment, reversePayment) can be one step of a larger one,
 * such as a webhook event recorded with its effect. It never retries there: after an
 * error the caller's transaction is aborted, so the error goes up to the boundary that
 * owns it, which runs the whole unit again.
 */
export async function inTransaction<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db);
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.transaction().execute((tx) => {
        attempts.set(tx, attempt);
        return work(tx);
      });
    } catch (error) {
      const code = retryableConflict(error);
      if (code === null) throw error;
      const retried = attempt < MAX_ATTEMPTS;
      for (const watcher of watchers.get(db) ?? []) watcher({ code, attempt, retried });
      if (!retried) throw new StillConflicting(code, error);
      await sleep(Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1)));
    }
  }
}

/**
 * Which run of its unit of work a transaction made by inTransaction is: 1 the first, 2
 * the first retry. A step that can avoid its conflict at some cost (holding locks from
 * read to write) pays it only once the optimistic first run has met one.
 */
export function attemptOf(tx: Db): number {
  return attempts.get(tx) ?? 1;
}

/** Calls `watcher` with every conflict a unit of work on `db` meets (the server logs them; tests count them). */
export function watchConflicts(db: Db, watcher: ConflictWatcher): () => void {
  const set = watchers.get(db) ?? new Set<ConflictWatcher>();
  watchers.set(db, set);
  set.add(watcher);
  return () => set.delete(watcher);
}
