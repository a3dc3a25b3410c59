import type { types } from '@slack/bolt';
import type { PermissionCheck } from '../flows/checkPermission.ts';
import type { FlowDeps } from '../flows/deps.ts';
import type { Logger } from '../logger.ts';
import { restrictedHomeView } from '../views/homeView.ts';
import { homePage } from './homePage.ts';

/**
 * A burst of changes (a sweep marking many connections, a test, a delete) republishes
 * once: Slack allows views.publish about a hundred times a minute per workspace, and
 * each republish costs one call per viewer.
 */
const DEBOUNCE_MS = 2_000;
/** Whoever opened the Home tab within this time is probably still looking at it. */
const RECENT_MS = 15 * 60 * 1000;
/** A bound on the calls one change costs; the oldest viewers are forgotten first. */
const MAX_VIEWERS_PER_TEAM = 50;

type HomePage = Awaited<ReturnType<typeof homePage>>;

/** Publishes Home tabs and keeps the open ones current when connections change. */
export interface HomeRefresher {
  /**
   * Publishes one user's Home tab and remembers the page for republishing. Opening the
   * tab shows page 1, where the connections that need attention are.
   */
  show(who: { teamId: string; userId: string }, page?: number): Promise<void>;
  /** A connection of this team changed: republish, soon and once, for its recent viewers. */
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
  const viewers = new Map<string, Map<string, { page: number; at: number }>>();
  const timers = new Map<string, NodeJS.Timeout>();
  const runs = new Map<string, Promise<void>>();

  /** `pages`: the pages one republish has built already, shared by its viewers. */
  const publish = async (
    teamId: string,
    userId: string,
    page: number,
    opened: boolean,
    pages?: Map<number, HomePage>,
  ) => {
    const allowed = await options.checkPermission(userId);
    const team = viewers.get(teamId) ?? new Map<string, { page: number; at: number }>();
    let view: types.HomeView;
    if (allowed.ok) {
      const shown = pages?.get(page) ?? (await homePage(flows, teamId, page));
      pages?.set(page, shown);
      view = shown.view;
      const at = opened ? flows.now() : (team.get(userId)?.at ?? flows.now());
      team.delete(userId);
      team.set(userId, { page: shown.page, at });
      if (team.size > MAX_VIEWERS_PER_TEAM) team.delete(team.keys().next().value as string);
      viewers.set(teamId, team);
    } else {
      view = restrictedHomeView(allowed.code);
      team.delete(userId);
    }
    try {
      await options.client.views.publish({ user_id: userId, view });
    } catch (error) {
      logger.warn({ err: error, userId }, 'could not publish the Home tab');
    }
  };

  const republish = async (teamId: string) => {
    const team = viewers.get(teamId);
    if (!team) return;
    const since = flows.now() - RECENT_MS;
    // Most viewers are on page 1: each page is read and built once per republish.
    const pages = new Map<number, HomePage>();
    for (const [userId, seen] of [...team]) {
      if (seen.at < since) team.delete(userId);
      else await publish(teamId, userId, seen.page, false, pages);
    }
    if (team.size === 0) viewers.delete(teamId);
  };

  return {
    show: ({ teamId, userId }, page = 1) => publish(teamId, userId, page, true),

    refresh(teamId) {
      if (!viewers.has(teamId) || timers.has(teamId)) return;
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
