import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventStream } from './event-stream.ts';
import { agentSplit, batchShown, LIVE_RECORDS, liveRow, watchShown, type PostedItem } from './live-rounds.ts';

const AT = '2025-05-01T12:00:00.000Z'; // before any test runs: events heard now come after it
const records = (
  n: number,
  batchId: string,
  status = 'posted',
  mmsStatus: string | null = 'awaiting',
  updatedAt = AT,
): PostedItem[] => Array.from({ length: n }, () => ({ batchId, status, mmsStatus, updatedAt }));

describe('batchShown', () => {
  it('holds once every record of the batch is on the page, posted (and with the MMS status asked for), since the last of them changed', () => {
    const shown = batchShown(() => 'b2');
    expect(shown(records(LIVE_RECORDS, 'b2'))).toBe(Date.parse(AT));
    const later = '2025-05-01T12:00:00.250Z';
    expect(shown([...records(LIVE_RECORDS - 1, 'b2'), ...records(1, 'b2', 'posted', 'awaiting', later)])).toBe(
      Date.parse(later),
    );
    expect(shown([...records(LIVE_RECORDS - 1, 'b2'), ...records(1, 'b1')])).toBeNull();
    expect(shown(records(LIVE_RECORDS, 'b2', 'queued', null))).toBeNull();
    expect(shown(records(LIVE_RECORDS, 'b1'))).toBeNull();
    const applied = batchShown(() => 'b2', 'applied');
    expect(applied(records(LIVE_RECORDS, 'b2'))).toBeNull();
    expect(applied(records(LIVE_RECORDS, 'b2', 'posted', 'applied'))).toBe(Date.parse(AT));
  });

  it('holds for nothing until Post All has named the batch', () => {
    expect(batchShown(() => undefined)(records(LIVE_RECORDS, 'b2'))).toBeNull();
  });
});

describe('liveRow', () => {
  const samples = (ms: number[], failure: string | null = null) => ({
    ms: [ms],
    rounds: ms.length,
    failure,
    posts: [],
  });

  it('gives p95 as the value, with p50 and the spread, and ok within the target', () => {
    const row = liveRow('click → file', samples([100, 300, 200, 400, 1900]), 0, 2000);
    expect(row).toMatchObject({ value: 1900, target: 'p95 ≤ 2.00 s', verdict: 'ok' });
    expect(row.measured).toBe('p95 1.90 s, p50 300 ms (5 of 5 rounds, min–max 100 ms–1.90 s)');
  });

  it('is a MISS when p95 is over the target, or when a round failed whatever the figures', () => {
    expect(liveRow('click → file', samples([100, 2100]), 0, 2000).verdict).toBe('MISS');
    const failed = liveRow(
      'click → file',
      { ms: [[100]], rounds: 20, failure: 'round 2 failed: PB_2.csv did not arrive', posts: [] },
      0,
      2000,
    );
    expect(failed.verdict).toBe('MISS');
    expect(failed.measured).toContain('1 of 20 rounds');
    expect(failed.measured).toContain('round 2 failed: PB_2.csv did not arrive');
  });
});

describe('agentSplit', () => {
  it("gives each step's median time from the click, from the agent's log lines of each round's own batch", () => {
    const samples = {
      ms: [[]],
      rounds: 3,
      failure: null,
      posts: [
        { seq: 7, answeredAt: 1000 },
        { seq: 8, answeredAt: 5000 },
        { seq: 9, answeredAt: 9000 },
      ],
    };
    const entries = [
      { time: 1010, msg: 'batches waiting for delivery', seqs: [7] },
      { time: 1200, msg: 'batch acknowledged', seqs: [7] },
      { time: 4000, msg: 'batch acknowledged', seqs: [6] }, // another batch: not this round's
      { time: 5030, msg: 'batches waiting for delivery', seqs: [8] },
      { time: 5300, msg: 'batch acknowledged', seqs: [8] },
      { time: 9020, msg: 'batches waiting for delivery', seqs: [9] },
      { time: 9250, msg: 'batch acknowledged', seqs: [9] },
    ];
    const split = agentSplit(samples, entries, [
      ['heard', (msg) => msg === 'batches waiting for delivery'],
      ['acknowledged', (msg) => msg === 'batch acknowledged'],
      ['answered', (msg) => msg.startsWith("the MMS's answer")],
    ]);
    expect(split).toBe('heard 20 ms, acknowledged 250 ms, answered (not in the log)');
  });
});

