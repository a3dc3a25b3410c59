import { type ClientCredential, keyCredential, secretCredential } from '../clientCredential.ts';
import type { Connection } from '../db/connectionsRepo.ts';
import type { FlowDeps } from './deps.ts';

/**
 * What the bot authenticates with for `connection`: its key pair (the current one, or
 * the pending one of a rotation) or its stored secret. `null` when nothing is stored.
 * The private key or secret is opened for this one use.
 */
export async function storedCredential(
  deps: Pick<FlowDeps, 'connections'>,
  connection: Connection,
  which: 'current' | 'pending' = 'current',
): Promise<ClientCredential | null> {
  if (connection.clientAuthMethod === 'private_key_jwt') {
    const pending = which === 'pending';
    const jwk = pending ? connection.pendingClientKey?.jwk : connection.clientKey;
    const name = pending ? 'pendingPrivateKey' : 'clientPrivateKey';
    const privateKey = (await deps.connections.readSecrets(connection.id, [name]))?.[name];
    return jwk && privateKey ? keyCredential(privateKey, jwk.kid) : null;
  }
  if (which === 'pending') return null;
  const secrets = await deps.connections.readSecrets(connection.id, ['clientSecret']);
  return secrets?.clientSecret ? secretCredential(secrets.clientSecret) : null;
}
