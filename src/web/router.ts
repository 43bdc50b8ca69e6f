import { useSyncExternalStore } from 'react';

/** A handful of screens needs no router package: the path picks the screen, pushState moves. */
export type Screen =
  | 'postings'
  | 'payments'
  | 'make-payment'
  | 'enter-payment'
  | 'quick-links'
  | 'schedules'
  | 'deposits'
  | 'batches'
  | 'settings';

export const SCREEN_PATHS: Record<Screen, string> = {
  postings: '/postings',
  payments: '/payments',
  'make-payment': '/take/make-payment',
  'enter-payment': '/take/enter-payment',
  'quick-links': '/take/quick-links',
  schedules: '/take/schedules',
  deposits: '/deposits',
  batches: '/batches',
  settings: '/settings',
};

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  return () => window.removeEventListener('popstate', onChange);
}

export function usePath(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

export function screenOf(path: string): Screen {
  const found = (Object.entries(SCREEN_PATHS) as [Screen, string][]).find(
    ([, p]) => path === p || path.startsWith(`${p}/`),
  );
  return found?.[0] ?? 'postings';
}

/** A path with its query (`/deposits?month=2026-01`); moving to where the page already is does nothing. */
export function navigate(path: string): void {
  if (window.location.pathname + window.location.search === path) return;
  window.history.pushState(null, '', path);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

/** A parameter of the page's address (`?month=2026-01`): what a pasted link asks a screen to show. */
export function queryParam(name: string): string | null {
  return new URLSearchParams(window.location.search).get(name);
}

/** The page's query string (`?view=pending&sort=-amount`), as Back and Forward and changeQuery move it. */
export function useSearch(): string {
  return useSyncExternalStore(subscribe, () => window.location.search);
}

/** What the page's history entry carries besides its address (changeQuery's `state`). */
export function useHistoryState(): unknown {
  return useSyncExternalStore(subscribe, () => window.history.state as unknown);
}

/**
 * Changes parameters of the page's address (null or '' removes one), so a reload or a
 * copied link opens the same. `push` makes a history entry that Back returns from (a
 * tab, an order, a page, a choice); `replace` does not (text as it is typed). The
 * entry's state is kept unless `state` is given.
 */
export function changeQuery(
  params: Record<string, string | null>,
  how: 'push' | 'replace' = 'replace',
  state: unknown = window.history.state,
): void {
  const search = new URLSearchParams(window.location.search);
  for (const [name, value] of Object.entries(params)) {
    if (value === null || value === '') search.delete(name);
    else search.set(name, value);
  }
  const text = search.toString();
  const url = `${window.location.pathname}${text ? `?${text}` : ''}`;
  if (how === 'push') {
    if (url === window.location.pathname + window.location.search && state === window.history.state) return;
    window.history.pushState(state, '', url);
  } else window.history.replaceState(state, '', url);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

/** Keeps the address in step with what a screen shows (its month, its filter), without a history entry. */
export function replaceQuery(params: Record<string, string | null>): void {
  changeQuery(params, 'replace');
}

/** Manage Postings opened on one record, in its drawer. */
export function postingRecordPath(recordId: string): string {
  return `${SCREEN_PATHS.postings}?record=${encodeURIComponent(recordId)}`;
}
