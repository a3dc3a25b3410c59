import { revokeTokens } from '../okta/authorizationCode.ts';
import { storedCredential } from './clientCredentials.ts';
import type { FlowDeps } from './deps.ts';

export type DeleteOutcome =
  | { ok: true; nickname: string; revoked: number }
  | { ok: false; code: 'not_found' }
  | { ok: false; code: 'revoke_failed'; nickname: string; reason: string };

/**
 * Deleting (design §5): the tokens are revoked at Okta's `/oauth2/v1/revoke` first —
 * a token left valid at Okta after the bot forgot it is the worst outcome — then the
 * secrets are wiped and the status becomes `deleted`. If Okta cannot be reached,
 * nothing is deleted and the admin is told to try again.
 */
export async function deleteConnection(
  deps: FlowDeps,
  input: { teamId: string; actor: string; connectionId: string },
): Promise<DeleteOutcome> {
  const connection = await deps.connections.findById(input.teamId, input.connectionId);
  if (!connection) return { ok: false, code: 'not_found' };
  const credential = await storedCredential(deps, connection);
  const secrets = await deps.connections.readSecrets(connection.id, [
    'accessToken',
    'refreshToken',
  ]);
  let revoked = 0;
  if (credential && secrets) {
    const result = await revokeTokens(deps.orgs, {
      domain: connection.domain,
      clientId: connection.clientId,
      credential,
      refreshToken: secrets.refreshToken,
      accessToken: secrets.accessToken,
    });
    revoked = result.revoked;
    // A refused client (its secret was rotated or the app removed in Okta) cannot
    // revoke; its refresh token is useless without a valid secret and its access token
    // lapses within the hour, so deleting is still the right end. Anything else (Okta
    // unreachable) keeps the connection: a token left valid at Okta is worse.
    if (result.error && result.error.code !== 'invalid_client') {
      deps.logger.warn(
        { err: result.error, connectionId: connection.id },
        'revocation failed; not deleting',
      );
      return {
        ok: false,
        code: 'revoke_failed',
        nickname: connection.nickname,
        reason: result.error.code,
      };
    }
  }
  const deleted = await deps.connections.markDeleted(connection.id);
  if (!deleted.ok) return { ok: false, code: 'not_found' };
  await deps.apiKeys.forgetConnection(connection.id);
  await deps.audit.record({
    teamId: input.teamId,
    connectionId: connection.id,
    actor: input.actor,
    action: 'connection.deleted',
    details: { nickname: connection.nickname, revoked },
  });
  return { ok: true, nickname: connection.nickname, revoked };
}
