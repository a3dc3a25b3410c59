import { freshAccessToken } from '../../flows/freshAccessToken.ts';
import { type ApiCall, type ApiContext, type ApiOutcome, jsonReply } from './apiEndpoint.ts';
import { findConnection } from './findConnection.ts';
import { refusedByKey } from './keyRights.ts';
import { tokenProblemReply } from './tokenProblemReply.ts';

/**
 * `POST /api/connections/:nickname/token[?team=T…]`: an access token with more than ten
 * minutes left, refreshed first when needed, shaped like an OAuth token response so that
 * tools can hand it to an Okta SDK. 409 when the connection needs an admin.
 */
export function tokenEndpoint(ctx: ApiContext) {
  return async (call: ApiCall): Promise<ApiOutcome> => {
    const found = await findConnection(ctx.flows, call, call.query.get('team'));
    if (!found.ok) return found.outcome;
    const { connection } = found;
    const refused = refusedByKey(call, { kind: 'token' }, connection);
    if (refused) return refused;
    const audited = { teamId: connection.teamId, connectionId: connection.id };
    const token = await freshAccessToken(ctx.flows, ctx.alerts, connection, { owner: ctx.owner });
    if (!token.ok) {
      return { ...audited, reply: tokenProblemReply(token), details: { problem: token.code } };
    }
    const { expiresAt } = token;
    return {
      ...audited,
      reply: jsonReply(200, {
        access_token: token.accessToken,
        token_type: 'Bearer',
        expires_at: expiresAt === null ? null : new Date(expiresAt).toISOString(),
        expires_in:
          expiresAt === null ? null : Math.max(0, Math.floor((expiresAt - ctx.flows.now()) / 1000)),
        scope: token.connection.grantedScopes.join(' '),
      }),
      details: { refreshed: token.refreshed },
    };
  };
}