/** A fake event stream the test fires by hand, and a server answering the posted view with what the test sets. */
function fakeStream(): EventStream & { fire(event: string): void } {
  const listeners = new Set<(event: string) => void>();
  return {
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => listeners.clear(),
    fire: (event) => [...listeners].forEach((l) => l(event)),
  };
}

async function postedView(delayMs: number) {
  const state = { items: [] as PostedItem[], reads: 0, paths: [] as string[], tokens: [] as (string | undefined)[] };
  const server = http.createServer((req, res) => {
    state.reads += 1;
    state.paths.push(req.url ?? '');
    state.tokens.push(req.headers.authorization);
    const body = JSON.stringify({ items: state.items, nextCursor: null });
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(body), delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  return {
    api,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('watchShown (what the screen does with the event stream)', () => {
  const servers: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  /** A posted view answering after `delayMs`, a stream fired by hand, and a watch for batch b2 on them. */
  async function watching(delayMs: number, timeoutMs = 5_000) {
    const view = await postedView(delayMs);
    servers.push(view);
    const stream = fakeStream();
    const watch = watchShown(
      view.api,
      stream,
      'pb_user_t',
      batchShown(() => 'b2'),
      timeoutMs,
    );
    return { view, stream, watch };
  }

  it('reads the posted view on each postings.changed only, and stops at the first read that shows the batch', async () => {
    const { view, stream, watch } = await watching(0);
    await sleep(100);
    expect(view.state.reads).toBe(0);
    stream.fire('batches.changed');
    stream.fire('connect.changed');
    await sleep(100);
    expect(view.state.reads).toBe(0);
    stream.fire('postings.changed');
    await sleep(100);
    expect(view.state.reads).toBe(1); // queued still: not shown
    view.state.items = records(LIVE_RECORDS, 'b2');
    const before = performance.now();
    stream.fire('postings.changed');
    const at = await watch.done;
    expect(at).toBeGreaterThan(before);
    expect(view.state.reads).toBe(2);
    expect(view.state.paths).toEqual(Array(2).fill(`/api/v1/postings?view=posted&limit=${LIVE_RECORDS}`));
    expect(view.state.tokens).toEqual(Array(2).fill('Bearer pb_user_t'));
    // Done: later events read nothing.
    stream.fire('postings.changed');
    await sleep(100);
    expect(view.state.reads).toBe(2);
  });

  it('makes one read at a time: events heard during a read make exactly one more after it', async () => {
    const { view, stream, watch } = await watching(150);
    stream.fire('postings.changed');
    await sleep(30);
    // The ack lands while the first read is under way: the next read must see it.
    view.state.items = records(LIVE_RECORDS, 'b2');
    stream.fire('postings.changed');
    stream.fire('postings.changed');
    await watch.done;
    expect(view.state.reads).toBe(2);
  });

  it('does not stop at a read that finds the change but follows only an event heard before it was made', async () => {
    const { view, stream, watch } = await watching(0);
    let stopped = false;
    void watch.done.then(() => (stopped = true));
    // The Post's own event; by the time its read runs, the agent has acknowledged (a second later, by the server's clock).
    view.state.items = records(LIVE_RECORDS, 'b2', 'posted', 'awaiting', new Date(Date.now() + 1_000).toISOString());
    stream.fire('postings.changed');
    await sleep(100);
    expect(view.state.reads).toBe(1);
    expect(stopped).toBe(false);
    // The acknowledgement's own event, heard after it was made.
    view.state.items = records(LIVE_RECORDS, 'b2', 'posted', 'awaiting', new Date(Date.now() - 1).toISOString());
    stream.fire('postings.changed');
    await watch.done;
    expect(view.state.reads).toBe(2);
  });

  it('reads when told to (the Post answered), and fails after its timeout when the batch never shows', async () => {
    // A second, not less: on a loaded machine the read itself can take a few hundred ms.
    const { view, watch } = await watching(0, 1_000);
    watch.read();
    await expect(watch.done).rejects.toThrow('the posted view did not show it within 1000 ms');
    expect(view.state.reads).toBe(1);
  });
});
