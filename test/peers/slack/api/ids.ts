import { randomBytes } from 'node:crypto';
import type { Clock } from './clock.ts';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Identifier factories shaped like Slack's. Counters keep them unique and cheap (the
 * benchmark opens ~1,000 views a second); a random tail keeps them from looking guessable.
 */
export interface IdFactory {
  /** `V` + 10 upper-case characters, like `VMHU10V25`. */
  viewId(): string;
  /** `1569362015.55b5e41b`: seconds, then a random hex tail. Changes on every write. */
  viewHash(): string;
  /** `13345224609.738474920.8088930838d88f008e0`, the format Slack documents. */
  triggerId(): string;
  /** Message timestamps, strictly increasing even within one millisecond. */
  messageTs(): string;
  /** Slack fills in a missing `block_id`/`action_id` with a short random string. */
  shortId(): string;
  /** A URL-safe opaque token for response URLs. */
  opaque(): string;
}

/**
 * Shared by every stand-in in the process: Slack's view ids are unique across workspaces,
 * and the bot remembers submissions by view id, so two stand-ins (two tests' harnesses in
 * one process) must not hand out the same ones.
 */
let views = 0;

export function createIds(clock: Clock): IdFactory {
  let triggers = 0;
  let lastMicros = 0;
  return {
    viewId() {
      views += 1;
      return `V${views.toString(36).toUpperCase().padStart(10, '0')}`;
    },
    viewHash: () => `${seconds(clock)}.${randomBytes(4).toString('hex')}`,
    triggerId() {
      triggers += 1;
      return `${seconds(clock)}.${triggers}.${randomBytes(16).toString('hex')}`;
    },
    messageTs() {
      lastMicros = Math.max(clock.now() * 1000, lastMicros + 1);
      const whole = Math.floor(lastMicros / 1_000_000);
      return `${whole}.${String(lastMicros % 1_000_000).padStart(6, '0')}`;
    },
    shortId() {
      const bytes = randomBytes(5);
      let id = '';
      for (const byte of bytes) id += ALPHANUMERIC[byte % ALPHANUMERIC.length];
      return id;
    },
    opaque: () => randomBytes(12).toString('hex'),
  };
}

function seconds(clock: Clock): number {
  return Math.floor(clock.now() / 1000);
}
