import type { Clock } from './clock.ts';
import type { IdFactory } from './ids.ts';

/** Slack: "Triggers expire in three seconds" and "may only be used once". */
export const TRIGGER_LIFETIME_MS = 3000;

/** Old triggers are forgotten so a long benchmark does not grow memory without bound. */
const RETAIN_MS = 10 * 60_000;
const RETAIN_MAX = 200_000;

export interface Trigger {
  id: string;
  issuedAt: number;
  used: boolean;
  /** Who the interaction came from: views opened with it belong to them. */
  userId: string | undefined;
  /** The view the interaction happened in: `views.push` pushes onto its stack. */
  viewId: string | undefined;
}

export type TriggerCheck =
  | { ok: true; trigger: Trigger }
  | { ok: false; error: 'invalid_trigger_id' | 'expired_trigger_id' | 'exchanged_trigger_id' };

/** How Slack's trigger ids look: `13345224609.738474920.8088930838d88f008e0`. */
export const TRIGGER_ID_FORMAT = /^\d+\.\d+\.[0-9a-f]+$/;

export class TriggerStore {
  private readonly triggers = new Map<string, Trigger>();

  constructor(
    private readonly clock: Clock,
    private readonly ids: IdFactory,
  ) {}

  issue(context: { userId?: string; viewId?: string } = {}): string {
    const now = this.clock.now();
    this.forgetOld(now);
    const id = this.ids.triggerId();
    this.triggers.set(id, {
      id,
      issuedAt: now,
      used: false,
      userId: context.userId,
      viewId: context.viewId,
    });
    return id;
  }

  /** Uses up `id` if it is still good; otherwise says why Slack would refuse it. */
  exchange(id: unknown): TriggerCheck {
    if (typeof id !== 'string' || !TRIGGER_ID_FORMAT.test(id))
      return { ok: false, error: 'invalid_trigger_id' };
    const trigger = this.triggers.get(id);
    if (!trigger) return { ok: false, error: 'invalid_trigger_id' };
    if (trigger.used) return { ok: false, error: 'exchanged_trigger_id' };
    if (this.clock.now() - trigger.issuedAt >= TRIGGER_LIFETIME_MS) {
      return { ok: false, error: 'expired_trigger_id' };
    }
    trigger.used = true;
    return { ok: true, trigger };
  }

  // Map iteration follows insertion (= issue) order, so the oldest are always first.
  private forgetOld(now: number): void {
    for (const [id, trigger] of this.triggers) {
      const tooOld = now - trigger.issuedAt > RETAIN_MS;
      if (!tooOld && this.triggers.size < RETAIN_MAX) return;
      this.triggers.delete(id);
    }
  }
}
