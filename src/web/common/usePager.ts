import { useState } from 'react';

export const PAGE_SIZES = ['25', '50', '100'] as const;

/**
 * Keyset paging: the server only knows "the page after this cursor", so going back
 * means remembering the cursors of the pages already seen. Any change of view, filter
 * or sort (the `key`) starts again at the first page.
 */
export function usePager(key: string) {
  const [state, setState] = useState<{ key: string; stack: (string | undefined)[] }>({ key, stack: [undefined] });
  const [limit, setLimit] = useState(50);
  const stack = state.key === key ? state.stack : [undefined];
  return {
    cursor: stack.at(-1),
    pageNumber: stack.length,
    limit,
    setLimit: (value: number) => {
      setLimit(value);
      setState({ key, stack: [undefined] });
    },
    next: (cursor: string) => setState({ key, stack: [...stack, cursor] }),
    previous: () => setState({ key, stack: stack.length > 1 ? stack.slice(0, -1) : stack }),
    hasPrevious: stack.length > 1,
  };
}

export type Pager = ReturnType<typeof usePager>;
