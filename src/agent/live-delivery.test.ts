import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LongPoll } from './client.ts';
import { AnswerRefusedError, type DeliveryResult } from './deliver.ts';
import { deliverLive } from './live-delivery.ts';
import type { Repeating } from './repeat.ts';

/**
 * The loop's timing against stand-in rounds: how long each long-poll asks to wait, and
 * when the next begins. test/agent/live-delivery.test.ts runs the real agent process
 * against the real server. The clock is Vitest's fake one, so that a loaded machine cannot
 * stretch the gaps this file measures: every wait below is time advanced, not slept.
 */
const nothing: DeliveryResult = { delivered: 0, waiting: 0, answered: 0 };
const one: DeliveryResult = { delivered: 1, waiting: 1, answered: 0 };

interface Round {
  at: number;
  waitSeconds: number;
}

/** A long-poll that waits as the server does: until `wakeAfter` ms (a batch made), its wait is up, or the agent stops. */
function heldPoll(wait: LongPoll, wakeAfter: number | null): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const woken = wakeAfter === null ? undefined : setTimeout(() => done(true), wakeAfter);
    const timeUp = setTimeout(() => done(false), wait.waitSeconds * 1000);
    const abort = () => {
      clearTimeout(woken);
      clearTimeout(timeUp);
      reject(wait.signal.reason as Error); // abort() without a reason sets an AbortError
    };
    function done(made: boolean) {
      clearTimeout(woken);
      clearTimeout(timeUp);
      wait.signal.removeEventListener('abort', abort);
      resolve(made);
    }
    wait.signal.addEventListener('abort', abort, { once: true });
  });
}

describe('live delivery: one long-poll open, pollSeconds the fallback', () => {
  const loops: Repeating[] = [];
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(async () => {
    const stopping = Promise.all(loops.splice(0).map((l) => l.stop()));
    await vi.runAllTimersAsync();
    await stopping;
    vi.useRealTimers();
  });
  /** Lets `ms` of fake time pass, running every timer and promise due in it. */
  const sleep = (ms: number) => vi.advanceTimersByTimeAsync(ms);

  function run(
    round: (wait: LongPoll, n: number) => Promise<DeliveryResult>,
    {
      pollMs,
      awaiting = () => false,
      longPollSeconds = 25,
    }: { pollMs: number; awaiting?: () => boolean; longPollSeconds?: number },
  ) {
    const rounds: Round[] = [];
    const errors: unknown[] = [];
    const start = Date.now();
    const loop = deliverLive({
      round: (wait) => {
        rounds.push({ at: Date.now() - start, waitSeconds: wait.waitSeconds });
        return round(wait, rounds.length);
      },
      awaitingAnswers: awaiting,
      pollMs,
      longPollSeconds,
      onError: (error) => errors.push(error),
    });
    loops.push(loop);
    return { rounds, errors, loop };
  }

  it('polls again at once after a long-poll that waited its time or brought batches', async () => {
    // Rounds 1 and 3 bring a batch after 100 ms; the others wait their whole second.
    const { rounds } = run(async (wait, n) => ((await heldPoll(wait, n % 2 === 1 ? 100 : null)) ? one : nothing), {
      pollMs: 60_000,
      longPollSeconds: 1,
    });
    await sleep(2_500);
    // 0 (woken at 100), 100 (waits 1000), 1100 (woken at 1200), 1200 (waits 1000), 2200 …: never a pollSeconds pause.
    expect(rounds.length).toBeGreaterThanOrEqual(5);
    expect(rounds.map((r) => r.waitSeconds)).toEqual(rounds.map(() => 1));
    for (let i = 1; i < rounds.length; i += 1) expect(rounds[i]!.at - rounds[i - 1]!.at).toBeLessThan(1_300);
  });

  it('does not spin on a server that answers the long-poll at once: pollSeconds between empty answers', async () => {
    const { rounds, errors } = run(async () => nothing, { pollMs: 400 });
    await sleep(1_300);
    expect(rounds.length).toBeGreaterThanOrEqual(3);
    expect(rounds.length).toBeLessThanOrEqual(4);
    for (let i = 1; i < rounds.length; i += 1) expect(rounds[i]!.at - rounds[i - 1]!.at).toBeGreaterThanOrEqual(390);
    expect(errors).toEqual([]);
  });

  it('waits pollSeconds after a failed round, then tries again', async () => {
    const down = new Error('cannot reach the paybridge server');
    const { rounds, errors } = run(
      async (wait, n) => {
        if (n <= 2) throw down;
        return (await heldPoll(wait, null)) ? one : nothing;
      },
      { pollMs: 500 },
    );
    await sleep(1_200);
    expect(errors).toEqual([down, down]);
    expect(rounds).toHaveLength(3);
    expect(rounds[1]!.at - rounds[0]!.at).toBeGreaterThanOrEqual(490);
    expect(rounds[2]!.at - rounds[1]!.at).toBeGreaterThanOrEqual(490);
    expect(rounds[2]!.at).toBeLessThan(1_150);
  });

  it('does not slow delivery to pollSeconds for an MMS answer the server keeps refusing', async () => {
    // Every round re-offers the refused answer; rounds 1 and 2 delivered a batch, so the next follows at once.
    const { rounds, errors } = run(
      async (wait, n) => {
        const made = n <= 2 || (await heldPoll(wait, null));
        throw new AnswerRefusedError([{ seq: 1, reason: '409 answer_conflict' }], made ? one : nothing);
      },
      { pollMs: 60_000, awaiting: () => true, longPollSeconds: 1 },
    );
    await sleep(600);
    expect(rounds).toHaveLength(3);
    expect(rounds[2]!.at).toBeLessThan(300);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toBeInstanceOf(AnswerRefusedError);
  });

  it('keeps no long-poll open longer than pollSeconds while an MMS answer is awaited', async () => {
    let awaiting = true;
    const { rounds } = run(async (wait) => ((await heldPoll(wait, null)) ? one : nothing), {
      pollMs: 1_000,
      awaiting: () => awaiting,
    });
    await sleep(2_300);
    // Each 1 s poll waited its time: the next round (which looks for answers first) follows at once.
    expect(rounds.slice(0, 3).map((r) => r.waitSeconds)).toEqual([1, 1, 1]);
    awaiting = false;
    await sleep(1_000);
    expect(rounds.at(-1)?.waitSeconds).toBe(25);
  });

  it('stop() ends the open long-poll at once, and nothing is logged as failed', async () => {
    const { rounds, errors, loop } = run(async (wait) => ((await heldPoll(wait, null)) ? one : nothing), {
      pollMs: 60_000,
    });
    await sleep(100);
    const began = Date.now();
    await loop.stop();
    expect(Date.now() - began).toBeLessThan(200);
    expect(rounds).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it('stop() lets a delivery under way finish, and cuts short a pause', async () => {
    let finished = false;
    const { loop } = run(
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        finished = true;
        return one;
      },
      { pollMs: 60_000 },
    );
    await sleep(50);
    const stopped = loop.stop();
    await sleep(250);
    await stopped;
    expect(finished).toBe(true);

    const paused = run(
      async () => {
        throw new Error('server down');
      },
      { pollMs: 60_000 },
    );
    await sleep(50);
    const began = Date.now();
    await paused.loop.stop();
    expect(Date.now() - began).toBeLessThan(100);
    expect(paused.rounds).toHaveLength(1);
  });
});
