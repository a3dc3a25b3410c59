import type { Connection, ConnectionsRepo } from '../../src/db/connectionsRepo.ts';
import type { OktaPeer } from '../peers/okta/index.ts';
import { CLIENT_ID, CLIENT_SECRET, type Harness, ORG } from './harness.ts';

export interface SeedOptions {
  notifyChannel?: string | null;
  prefix?: string;
  scopes?: string[];
  /** When the access tokens were issued (default now); they expire when Okta says. */
  now?: number;
  /** When the access tokens expire, whatever Okta says: near now makes them due. */
  accessExpiresAt?: number;
}

/**
 * Active connections without the browser steps: tokens issued by the Okta peer for the
 * harness's app and user, stored the way the callback stores them.
 */
export function seedActiveConnections(
  h: Harness,
  count: number,
  options: SeedOptions & { teamId?: string } = {},
): Promise<Connection[]> {
  const teamId = options.teamId ?? h.slack.identity.teamId;
  return seedActive(
    { okta: h.okta, oktaUserId: h.oktaUserId, teamId },
    h.bot.flows.connections,
    count,
    options,
  );
}

/**
 * `seedActiveConnections` for any store of connections: the resilience suites write
 * into the database file of bots running in child processes.
 */
export async function seedActive(
  org: { okta: OktaPeer; oktaUserId: string; teamId: string },
  connections: ConnectionsRepo,
  count: number,
  options: SeedOptions = {},
): Promise<Connection[]> {
  const scopes = options.scopes ?? ['openid', 'offline_access', 'okta.users.read'];
  const made: Connection[] = [];
  for (let i = 0; i < count; i += 1) {
    const tokens = await org.okta.issueTokens({
      clientId: CLIENT_ID,
      userId: org.oktaUserId,
      scopes,
    });
    const created = await connections.createPending({
      teamId: org.teamId,
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
    const active = await connections.markActive(created.connection.id, {
      grantedScopes: tokens.scope.split(' '),
      accessToken: tokens.access_token ?? '',
      refreshToken: tokens.refresh_token ?? null,
      accessExpiresAt:
        options.accessExpiresAt ?? (options.now ?? Date.now()) + tokens.expires_in * 1000,
      authorizedSub: org.oktaUserId,
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
