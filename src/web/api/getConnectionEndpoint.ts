import { type ApiCall, type ApiContext, type ApiOutcome, jsonReply } from './apiEndpoint.ts';
import { connectionJson } from './connectionJson.ts';
import { findConnection } from './findConnection.ts';
import { refusedByKey } from './keyRights.ts';

/** `GET /api/connections/:nickname[?team=T…]`: one connection's metadata, no secret. */
export function getConnectionEndpoint(ctx: ApiContext) {
  return async (call: ApiCall): Promise<ApiOutcome> => {
    const found = await findConnection(ctx.flows, call, call.query.get('team'));
    if (!found.ok) return found.outcome;
    const { connection } = found;
    const refused = refusedByKey(call, { kind: 'metadata' }, connection);
    if (refused) return refused;
    return {
      reply: jsonReply(200, connectionJson(connection)),
      teamId: connection.teamId,
      connectionId: connection.id,
    };
  };
}
