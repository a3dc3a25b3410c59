import type { Clock } from './clock.ts';
import type { IdFactory } from './ids.ts';
import { TRIGGER_ID_FORMAT, type TriggerCheck, TriggerStore } from './triggers.ts';

/**
 * `startSlackPeer({ triggers: 'lenient' })`, for load tests only: any well-formed trigger id
 * opens a view, however old and however often used. A benchmark signs thousands of
 * requests before a run and replays them for seconds, longer than a real trigger's 3 s.
 * A fresh, unused id the stand-in issued works as usual (its user, its view); any other
 * well-formed id opens a userless modal.
 * Malformed ids are refused as Slack would (`invalid_trigger_id`).
 */
export class LenientTriggerStore extends TriggerStore {
  constructor(
    private readonly time: Clock,
    ids: IdFactory,
  ) {
    super(time, ids);
  }

  override exchange(id: unknown): TriggerCheck {
    const strict = super.exchange(id);
    if (strict.ok || typeof id !== 'string' || !TRIGGER_ID_FORMAT.test(id)) return strict;
    return {
      ok: true,
      trigger: {
        id,
        issuedAt: this.time.now(),
        used: true,
        userId: undefined,
        viewId: undefined,
      },
    };
  }
}
