import { and, eq, lte } from 'drizzle-orm';
import { type Clock, systemClock } from './clock.ts';
import type { Store } from './store.ts';

/**
 * Slack deliveries already answered (see `slack_deliveries` in schema.ts). The first
 * delivery of a key claims it with one INSERT that the primary key decides, so of two
 * replicas handling the same submission at once exactly one goes on.
 */
export function createDeliveriesRepo(store: Store, clock: Clock = systemClock) {
  const { db } = store;
  const { slackDeliveries } = store.tables;
  return store.serialize({
    /** True for the first delivery of `key` within `rememberMs` (an expired claim is free again). */
    async claim(key: string, rememberMs: number): Promise<boolean> {
      const now = clock();
      await db
        .delete(slackDeliveries)
        .where(and(eq(slackDeliveries.deliveryKey, key), lte(slackDeliveries.expiresAt, now)));
      const claimed = await db
        .insert(slackDeliveries)
        .values({ deliveryKey: key, createdAt: now, expiresAt: now + rememberMs })
        .onConflictDoNothing()
        .returning({ key: slackDeliveries.deliveryKey });
      return claimed.length === 1;
    },

    /** The answer stored for `key`: `null` while its first delivery is still being handled. */
    async answerOf(key: string): Promise<{ response: string | null } | null> {
      const [row] = await db
        .select({ response: slackDeliveries.response })
        .from(slackDeliveries)
        .where(eq(slackDeliveries.deliveryKey, key));
      return row ?? null;
    },

    async settle(key: string, response: string): Promise<void> {
      await db
        .update(slackDeliveries)
        .set({ response })
        .where(eq(slackDeliveries.deliveryKey, key));
    },

    /** Lets the next delivery of `key` through (an answer with field errors, corrected). */
    async forget(key: string): Promise<void> {
      await db.delete(slackDeliveries).where(eq(slackDeliveries.deliveryKey, key));
    },

    /** Housekeeping for the sweep; returns how many went. */
    async deleteExpired(now = clock()): Promise<number> {
      const gone = await db
        .delete(slackDeliveries)
        .where(lte(slackDeliveries.expiresAt, now))
        .returning({ key: slackDeliveries.deliveryKey });
      return gone.length;
    },
  });
}

export type DeliveriesRepo = ReturnType<typeof createDeliveriesRepo>;
