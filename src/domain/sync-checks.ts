import { DomainError } from './errors.ts';

/** What the checks of an agent's sync read of it (SPEC §5): the numbers and amounts, not the names. */
export interface SyncFacts {
  clients: readonly { clientNumber: string }[];
  matters: readonly { clientNumber: string; matterNumber: string }[];
  invoices: readonly {
    invoiceNumber: string;
    clientNumber: string;
    matterNumber: string;
    totalCents: number;
    balanceCents: number;
  }[];
  full: boolean;
  earlierInvoiceNumbers?: readonly string[] | undefined;
}

export interface SyncProblem {
  field: string;
  message: string;
}

/** How many problems a refused sync names; details.total says how many there were. */
const SHOWN_PROBLEMS = 20;

/** A sync with problems, refused whole (invalid_sync): the first of them named, in order. */
export function syncRefusal(problems: readonly SyncProblem[]): DomainError {
  const shown = problems.slice(0, SHOWN_PROBLEMS);
  return new DomainError('invalid_sync', shown.map((p) => `${p.field}: ${p.message}`).join('; '), {
    issues: shown,
    total: problems.length,
  });
}

const matterKey = (clientNumber: string, matterNumber: string) => `${clientNumber}\u0000${matterNumber}`;

/** The clients and matters a sync refers to without sending them: the mirror must have them already. */
export function syncReferences(input: SyncFacts): { clients: string[]; matters: [string, string][] } {
  const clientsHere = new Set(input.clients.map((c) => c.clientNumber));
  const mattersHere = new Set(input.matters.map((m) => matterKey(m.clientNumber, m.matterNumber)));
  const clients = [...new Set(input.matters.map((m) => m.clientNumber).filter((c) => !clientsHere.has(c)))];
  const matters = new Map<string, [string, string]>();
  for (const v of input.invoices) {
    const key = matterKey(v.clientNumber, v.matterNumber);
    if (!mattersHere.has(key) && !matters.has(key)) matters.set(key, [v.clientNumber, v.matterNumber]);
  }
  return { clients, matters: [...matters.values()] };
}

/**
 * Checks a sync as a whole before anything is written: duplicates, balances, and
 * references to clients and matters neither in it nor in `known` (what the mirror has of
 * syncReferences). Every problem, in the order of the lists.
 */
export function syncProblems(
  input: SyncFacts,
  known: { clients: ReadonlySet<string>; matters: readonly (readonly [string, string])[] },
): SyncProblem[] {
  const problems: SyncProblem[] = [];
  const firstSeen = <T>(rows: readonly T[], keyOf: (row: T) => string, list: string, field: string) => {
    const seen = new Map<string, number>();
    rows.forEach((row, i) => {
      const key = keyOf(row);
      const first = seen.get(key);
      if (first !== undefined) problems.push({ field: `${list}.${i}.${field}`, message: `repeats ${list}.${first}` });
      else seen.set(key, i);
    });
  };
  firstSeen(input.clients, (c) => c.clientNumber, 'clients', 'clientNumber');
  firstSeen(input.matters, (m) => matterKey(m.clientNumber, m.matterNumber), 'matters', 'matterNumber');
  firstSeen(input.invoices, (v) => v.invoiceNumber, 'invoices', 'invoiceNumber');
  input.invoices.forEach((v, i) => {
    if (v.balanceCents > v.totalCents)
      problems.push({ field: `invoices.${i}.balanceCents`, message: 'is more than totalCents' });
  });

  const clientsHere = new Set(input.clients.map((c) => c.clientNumber));
  const mattersHere = new Set(input.matters.map((m) => matterKey(m.clientNumber, m.matterNumber)));
  const knownMatters = new Set(known.matters.map(([c, m]) => matterKey(c, m)));
  input.matters.forEach((m, i) => {
    if (!clientsHere.has(m.clientNumber) && !known.clients.has(m.clientNumber)) {
      problems.push({
        field: `matters.${i}.clientNumber`,
        message: `client ${m.clientNumber} is neither in this sync nor synced before`,
      });
    }
  });
  input.invoices.forEach((v, i) => {
    const key = matterKey(v.clientNumber, v.matterNumber);
    if (!mattersHere.has(key) && !knownMatters.has(key)) {
      problems.push({
        field: `invoices.${i}.matterNumber`,
        message: `matter ${v.clientNumber}/${v.matterNumber} is neither in this sync nor synced before`,
      });
    }
  });
  if (input.earlierInvoiceNumbers !== undefined && !input.full) {
    problems.push({ field: 'earlierInvoiceNumbers', message: 'is only for the last page of a full sync (full: true)' });
  }
  return problems;
}

/** The instant a sync's data was read at the latest (its readAfter): never later than it arrived. */
export function readAfterOf(readAfter: string | undefined, now: Date): Date {
  if (readAfter === undefined) return now;
  const at = new Date(readAfter);
  return at < now ? at : now;
}
