import { LIST_PAGE_SIZE, listMessage } from '../views/listMessage.ts';
import type { HandlerDeps } from './deps.ts';

/** One page (1-based) of the team's connections, as an ephemeral message. */
export function listPage(deps: HandlerDeps, teamId: string, page: number) {
  const total = deps.flows.connections.countByTeam(teamId);
  const pageCount = Math.max(1, Math.ceil(total / LIST_PAGE_SIZE));
  const current = Math.min(Math.max(1, Math.trunc(page) || 1), pageCount);
  const connections = deps.flows.connections.listByTeam(teamId, {
    limit: LIST_PAGE_SIZE,
    offset: (current - 1) * LIST_PAGE_SIZE,
  });
  return {
    response_type: 'ephemeral' as const,
    ...listMessage({ connections, page: current, pageCount, total, now: deps.flows.now() }),
  };
}
