import type { types } from '@slack/bolt';
import type { PermissionCheck } from '../flows/checkPermission.ts';
import type { FlowDeps } from '../flows/deps.ts';
import type { Logger } from '../logger.ts';
import { restrictedHomeView } from '../views/homeView.ts';
import { homePage } from './homePage.ts';

/**
 * A burst of changes (a sweep marking many connections, a test, a delete) republishes
 * once: Slack allows views.publish about a hundred times a minute per workspace, and
 * each republish costs one call per viewer. The debounce is per process: when two
 * replicas both handle changes of a team, each republishes once, and that is harmless —
 * views.publish replaces the whole tab, so the same view published twice shows the same.
 */
const DEBOUNCE_MS = 2_000;
/** A bound on the calls one change costs; the viewers seen longest ago are forgotten first. */
const MAX_VIEWERS_PER_TEAM = 50;

type HomePage = Awaited<ReturnType<typeof homePage>>;

/** Publishes Home tabs and keeps the open ones current when connections change. */
export interface HomeRefresher {
  /**
   * Publishes one user's Home tab and remembers the page for republishing. Opening the
   * tab shows page 1, where the connections that need attention are.
   */
  show(who: { teamId: string; userId: string }, page?: number): Promise<void>;
  /**
   * A connection of this team changed: republish, soon and once, for its recent viewers.
   * They are kept in the store, so viewers who opened the tab through another replica
   * are republished too.
   */
  refresh(teamId: string): void;
  /** Drops pending republishes (shutdown). */
  stop(): void;
}

export interface HomeRefresherOptions {
  flows: FlowDeps;
  checkPermission: PermissionCheck;
  /** Bolt's `app.client` (what the composition root uses for everything). */
  client: { views: { publish(args: { user_id: string; view: types.HomeView }): Promise<unknown> } };
  logger: Logger;
  debounceMs?: number;
}

export function createHomeRefresher(options: HomeRefresherOptions): HomeRefresher {
  const { flows, logger } = options;
  const debounceMs = options.debounceMs ?? DEBOUNCE_MS;
  const timers = new Map<string, NodeJS.Timeout>();
  const runs = new Map<string, Promise<void>>();

  /**
   * Publishes `page` for one viewer. `seenAt`: when they opened the tab (now, for
   * `show`); `pages`: the pages one republish has built already, shared by its viewers.
   */
  const publish = async (
    teamId: string,
    userId: string,
    page: number,
    seen: { opened: true } | { opened: false; seenAt: number },
    pages?: Map<number, HomePage>,
  ) => {
    const allowed = await options.checkPermission(userId);
    let view: types.HomeView;
    let remember: () => Promise<void>;
    if (allowed.ok) {
      const shown = pages?.get(page) ?? (await homePage(flows, teamId, page));
      pages?.set(page, shown);
      view = shown.view;
      remember = seen.opened
        ? () =>
            flows.homeViewers.remember(
              teamId,
              { userId, page: shown.page, seenAt: flows.now() },
              MAX_VIEWERS_PER_TEAM,
            )
        : async () => {
            if (shown.page !== page) {
              await flows.homeViewers.movePage(teamId, {
                userId,
                page: shown.page,
                seenAt: seen.seenAt,
              });
            }
          };
    } else {
      view = restrictedHomeView(allowed.code);
      remember = () => flows.homeViewers.forget(teamId, [userId]);
    }
    try {
      // Before publishing, so that a change from here on republishes for them.
      await remember();
    } catch (error) {
      // Only the tab's later republishing is at stake: it is still shown.
      logger.warn({ err: error, userId }, 'could not remember the Home tab viewer');
    }
    try {
      await options.client.views.publish({ user_id: userId, view });
    } catch (error) {
      logger.warn({ err: error, userId }, 'could not publish the Home tab');
    }
  };

  const republish = async (teamId: string) => {
    // Most viewers are on page 1: each page is read and built once per republish.
    const pages = new Map<number, HomePage>();
    for (const viewer of await flows.homeViewers.recent(teamId, flows.now())) {
      await publish(
        teamId,
        viewer.userId,
        viewer.page,
        { opened: false, seenAt: viewer.seenAt },
        pages,
      );
    }
  };

  return {
    show: ({ teamId, userId }, page = 1) => publish(teamId, userId, page, { opened: true }),

    refresh(teamId) {
      if (timers.has(teamId)) return;
      const timer = setTimeout(() => {
        timers.delete(teamId);
        // One run per team at a time, so an older page never lands after a newer one.
        const previous = runs.get(teamId) ?? Promise.resolve();
        const run = previous
          .then(() => republish(teamId))
          .catch((error: unknown) => logger.error({ err: error, teamId }, 'Home refresh failed'))
          .finally(() => {
            if (runs.get(teamId) === run) runs.delete(teamId);
          });
        runs.set(teamId, run);
      }, debounceMs);
      timer.unref();
      timers.set(teamId, timer);
    },

    stop() {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}
