import type { Connection } from '../../src/db/connectionsRepo.ts';
import { CLIENT_ID, CLIENT_SECRET, type Harness, ORG } from './harness.ts';

/**
 * Active connections without the browser steps: tokens issued by the Okta peer for the
 * harness's app and user, stored the way the callback stores them.
 */
export async function seedActiveConnections(
  h: Harness,
  count: number,
  options: {
    teamId?: string;
    notifyChannel?: string | null;
    prefix?: string;
    scopes?: string[];
    now?: number;
  } = {},
): Promise<Connection[]> {
  const teamId = options.teamId ?? h.slack.identity.teamId;
  const scopes = options.scopes ?? ['openid', 'offline_access', 'okta.users.read'];
  const made: Connection[] = [];
  for (let i = 0; i < count; i += 1) {
    const tokens = await h.okta.issueTokens({ clientId: CLIENT_ID, userId: h.oktaUserId, scopes });
    const created = h.bot.flows.connections.createPending({
      teamId,
      nickname: `${options.prefix ?? 'seed'}-${i}`,
      orgKind: 'other',
      domain: ORG,
      clientId: CLIENT_ID,
      scopeMode: 'custom',
      requestedScopes: scopes,
      createdBy: 'UADMIN1',
      notifyChannel: options.notifyChannel === undefined ? 'CALERTS' : options.notifyChannel,
    });
    if (!created.ok) throw new Error('seed: nickname taken');
    const active = h.bot.flows.connections.markActive(created.connection.id, {
      grantedScopes: tokens.scope.split(' '),
      accessToken: tokens.access_token ?? '',
      refreshToken: tokens.refresh_token ?? null,
      accessExpiresAt: (options.now ?? Date.now()) + tokens.expires_in * 1000,
      authorizedSub: h.oktaUserId,
      authorizedLogin: 'ada@acme.example',
      authorizedBy: 'UADMIN1',
      clientSecret: CLIENT_SECRET,
    });
    if (!active.ok) throw new Error('seed: could not activate');
    made.push(active.connection);
  }
  return made;
}

/** A clock the test moves: the bot's `now`. */
export function offsetClock() {
  let offset = 0;
  const now = () => Date.now() + offset;
  now.advance = (ms: number) => {
    offset += ms;
  };
  return now;
}
