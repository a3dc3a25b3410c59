import { z } from 'zod';
import type { Connection } from '../../db/connectionsRepo.ts';
import { type ApiCall, type ApiContext, type ApiOutcome, jsonReply } from './apiEndpoint.ts';
import { slackTeamId } from './apiKeys.ts';
import { connectionJson } from './connectionJson.ts';
import { badRequest } from './findConnection.ts';

const listQuery = z.object({
  team: slackTeamId.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

/**
 * `GET /api/connections[?team=T…&limit=&offset=]`: the connections this key may see,
 * metadata only, by team then nickname. `next_offset` is null on the last page.
 */
export function listConnectionsEndpoint(ctx: ApiContext) {
  return async (call: ApiCall): Promise<ApiOutcome> => {
    const query = listQuery.safeParse(Object.fromEntries(call.query));
    if (!query.success) return badRequest(query.error, call.key.teamId);
    const { team, limit, offset } = query.data;
    const teamId = call.key.teamId ?? team ?? null;
    // A team key asking for another team sees nothing, as if that team had no connections.
    const foreign = call.key.teamId !== null && team !== undefined && team !== call.key.teamId;
    const page = { limit: limit + 1, offset };
    const chosen = call.key.connectionIds;
    const rows = foreign
      ? []
      : chosen !== null
        ? (await chosenConnections(ctx, teamId ?? '', chosen)).slice(offset, offset + limit + 1)
        : teamId === null
          ? await ctx.flows.connections.listAllTeams(page)
          : await ctx.flows.connections.listByTeam(teamId, page);
    const shown = rows.slice(0, limit);
    return {
      reply: jsonReply(200, {
        connections: shown.map(connectionJson),
        next_offset: rows.length > limit ? offset + limit : null,
      }),
      teamId,
      details: { count: shown.length },
    };
  };
}

/** A key limited to chosen connections lists those alone (at most 100), by nickname. */
async function chosenConnections(
  ctx: ApiContext,
  teamId: string,
  ids: ReadonlySet<string>,
): Promise<Connection[]> {
  const found: Connection[] = [];
  for (const id of ids) {
    const connection = await ctx.flows.connections.findById(teamId, id);
    if (connection) found.push(connection);
  }
  return found.sort((a, b) => a.nickname.localeCompare(b.nickname));
}
