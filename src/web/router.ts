import { useSyncExternalStore } from 'react';

/** A handful of screens needs no router package: the path picks the screen, pushState moves. */
export type Screen =
  'postings' | 'payments' | 'make-payment' | 'enter-payment' | 'quick-links' | 'schedules' | 'batches' | 'settings';

export const SCREEN_PATHS: Record<Screen, string> = {
  postings: '/postings',
  payments: '/payments',
  'make-payment': '/take/make-payment',
  'enter-payment': '/take/enter-payment',
  'quick-links': '/take/quick-links',
  schedules: '/take/schedules',
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

export function navigate(path: string): void {
  if (window.location.pathname === path) return;
  window.history.pushState(null, '', path);
  window.dispatchEvent(new PopStateEvent('popstate'));
}
