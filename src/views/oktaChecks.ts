/**
 * The words of the checks the bot makes at Okta before the sign-in: whether the domain
 * answers as an Okta org (details step) and, on the setup page, whether the checks
 * could be made at all. Refusals found on the setup page are `FailureCode`s in
 * messages.ts, like every other failure the page shows.
 */
import type { ClientAuthMethod } from '../clientCredential.ts';
import type { SetupCheck } from '../flows/checkOktaApp.ts';
import type { OrgRefusal, OrgUnchecked } from '../okta/probeOrg.ts';
import type { AdminMessage } from './messages.ts';

const SPELLING = 'check the spelling in your Admin Console URL (the part before -admin)';

/** The field error on the domain when it does not answer as an Okta org. */
export function orgRefusalText(domain: string, reason: OrgRefusal): string {
  switch (reason) {
    case 'no_answer':
      return `${domain} does not answer as an Okta org (no server answered): ${SPELLING}.`;
    case 'not_found':
      return `${domain} does not answer as an Okta org (it answers 404 where an Okta org publishes its OpenID configuration): ${SPELLING}.`;
    case 'other_issuer':
      return `${domain} answers as another authorization server, not as the org https://${domain} itself: enter the org’s own domain (a custom authorization server cannot grant okta.* scopes).`;
    case 'not_okta':
      return `${domain} answers, but not as an Okta org: ${SPELLING}.`;
  }
}

const UNCHECKED_WHY: Record<OrgUnchecked, string> = {
  slow: 'it did not answer within 2 seconds',
  rate_limited: 'Okta is rate limiting the bot',
  unavailable: 'Okta answered with an error',
};

/** Shown on the next step when the details step could not check the domain. */
export function orgUncheckedNote(domain: string, reason: OrgUnchecked): string {
  return `The bot could not check that ${domain} answers as an Okta org (${UNCHECKED_WHY[reason]}); the setup page checks again before you sign in.`;
}

/** The setup page's notice when Okta could not be asked; the admin may go on regardless. */
export function checksUncheckedMessage(
  domain: string,
  unchecked: readonly SetupCheck[],
  method: ClientAuthMethod = 'client_secret_basic',
): AdminMessage {
  const credential =
    method === 'private_key_jwt' ? 'the client ID and the bot’s key' : 'the client ID and secret';
  const what = unchecked
    .map((check) => (check === 'credentials' ? credential : 'the redirect URI'))
    .join(' and ');
  return {
    title: 'Some checks could not be made',
    text: `${domain} did not answer the bot in time, so it could not check ${what} before the sign-in.`,
    next: 'Continue to Okta; if the sign-in fails, the result says why.',
  };
}
