import { percentile } from './percentile.ts';
import { plural } from './plural.ts';

/**
 * SPEC §5.2: when batches wait and no agent has been in contact for 3 × its poll interval
 * (at least 3 minutes), the firm is told. An agent that did not say its interval is taken
 * at the agent's default of 60 s.
 */
export const SILENT_POLLS = 3;
export const SILENCE_FLOOR_SECONDS = 180;
export const DEFAULT_POLL_SECONDS = 60;

/** How long an agent may be silent before it counts as out of contact. */
export function silenceLimitSeconds(pollSeconds: number | null): number {
  return Math.max(SILENT_POLLS * (pollSeconds ?? DEFAULT_POLL_SECONDS), SILENCE_FLOOR_SECONDS);
}

export interface AgentContact {
  lastSeenAt: Date | null;
  pollSeconds: number | null;
}

export interface Waiting {
  batches: number;
  oldestSince: Date | null;
}

/** "4 minutes", "3 hours", "2 days": how long, in the unit a person would use. */
export function spokenDuration(seconds: number): string {
  if (seconds < 120) return plural(Math.max(0, Math.floor(seconds)), 'second');
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) return plural(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return plural(hours, 'hour');
  return plural(Math.floor(hours / 24), 'day');
}

/**
 * The warning of Connect status, or null. With batches waiting: null while any agent is
 * within its silence limit; a sentence once every agent has been silent longer; and where
 * no agent was ever in contact, a sentence once the oldest batch has waited 3 minutes.
 */
export function connectWarning(waiting: Waiting, agents: readonly AgentContact[], now: Date): string | null {
  if (waiting.batches === 0 || waiting.oldestSince === null) return null;
  const batches = plural(waiting.batches, 'batch is', 'batches are');
  const seen = agents.filter((a): a is AgentContact & { lastSeenAt: Date } => a.lastSeenAt !== null);
  if (seen.length === 0) {
    const waited = (now.getTime() - waiting.oldestSince.getTime()) / 1000;
    if (waited < SILENCE_FLOOR_SECONDS) return null;
    return `${batches} waiting (the oldest for ${spokenDuration(waited)}) and no Connect agent has ever been in contact: install the agent on the firm's server with an agent token, and start it.`;
  }
  const silentFor = (a: (typeof seen)[number]) => (now.getTime() - a.lastSeenAt.getTime()) / 1000;
  if (seen.some((a) => silentFor(a) <= silenceLimitSeconds(a.pollSeconds))) return null;
  const latest = Math.min(...seen.map(silentFor));
  return `${batches} waiting and no Connect agent has been in contact for ${spokenDuration(latest)}: check that the agent's service is running on the firm's server and can reach paybridge.`;
}

/** How many of the firm's latest delivered batches the usual delivery time is measured over. */
export const DELIVERY_SAMPLES = 50;

export interface DeliveryTimes {
  /** Seconds from a batch's creation to its acknowledgement, nearest-rank median; null without samples. */
  median: number | null;
  p95: number | null;
  samples: number;
}

/** The usual delivery time, from each batch's milliseconds between created and delivered. */
export function deliveryTimes(millis: readonly number[]): DeliveryTimes {
  const seconds = (p: number) => (millis.length === 0 ? null : Math.round(Math.max(0, percentile(millis, p))) / 1000);
  return { median: seconds(50), p95: seconds(95), samples: millis.length };
}
