import type { ClientCredential } from '../clientCredential.ts';
import {
  type CredentialsCheck,
  checkClientCredentials,
  checkRedirectUri,
  type RedirectCheck,
} from '../okta/appChecks.ts';
import type { FlowDeps } from './deps.ts';

export interface AppCheckResults {
  credentials: CredentialsCheck;
  redirectUri: RedirectCheck;
}

/** What the checks can find wrong; each stops the admin before Okta, nothing stored. */
export type AppCheckRefusal =
  | 'secret_refused'
  | 'key_not_accepted'
  | 'client_unknown'
  | 'redirect_unregistered';

/** A setup-page check by name, for saying which could not be made. */
export type SetupCheck = 'credentials' | 'redirect_uri';

/** The checks Okta did not answer; the admin may go on without them. */
export function uncheckedOf(results: AppCheckResults): SetupCheck[] {
  return [
    ...(results.credentials === 'unchecked' ? (['credentials'] as const) : []),
    ...(results.redirectUri === 'unchecked' ? (['redirect_uri'] as const) : []),
  ];
}

/**
 * Before the setup page sends the admin to Okta: does Okta accept the client ID with
 * the secret or the connection's key, and is the bot's redirect URI registered for the
 * app? Both asked at once, answered in the audit (results only, never the credential).
 */
export async function checkOktaApp(
  deps: FlowDeps,
  input: {
    teamId: string;
    connectionId: string;
    actor: string;
    domain: string;
    clientId: string;
    credential: ClientCredential;
  },
): Promise<AppCheckResults> {
  const app = {
    domain: input.domain,
    clientId: input.clientId,
    redirectUri: deps.settings.redirectUri,
  };
  const [credentials, redirectUri] = await Promise.all([
    checkClientCredentials(deps.orgs, { ...app, credential: input.credential }),
    checkRedirectUri(deps.orgs, app),
  ]);
  await deps.audit.record({
    teamId: input.teamId,
    connectionId: input.connectionId,
    actor: input.actor,
    action: 'setup.checked_at_okta',
    details: { clientCheck: credentials, redirectUriCheck: redirectUri },
  });
  deps.logger.info(
    { connectionId: input.connectionId, credentials, redirectUri },
    'checked the Okta app before the sign-in',
  );
  return { credentials, redirectUri };
}
