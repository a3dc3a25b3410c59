import { LIST_PAGE_SIZE, listMessage } from '../views/listMessage.ts';
import type { HandlerDeps } from './deps.ts';
import { pageWindow } from './pageWindow.ts';

/** One page (1-based) of the team's connections, as an ephemeral message. */
export async function listPage(deps: HandlerDeps, teamId: string, page: number) {
  const total = await deps.flows.connections.countByTeam(teamId);
  const { page: current, pageCount, limit, offset } = pageWindow(total, LIST_PAGE_SIZE, page);
  const connections = await deps.flows.connections.listByTeam(teamId, { limit, offset });
  return {
    response_type: 'ephemeral' as const,
    ...listMessage({ connections, page: current, pageCount, total, now: deps.flows.now() }),
  };
}
