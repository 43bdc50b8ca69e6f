import type { RecordStatus } from './types.ts';

/** The seven views of Manage Postings (SPEC §4), each the records of some statuses. */
export const VIEWS = ['pending_incomplete', 'pending', 'incomplete', 'posted', 'removed', 'queued', 'all'] as const;
export type View = (typeof VIEWS)[number];

export const VIEW_STATUSES: Record<View, readonly RecordStatus[] | null> = {
  pending_incomplete: ['pending', 'incomplete'],
  pending: ['pending'],
  incomplete: ['incomplete'],
  posted: ['posted'],
  removed: ['removed'],
  queued: ['queued'],
  all: null,
};

export const VIEW_LABELS: Record<View, string> = {
  pending_incomplete: 'Pending/Incomplete',
  pending: 'Pending',
  incomplete: 'Incomplete',
  posted: 'Posted',
  removed: 'Removed',
  queued: 'Queued',
  all: 'All (Read Only)',
};
