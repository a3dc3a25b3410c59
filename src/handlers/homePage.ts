import type { types } from '@slack/bolt';
import type { FlowDeps } from '../flows/deps.ts';
import {
  HOME_PAGE_SIZE,
  type HomeGroup,
  homeGroupOf,
  homeOrder,
  homeView,
} from '../views/homeView.ts';

/**
 * One page (1-based, clamped) of the team's Home tab. The whole team is read and sorted
 * here because the order is by status group, which the database does not index; a
 * workspace has hundreds of connections at most, not millions.
 */
export function homePage(
  flows: FlowDeps,
  teamId: string,
  page: number,
): { page: number; view: types.HomeView } {
  const total = flows.connections.countByTeam(teamId);
  const all = flows.connections.listByTeam(teamId, { limit: total, offset: 0 }).sort(homeOrder);
  const counts: Record<HomeGroup, number> = {
    needs_reauth: 0,
    attention: 0,
    failed: 0,
    pending: 0,
    active: 0,
  };
  for (const connection of all) counts[homeGroupOf(connection)] += 1;
  const pageCount = Math.max(1, Math.ceil(all.length / HOME_PAGE_SIZE));
  const current = Math.min(Math.max(1, Math.trunc(page) || 1), pageCount);
  const start = (current - 1) * HOME_PAGE_SIZE;
  return {
    page: current,
    view: homeView({
      connections: all.slice(start, start + HOME_PAGE_SIZE),
      page: current,
      pageCount,
      counts,
      now: flows.now(),
    }),
  };
}
