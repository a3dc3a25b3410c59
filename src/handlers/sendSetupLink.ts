import type { SetupLink } from '../flows/startConnection.ts';
import { setupLinkMessage } from '../views/setupLinkMessage.ts';
import type { HandlerDeps } from './deps.ts';

/** DMs the admin the single-use link to the setup page (create or reauthorize). */
export function sendSetupLink(
  deps: HandlerDeps,
  userId: string,
  link: SetupLink,
  purpose: 'create' | 'reauthorize',
  unknownScopes: readonly string[],
): Promise<boolean> {
  return deps.notifier.dm(
    userId,
    setupLinkMessage({
      nickname: link.connection.nickname,
      domain: link.connection.domain,
      url: link.url,
      expiresAt: link.expiresAt,
      purpose,
      usesKeyPair: link.connection.clientAuthMethod === 'private_key_jwt',
      requestedScopes: link.requestedScopes,
      unknownScopes,
    }),
  );
}
