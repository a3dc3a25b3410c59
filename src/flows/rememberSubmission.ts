import type { FlowDeps } from './deps.ts';

/**
 * Remembers the answer to each final submission for a while, in the store, so that a
 * submission Slack delivers again (a retry after a late answer, a double click) gets the
 * same answer instead of a second connection and a second DM, whichever replica it
 * reaches.
 */
const REMEMBER_MS = 10 * 60 * 1000;
/**
 * How long a repeat waits for the first delivery's answer. Slack retries a submission
 * only after 3 s without an answer, so a first delivery still running by then is slow
 * or gone: the repeat answers within Slack's window rather than wait for it.
 */
const WAIT_FOR_FIRST_MS = 2_000;
const POLL_MS = 50;

export type Remembered<A> =
  | {
      seen: true;
      /** The first delivery's answer; `null` when it has not answered in time. */
      response: A | null;
    }
  | {
      seen: false;
      /** Keeps `response` as the answer to repeats of this submission. */
      settle<T extends A>(response: T): Promise<T>;
      /** Answers this once and lets a corrected resubmission through (field errors). */
      forget<T extends A>(response: T): Promise<T>;
    };

export async function rememberSubmission<A>(
  deps: Pick<FlowDeps, 'deliveries'>,
  viewId: string,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((done) => setTimeout(done, ms)),
): Promise<Remembered<A>> {
  const key = `view:${viewId}`;
  if (await deps.deliveries.claim(key, REMEMBER_MS)) {
    return {
      seen: false,
      async settle(response) {
        await deps.deliveries.settle(key, JSON.stringify(response));
        return response;
      },
      async forget(response) {
        await deps.deliveries.forget(key);
        return response;
      },
    };
  }
  for (let waited = 0; ; waited += POLL_MS) {
    const stored = await deps.deliveries.answerOf(key);
    // Forgotten meanwhile (field errors): the first delivery's answer no longer stands.
    if (stored === null) return { seen: true, response: null };
    // Written by `settle` above from the bot's own answer: JSON it made itself.
    if (stored.response !== null) return { seen: true, response: JSON.parse(stored.response) as A };
    if (waited >= WAIT_FOR_FIRST_MS) return { seen: true, response: null };
    await sleep(POLL_MS);
  }
}
