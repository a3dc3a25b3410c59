import { and, desc, eq, gte, inArray, lt, notInArray } from 'drizzle-orm';
import type { Store } from './store.ts';

/** Whoever opened the Home tab within this time is probably still looking at it. */
export const HOME_VIEWER_RECENT_MS = 15 * 60 * 1000;

export interface HomeViewer {
  userId: string;
  page: number;
  seenAt: number;
}

/**
 * Who looks at the bot's Home tab in each workspace, and on which page (`home_viewers`
 * in schema.ts), shared by the replicas: the one that handles a change republishes the
 * tabs opened through any of them.
 */
export function createHomeViewersRepo(store: Store) {
  const { db } = store;
  const { homeViewers } = store.tables;
  return store.serialize({
    /**
     * Remembers that `userId` is on `page`, seen at `seenAt`; keeps the `maxPerTeam` seen
     * most recently in the team and forgets the others.
     */
    async remember(teamId: string, viewer: HomeViewer, maxPerTeam: number): Promise<void> {
      await db
        .insert(homeViewers)
        .values({ teamId, ...viewer })
        .onConflictDoUpdate({
          target: [homeViewers.teamId, homeViewers.userId],
          set: { page: viewer.page, seenAt: viewer.seenAt },
        });
      const kept = db
        .select({ userId: homeViewers.userId })
        .from(homeViewers)
        .where(eq(homeViewers.teamId, teamId))
        .orderBy(desc(homeViewers.seenAt), desc(homeViewers.userId))
        .limit(maxPerTeam);
      await db
        .delete(homeViewers)
        .where(and(eq(homeViewers.teamId, teamId), notInArray(homeViewers.userId, kept)));
    },

    /** The team's viewers seen within HOME_VIEWER_RECENT_MS of `now`, most recent first. */
    async recent(teamId: string, now: number): Promise<HomeViewer[]> {
      return db
        .select({
          userId: homeViewers.userId,
          page: homeViewers.page,
          seenAt: homeViewers.seenAt,
        })
        .from(homeViewers)
        .where(
          and(eq(homeViewers.teamId, teamId), gte(homeViewers.seenAt, now - HOME_VIEWER_RECENT_MS)),
        )
        .orderBy(desc(homeViewers.seenAt), desc(homeViewers.userId));
    },

    /**
     * Moves a viewer to the page a republish showed (fewer connections, fewer pages),
     * unless they opened the tab again meanwhile (their `seenAt` changed).
     */
    async movePage(teamId: string, viewer: HomeViewer): Promise<void> {
      await db
        .update(homeViewers)
        .set({ page: viewer.page })
        .where(
          and(
            eq(homeViewers.teamId, teamId),
            eq(homeViewers.userId, viewer.userId),
            eq(homeViewers.seenAt, viewer.seenAt),
          ),
        );
    },

    /** Forgets viewers (one who may no longer see the connections, say). */
    async forget(teamId: string, userIds: readonly string[]): Promise<void> {
      if (userIds.length === 0) return;
      await db
        .delete(homeViewers)
        .where(and(eq(homeViewers.teamId, teamId), inArray(homeViewers.userId, [...userIds])));
    },

    /** Housekeeping for the sweep: viewers not seen for a while; returns how many went. */
    async deleteExpired(now: number): Promise<number> {
      const gone = await db
        .delete(homeViewers)
        .where(lt(homeViewers.seenAt, now - HOME_VIEWER_RECENT_MS))
        .returning({ userId: homeViewers.userId });
      return gone.length;
    },
  });
}

export type HomeViewersRepo = ReturnType<typeof createHomeViewersRepo>;
