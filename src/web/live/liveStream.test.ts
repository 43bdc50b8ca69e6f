import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { connectLive, LIVE_QUERIES, reopenDelay, type EventSourceLike, type LiveState } from './liveStream.ts';

/** The browser's EventSource as far as the stream uses it: the test opens, drops and fires it. */
class FakeSource implements EventSourceLike {
  readyState = 0;
  onopen: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  closed = false;
  private readonly listeners = new Map<string, (() => void)[]>();
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: () => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close(): void {
    this.closed = true;
    this.readyState = 2;
  }
  opened(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  emit(type: string): void {
    for (const l of this.listeners.get(type) ?? []) l();
  }
  /** A dropped connection the browser retries by itself (readyState CONNECTING), or one it gave up on (CLOSED). */
  fail(givenUp: boolean): void {
    this.readyState = givenUp ? 2 : 0;
    this.onerror?.(new Event('error'));
  }
}

describe('the live event stream', () => {
  let sources: FakeSource[];
  let refreshed: string[][];
  let states: LiveState[];
  let live: { close(): void };

  beforeEach(() => {
    vi.useFakeTimers();
    sources = [];
    refreshed = [];
    states = [];
    live = connectLive({
      url: '/api/v1/events',
      open: (url) => {
        const s = new FakeSource(url);
        sources.push(s);
        return s;
      },
      invalidate: (prefixes) => refreshed.push([...prefixes].sort()),
      onState: (s) => states.push(s),
    });
  });
  afterEach(() => {
    live.close();
    vi.useRealTimers();
  });

  it('opens one stream, catches up once it is open, and refetches only what each event made stale', () => {
    expect(sources.map((s) => s.url)).toEqual(['/api/v1/events']);
    sources[0]!.opened();
    expect(states).toEqual(['open']);
    vi.advanceTimersByTime(250);
    expect(refreshed).toEqual([[...LIVE_QUERIES].sort()]);

    sources[0]!.emit('connect.changed');
    vi.advanceTimersByTime(250);
    expect(refreshed.at(-1)).toEqual(['connect']);
    sources[0]!.emit('batches.changed');
    vi.advanceTimersByTime(250);
    expect(refreshed.at(-1)).toEqual(['batches', 'connect', 'deposits', 'postings']);
    sources[0]!.emit('postings.changed');
    vi.advanceTimersByTime(250);
    expect(refreshed.at(-1)).toEqual(['connect', 'deposits', 'payments', 'postings']);
    // An event the UI does not know changes nothing.
    sources[0]!.emit('something.else');
    vi.advanceTimersByTime(250);
    expect(refreshed).toHaveLength(4);
  });

  it('makes a burst of events one refetch', () => {
    sources[0]!.opened();
    vi.advanceTimersByTime(250);
    refreshed = [];
    for (let i = 0; i < 1000; i++) sources[0]!.emit('postings.changed');
    sources[0]!.emit('batches.changed');
    expect(refreshed).toEqual([]);
    vi.advanceTimersByTime(250);
    expect(refreshed).toEqual([['batches', 'connect', 'deposits', 'payments', 'postings']]);
  });

  it('says it is down while the browser reconnects by itself, and catches up when it is back', () => {
    sources[0]!.opened();
    vi.advanceTimersByTime(250);
    sources[0]!.fail(false);
    expect(states.at(-1)).toBe('down');
    vi.advanceTimersByTime(60_000);
    // The browser retries this one itself: no second stream.
    expect(sources).toHaveLength(1);
    refreshed = [];
    sources[0]!.opened();
    expect(states.at(-1)).toBe('open');
    vi.advanceTimersByTime(250);
    expect(refreshed).toEqual([[...LIVE_QUERIES].sort()]);
  });

  it('opens a new stream itself when the browser gave up on one, waiting longer each time', () => {
    sources[0]!.fail(true);
    expect(states).toEqual(['down']);
    expect(sources[0]!.closed).toBe(true);
    vi.advanceTimersByTime(reopenDelay(0) - 1);
    expect(sources).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sources).toHaveLength(2);
    sources[1]!.fail(true);
    vi.advanceTimersByTime(reopenDelay(1) - 1);
    expect(sources).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(sources).toHaveLength(3);
    // Once open again, the next failure starts from the shortest wait.
    sources[2]!.opened();
    sources[2]!.fail(true);
    vi.advanceTimersByTime(reopenDelay(0));
    expect(sources).toHaveLength(4);
    expect([0, 1, 2, 3, 4, 10].map(reopenDelay)).toEqual([5_000, 10_000, 20_000, 40_000, 60_000, 60_000]);
  });

  it('closes for good: no stream is left open, nothing reopens, and a pending refetch is dropped', () => {
    sources[0]!.opened();
    sources[0]!.emit('postings.changed');
    refreshed = [];
    live.close();
    expect(sources[0]!.closed).toBe(true);
    vi.advanceTimersByTime(120_000);
    expect(refreshed).toEqual([]);
    expect(sources).toHaveLength(1);
  });
});
