import { useSyncExternalStore } from 'react';

/**
 * One clock for every ticking text on screen (how long a batch has waited): a single
 * interval while anything shows one, none otherwise.
 */
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (timer === undefined) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** The time now, new every second. */
export function useNow(): number {
  return useSyncExternalStore(subscribe, () => now);
}
