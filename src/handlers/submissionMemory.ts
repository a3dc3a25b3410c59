import type { ViewResponseAction } from '@slack/bolt';

/**
 * Remembers the answer to each final submission for a while, by view id, so that a
 * submission Slack delivers again (a retry, a double click) gets the same answer instead
 * of creating a second connection and a second DM.
 */
const REMEMBER_MS = 10 * 60 * 1000;
const MAX_REMEMBERED = 5_000;

type Ack = ViewResponseAction;

export type Remembered =
  | { seen: true; response: Ack }
  | {
      seen: false;
      /** Keeps `response` as the answer to repeats of this submission. */
      settle<T extends Ack>(response: T): T;
      /** Answers this once and lets a corrected resubmission through (field errors). */
      forget<T extends Ack>(response: T): T;
    };

/** One memory per bot: two bots in one process (tests) must not answer for each other. */
export function createSubmissionMemory() {
  const answers = new Map<string, { at: number; response: Promise<Ack> }>();
  return (viewId: string, now = Date.now()) => remember(answers, viewId, now);
}

function remember(
  answers: Map<string, { at: number; response: Promise<Ack> }>,
  viewId: string,
  now: number,
): Remembered | Promise<Remembered> {
  for (const [id, entry] of answers) {
    if (now - entry.at < REMEMBER_MS && answers.size <= MAX_REMEMBERED) break;
    answers.delete(id);
  }
  const known = answers.get(viewId);
  if (known) return known.response.then((response) => ({ seen: true as const, response }));
  let resolve!: (response: Ack) => void;
  const response = new Promise<Ack>((done) => {
    resolve = done;
  });
  answers.set(viewId, { at: now, response });
  return {
    seen: false,
    settle(answer) {
      resolve(answer);
      return answer;
    },
    forget(answer) {
      answers.delete(viewId);
      resolve(answer);
      return answer;
    },
  };
}
