export interface Repeating {
  /** No new run starts; resolves when the one under way, if any, has finished. */
  stop(): Promise<void>;
}

/**
 * Runs `work` now and then `everySeconds` after each run ends, so runs never overlap
 * however long one takes. A failure goes to `onError` and the next run happens as planned.
 */
export function repeatEvery(
  everySeconds: number,
  work: () => Promise<unknown>,
  onError: (error: unknown) => void,
): Repeating {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const run = () => {
    timer = undefined;
    running = work()
      .then(() => undefined, onError)
      .finally(() => {
        running = undefined;
        if (!stopped) timer = setTimeout(run, everySeconds * 1000);
      });
  };
  run();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
