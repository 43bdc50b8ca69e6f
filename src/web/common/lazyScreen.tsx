import { lazy, Suspense, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import { LoadingState } from './States.tsx';

/**
 * A screen whose code loads the first time it is shown, as its own chunk: the staff
 * app's first load carries the shell, not every screen (test/e2e/bundle-size.test.ts).
 */
export function lazyScreen<M extends Record<K, ComponentType>, K extends keyof M>(
  load: () => Promise<M>,
  name: K,
): LazyExoticComponent<M[K]> {
  return lazy(async () => ({ default: (await load())[name] }));
}

/** Where a lazy screen appears: "Loading…" in its place (not the whole page) while its code arrives. */
export function ScreenLoading({ children }: { children: ReactNode }) {
  return <Suspense fallback={<LoadingState />}>{children}</Suspense>;
}
