/**
 * Work the bot has started and not finished, so that shutdown can wait for it. Slack's
 * requests are answered first (Slack allows 3 seconds) and worked on after: a test's
 * result goes to the response_url, a modal opens, a setup link is DM'd. Closing the
 * database and exiting once the HTTP answers are out would drop that work in the middle
 * of a rolling deploy.
 */
export interface WorkUnderWay {
  /** Runs `work`, counted as under way until it settles. */
  track<T>(work: () => Promise<T>): Promise<T>;
  /** Resolves true once nothing is under way, or false after `timeoutMs`. */
  settled(timeoutMs: number): Promise<boolean>;
  size(): number;
}

export function createWorkUnderWay(): WorkUnderWay {
  let count = 0;
  const waiting = new Set<() => void>();
  return {
    async track(work) {
      count += 1;
      try {
        return await work();
      } finally {
        count -= 1;
        if (count === 0) for (const wake of waiting) wake();
      }
    },
    settled(timeoutMs) {
      if (count === 0) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => done(false), timeoutMs);
        timer.unref();
        const done = (idle: boolean) => {
          clearTimeout(timer);
          waiting.delete(wake);
          resolve(idle);
        };
        const wake = () => done(true);
        waiting.add(wake);
      });
    },
    size: () => count,
  };
}
