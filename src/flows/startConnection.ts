import { type ClientAuthMethod, generateClientKey } from '../clientCredential.ts';
import type { Connection } from '../db/connectionsRepo.ts';
import { type FlowDeps, LINK_TTL_MS, setupLinkUrl } from './deps.ts';

export interface SetupLink {
  connection: Connection;
  url: string;
  expiresAt: number;
  requestedScopes: string[];
}

export interface NewConnectionInput {
  teamId: string;
  actor: string;
  orgKind: 'home' | 'other';
  nickname: string;
  domain: string;
  clientId: string;
  /** `private_key_jwt`: the bot makes the connection's key pair now, shown on the setup page. */
  clientAuth: ClientAuthMethod;
  notifyChannel: string | null;
  scopeMode: 'default' | 'custom';
  scopes: string[];
}

/**
 * The last step of the create wizard: a `pending` connection and its authorization
 * request, and the single-use setup link for the DM. The unique index decides a race
 * between two admins choosing the same nickname. Connection, request and audit entry are
 * one transaction: a bot killed in between leaves no pending connection without a link.
 */
export async function startConnection(
  deps: FlowDeps,
  input: NewConnectionInput,
): Promise<{ ok: true; link: SetupLink } | { ok: false; code: 'nickname_taken' }> {
  const clientKey = input.clientAuth === 'private_key_jwt' ? generateClientKey() : undefined;
  return await deps.connections.atomically(() => createWithLink(deps, input, clientKey));
}

async function createWithLink(
  deps: FlowDeps,
  input: NewConnectionInput,
  clientKey: ReturnType<typeof generateClientKey> | undefined,
): Promise<{ ok: true; link: SetupLink } | { ok: false; code: 'nickname_taken' }> {
  const created = await deps.connections.createPending({
    ...(clientKey ? { clientKey } : {}),
    teamId: input.teamId,
    nickname: input.nickname,
    orgKind: input.orgKind,
    domain: input.domain,
    clientId: input.clientId,
    scopeMode: input.scopeMode,
    requestedScopes: input.scopes,
    createdBy: input.actor,
    notifyChannel: input.notifyChannel,
  });
  if (!created.ok) return created;
  const { connection } = created;
  const expiresAt = deps.now() + LINK_TTL_MS;
  const { linkToken } = await deps.authRequests.create({
    connectionId: connection.id,
    teamId: input.teamId,
    purpose: 'create',
    scopeMode: input.scopeMode,
    requestedScopes: input.scopes,
    slackUserId: input.actor,
    expiresAt,
    connectionVersion: connection.version,
  });
  await deps.audit.record({
    teamId: input.teamId,
    connectionId: connection.id,
    actor: input.actor,
    action: 'connection.created',
    details: {
      nickname: connection.nickname,
      domain: connection.domain,
      scopes: input.scopes.length,
      clientAuth: connection.clientAuthMethod,
    },
  });
  return {
    ok: true,
    link: {
      connection,
      url: setupLinkUrl(deps.settings, linkToken),
      expiresAt,
      requestedScopes: input.scopes,
    },
  };
}
