import { changeQuery, useHistoryState, useSearch } from '../router.ts';

export const PAGE_SIZES = ['25', '50', '100'] as const;
const DEFAULT_LIMIT = 50;

/** What a page's history entry remembers of the pages before it: the cursors that led there, and which list they page. */
interface PagerState {
  pagerKey: string;
  /** The cursor of each page from the first (null) to the one shown. */
  cursors: (string | null)[];
}

function isPagerState(value: unknown): value is PagerState {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as PagerState).pagerKey === 'string' &&
    Array.isArray((value as PagerState).cursors)
  );
}

/** A cursor as the server makes it (base64url), so `back` can join them with dots. */
const CURSOR = /^[A-Za-z0-9_-]{1,200}$/;
/** How many earlier cursors the address keeps: beyond them, Previous goes to the first page. */
const BACK_KEPT = 20;

/** The address's `back` for the cursors from the first page to the one shown: those of pages 2…N-1. */
export function backParam(cursors: readonly (string | null)[]): string | null {
  const between = cursors.slice(1, -1).slice(-BACK_KEPT);
  return between.length > 0 && between.every((c) => c !== null) ? between.join('.') : null;
}

/**
 * Where a list's paging stands, from the address (`cursor`, `back`, `page`, `limit`) and
 * the history entry (the cursors before it). The address holds the cursors of the pages
 * before this one too (`back`), so a pasted page-N link's Previous goes to page N-1; only
 * an address without them (an older link) falls back to the first page.
 */
export function readPage(search: string, state: unknown, key: string) {
  const params = new URLSearchParams(search);
  const cursor = params.get('cursor') || null;
  const page = Number(params.get('page'));
  const limitText = params.get('limit') ?? '';
  const limit = (PAGE_SIZES as readonly string[]).includes(limitText) ? Number(limitText) : DEFAULT_LIMIT;
  if (isPagerState(state) && state.pagerKey !== key) return { cursors: [null], limit };
  if (cursor === null) return { cursors: [null], limit };
  if (isPagerState(state) && state.cursors.at(-1) === cursor) return { cursors: state.cursors, limit };
  const back = (params.get('back') ?? '').split('.').filter((c) => CURSOR.test(c));
  const pageNumber = Number.isSafeInteger(page) && page > 1 ? page : back.length + 2;
  // Pages before the earliest cursor the address kept are not known: Previous from there goes to the first.
  const known = back.slice(Math.max(0, back.length - (pageNumber - 2)));
  const unknown = Array<string | null>(pageNumber - 2 - known.length).fill(null);
  return { cursors: [null, ...unknown, ...known, cursor], limit };
}

/**
 * Keyset paging: the server only knows "the page after this cursor", so going back
 * means remembering the cursors of the pages already seen. The page is in the address
 * (issue 16) and each page is a history entry, so Back returns to the page before. Any
 * change of view, filter or sort (the `key`) starts again at the first page.
 */
export function usePager(key: string) {
  const search = useSearch();
  const state = useHistoryState();
  const { cursors, limit } = readPage(search, state, key);
  const go = (next: (string | null)[]) => {
    const cursor = next.at(-1) ?? null;
    changeQuery({ cursor, page: next.length > 1 ? String(next.length) : null, back: backParam(next) }, 'push', {
      pagerKey: key,
      cursors: next,
    } satisfies PagerState);
  };
  return {
    cursor: cursors.at(-1) ?? undefined,
    pageNumber: cursors.length,
    limit,
    setLimit: (value: number) =>
      changeQuery(
        { limit: value === DEFAULT_LIMIT ? null : String(value), cursor: null, page: null, back: null },
        'push',
        {
          pagerKey: key,
          cursors: [null],
        } satisfies PagerState,
      ),
    next: (cursor: string) => go([...cursors, cursor]),
    previous: () => go(cursors.length > 1 ? cursors.slice(0, -1) : cursors),
    hasPrevious: cursors.length > 1,
  };
}

export type Pager = ReturnType<typeof usePager>;
