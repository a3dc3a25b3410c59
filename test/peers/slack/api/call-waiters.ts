interface Waiter<T> {
  key: string;
  count: number;
  resolve(item: T): void;
}

/**
 * Lets a test wait for what the bot does after its HTTP answer (Bolt acks first, then calls
 * the Web API or a response_url), without polling or sleeping: a waiter resolves when the
 * running count for its key reaches its target. Costs nothing while nobody waits.
 */
export class CountWaiters<T> {
  private waiters: Waiter<T>[] = [];

  /** `count` = how many of `key` have happened so far, this one included. */
  notify(key: string, count: number, item: T): void {
    if (this.waiters.length === 0) return;
    const ready = this.waiters.filter((w) => w.key === key && count >= w.count);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve(item);
  }

  /**
   * Resolves with the item that brings `key` to `count`; `now` says where the count stands
   * already. The timeout only turns a hang into a readable failure.
   */
  waitFor(
    key: string,
    count: number,
    now: { count: number; latest: T },
    timeoutMs: number,
  ): Promise<T> {
    if (now.count >= count) return Promise.resolve(now.latest);
    return new Promise((resolve, reject) => {
      const waiter: Waiter<T> = {
        key,
        count,
        resolve: (item) => {
          clearTimeout(timer);
          resolve(item);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(
          new Error(
            `waited ${timeoutMs} ms for ${key} #${count}; only ${now.count} before waiting`,
          ),
        );
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }
}
