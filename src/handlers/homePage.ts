import type { types } from '@slack/bolt';
import type { FlowDeps } from '../flows/deps.ts';
import { listApiKeys } from '../flows/manageApiKeys.ts';
import { GROUP_ORDER, HOME_PAGE_SIZE, type HomeGroup, homeView } from '../views/homeView.ts';
import { pageWindow } from './pageWindow.ts';

/**
 * One page (1-based, clamped) of the team's Home tab. The page's rows come from an index
 * in the Home tab's order (`connections_home_order_idx`) and the group counts from
 * `connection_counts` (kept by triggers), so a page costs the same at any size
 * (docs/benchmarks.md, "Costs that grow with the store").
 */
export async function homePage(
  flows: FlowDeps,
  teamId: string,
  page: number,
): Promise<{ page: number; view: types.HomeView }> {
  const ranks = await flows.connections.countHomeGroups(teamId);
  const counts = Object.fromEntries(
    GROUP_ORDER.map((group, rank) => [group, ranks[rank] ?? 0]),
  ) as Record<HomeGroup, number>;
  const total = ranks.reduce((sum, n) => sum + n, 0);
  const { page: current, pageCount, limit, offset } = pageWindow(total, HOME_PAGE_SIZE, page);
  return {
    page: current,
    view: homeView({
      connections: await flows.connections.listForHome(teamId, { limit, offset }),
      page: current,
      pageCount,
      counts,
      now: flows.now(),
      apiKeys: await listApiKeys(flows, teamId),
    }),
  };
}
