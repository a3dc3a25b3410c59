import { generateClientKey, type PublicKeyJwk } from '../clientCredential.ts';
import type { Connection } from '../db/connectionsRepo.ts';
import { checkClientCredentials } from '../okta/appChecks.ts';
import { storedCredential } from './clientCredentials.ts';
import type { FlowDeps } from './deps.ts';

/**
 * Rotating a key-pair connection's key (design: issue 11 §3). Okta lets an app hold
 * several public keys, so the rotation never breaks the connection: a new key is made
 * and waits as pending while the admin adds its public half in Okta; on the admin's word
 * the bot asks Okta whether it accepts the new key, and only then switches to it and
 * forgets the old private key. The admin then removes the old public key in Okta.
 */

export interface RotationTarget {
  teamId: string;
  actor: string;
  connectionId: string;
}

export type RotationStart =
  | { ok: true; connection: Connection; pending: PublicKeyJwk; currentKeyId: string }
  | { ok: false; code: 'not_found' | 'not_key_pair'; connection?: Connection };

/** The target connection, when it exists and authenticates with a key pair. */
async function keyPairConnection(deps: FlowDeps, target: RotationTarget) {
  const connection = await deps.connections.findById(target.teamId, target.connectionId);
  if (!connection) return { ok: false, code: 'not_found' } as const;
  const key = connection.clientAuthMethod === 'private_key_jwt' ? connection.clientKey : null;
  if (!key) return { ok: false, code: 'not_key_pair', connection } as const;
  return { ok: true, connection, currentKeyId: key.kid } as const;
}

async function audit(
  deps: FlowDeps,
  target: RotationTarget,
  action: string,
  details: Record<string, string>,
) {
  await deps.audit.record({
    teamId: target.teamId,
    connectionId: target.connectionId,
    actor: target.actor,
    action,
    details,
  });
}

/** Makes the pending key, or shows the one already pending so a key pasted in Okta stays good. */
export async function startKeyRotation(
  deps: FlowDeps,
  target: RotationTarget,
): Promise<RotationStart> {
  const found = await keyPairConnection(deps, target);
  if (!found.ok) return found;
  const { connection, currentKeyId } = found;
  if (connection.pendingClientKey) {
    return { ok: true, connection, pending: connection.pendingClientKey.jwk, currentKeyId };
  }
  const key = generateClientKey();
  const stored = await deps.connections.storePendingKey(connection.id, key);
  if (!stored) return { ok: false, code: 'not_found' };
  await audit(deps, target, 'client_key.rotation_started', { newKeyId: key.keyId, currentKeyId });
  return { ok: true, connection: stored, pending: key.publicJwk, currentKeyId };
}

export type RotationFinish =
  | { ok: true; connection: Connection; newKeyId: string; oldKeyId: string }
  | {
      ok: false;
      code:
        | 'not_found'
        | 'not_key_pair'
        | 'rotation_stale'
        | 'key_not_in_okta'
        | 'okta_unreachable';
      connection?: Connection;
    };

/** The admin says Okta has the key `keyId`: the bot checks that Okta accepts it, then switches. */
export async function confirmKeyRotation(
  deps: FlowDeps,
  target: RotationTarget & { keyId: string },
): Promise<RotationFinish> {
  const found = await keyPairConnection(deps, target);
  if (!found.ok) return found;
  const { connection, currentKeyId: oldKeyId } = found;
  if (connection.pendingClientKey?.jwk.kid !== target.keyId) {
    return { ok: false, code: 'rotation_stale', connection };
  }
  const credential = await storedCredential(deps, connection, 'pending');
  if (!credential) return { ok: false, code: 'rotation_stale', connection };
  const verdict = await checkClientCredentials(deps.orgs, {
    domain: connection.domain,
    clientId: connection.clientId,
    credential,
    redirectUri: deps.settings.redirectUri,
  });
  if (verdict === 'unchecked') {
    deps.logger.warn({ connectionId: connection.id }, 'could not check the new key');
    return { ok: false, code: 'okta_unreachable', connection };
  }
  if (verdict === 'refused') return { ok: false, code: 'key_not_in_okta', connection };
  const switched = await deps.connections.promotePendingKey(connection.id, target.keyId);
  if (!switched) return { ok: false, code: 'rotation_stale', connection };
  await audit(deps, target, 'client_key.rotated', { newKeyId: target.keyId, oldKeyId });
  return { ok: true, connection: switched, newKeyId: target.keyId, oldKeyId };
}

/** Abandons the rotation: the current key stays, the pending private key is erased. */
export async function cancelKeyRotation(
  deps: FlowDeps,
  target: RotationTarget,
): Promise<{ ok: boolean; connection: Connection | null }> {
  const connection = await deps.connections.findById(target.teamId, target.connectionId);
  if (!connection?.pendingClientKey) return { ok: false, connection };
  const dropped = await deps.connections.dropPendingKey(connection.id);
  if (dropped) {
    await audit(deps, target, 'client_key.rotation_cancelled', {
      droppedKeyId: connection.pendingClientKey.jwk.kid,
    });
  }
  return { ok: dropped !== null, connection: dropped ?? connection };
}
