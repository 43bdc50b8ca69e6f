import { useEffect, useState } from 'react';

// The payer's pages ask the server for a page, a lookup and a payment: a few plain
// promises, so they do without TanStack Query and its ~12 KB (test/e2e/bundle-size.test.ts).

type State<T> = { status: 'pending' } | { status: 'done'; data: T } | { status: 'failed'; error: unknown };

/** What a page asked shows as: pending, its answer, or why it failed; `reload` asks again. */
export type Load<T> = State<T> & {
  /** Pending after a failure; after an answer, that answer stays until the new one arrives. */
  reload: () => void;
};

/**
 * What `load` answers for `key` (null: nothing to ask yet, pending). A new key starts
 * pending; an answer for a key no longer asked is dropped.
 */
export function useLoad<T>(key: string | null, load: () => Promise<T>): Load<T> {
  const [settled, setSettled] = useState<{ key: string; state: State<T> } | null>(null);
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (key === null) return;
    let current = true;
    load().then(
      (data) => current && setSettled({ key, state: { status: 'done', data } }),
      (error: unknown) => current && setSettled({ key, state: { status: 'failed', error } }),
    );
    return () => {
      current = false;
    };
    // `load` is a new function each render: the key says what it asks.
  }, [key, round]);
  const reload = () => {
    setSettled((last) => (last?.state.status === 'done' ? last : null));
    setRound((r) => r + 1);
  };
  const state: State<T> = settled !== null && settled.key === key ? settled.state : { status: 'pending' };
  return { ...state, reload };
}

export interface Action<A> {
  run: (arg: A) => void;
  isPending: boolean;
  error: unknown;
}

/** A request the payer sends (a lookup, a payment): its pending state and its failure, with what to do on each outcome. */
export function useAction<A, R>(
  send: (arg: A) => Promise<R>,
  on: { start?: () => void; success?: (result: R, arg: A) => void; failure?: (error: unknown) => void } = {},
): Action<A> {
  const [isPending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = (arg: A) => {
    setPending(true);
    setError(null);
    on.start?.();
    send(arg).then(
      (result) => {
        setPending(false);
        on.success?.(result, arg);
      },
      (failure: unknown) => {
        setPending(false);
        setError(failure);
        on.failure?.(failure);
      },
    );
  };
  return { run, isPending, error };
}
