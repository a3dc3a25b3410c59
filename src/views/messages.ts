/**
 * One place for the words an admin reads: every error and warning code maps to one
 * message that says what happened and what to do. Slack messages, modals and the web
 * pages all take their text from here. Texts are plain; callers escape them for mrkdwn
 * or HTML, and values interpolated here are facts the bot produced (scope names,
 * domains parsed by `parseOktaDomain`, times), never raw user input.
 */

export interface AdminMessage {
  title: string;
  /** What happened. */
  text: string;
  /** What to do next. */
  next: string;
}

export type FailureCode =
  | 'link_unknown'
  | 'link_expired'
  | 'link_used'
  | 'secret_missing'
  | 'secret_malformed'
  | 'secret_refused'
  | 'key_not_accepted'
  | 'client_unknown'
  | 'redirect_unregistered'
  | 'cookies_blocked'
  | 'origin_refused'
  | 'state_missing'
  | 'state_unknown'
  | 'state_used'
  | 'state_expired'
  | 'browser_mismatch'
  | 'invalid_scope'
  | 'consent_required'
  | 'user_not_assigned'
  | 'cancelled'
  | 'invalid_client'
  | 'key_refused'
  | 'unauthorized_client'
  | 'invalid_grant'
  | 'okta_unreachable'
  | 'okta_unavailable'
  | 'okta_rate_limited'
  | 'okta_bad_response'
  | 'okta_error'
  | 'reauth_conflict'
  | 'connection_gone'
  | 'not_allowed'
  | 'role_unknown';

/** What was wrong with an answer from Okta that failed the bot's checks. */
export type BadAnswer =
  | 'not_json'
  | 'no_access_token'
  | 'id_token_signature'
  | 'id_token_issuer'
  | 'id_token_nonce'
  | 'id_token_claims'
  | 'unreadable';

export interface FailureFacts {
  nickname?: string;
  domain?: string;
  scope?: string;
  description?: string;
  command?: string;
  badAnswer?: BadAnswer;
  clientId?: string;
  /** The bot's redirect URI, for the admin to add to the app exactly. */
  redirectUri?: string;
}

/** One sentence per check an answer from Okta can fail, naming the org. */
function badAnswerText(problem: BadAnswer | undefined, org: string): string {
  switch (problem) {
    case 'not_json':
      return `${org} answered with a web page or other text where an Okta org answers with JSON: something other than the Okta org (a proxy, a custom domain page) answered.`;
    case 'no_access_token':
      return `${org} answered the sign-in without an access token.`;
    case 'id_token_signature':
      return `The ID token from ${org} is not signed by any of the org’s published keys.`;
    case 'id_token_issuer':
      return `The ID token from ${org} was issued by another authorization server (a custom one such as /oauth2/default, not the org’s own).`;
    case 'id_token_nonce':
      return `The ID token from ${org} does not belong to this sign-in: its nonce is not the one the bot sent.`;
    case 'id_token_claims':
      return `The ID token from ${org} did not pass the bot’s checks (issuer, audience, times).`;
    default:
      return `The answer from ${org} was not what an Okta org sends (for example an ID token that does not verify).`;
  }
}

/** The setup page's field error on the secret when Okta refused it. */
export const secretRefusedText =
  'Okta refused this client ID and secret: copy the secret again from the app’s General tab.';

/** The same under a key-pair connection's public key when Okta does not have it yet. */
export const keyNotAcceptedText =
  'Okta does not accept the bot’s key yet: add the public key above under Client Credentials → Public keys → Add key, then try again.';

const REDO = 'Run `/okta-connect` in Slack to start again.';

export function failureMessage(code: FailureCode, facts: FailureFacts = {}): AdminMessage {
  const org = facts.domain ?? 'your Okta org';
  const reauth = facts.nickname ? `\`/okta-connect reauth ${facts.nickname}\`` : '`/okta-connect`';
  switch (code) {
    case 'link_unknown':
      return {
        title: 'This link is not valid',
        text: 'The bot does not know this setup link. It may have been copied incompletely.',
        next: `Open the link from your DM with the bot, or ${REDO.toLowerCase()}`,
      };
    case 'link_expired':
      return {
        title: 'This link has expired',
        text: 'Setup links work for 15 minutes, and this one is older.',
        next: `Get a new one with ${reauth} in Slack.`,
      };
    case 'link_used':
      return {
        title: 'This link was already used',
        text: 'Each setup link works once, and this one has been used to start a sign-in.',
        next: `If that sign-in did not finish, get a new link with ${reauth} in Slack.`,
      };
    case 'secret_missing':
      return {
        title: 'Enter the client secret',
        text: 'The client secret is needed to finish the sign-in with Okta.',
        next: 'Copy it from the app’s General tab in the Okta Admin Console (Client Credentials).',
      };
    case 'secret_malformed':
      return {
        title: 'That does not look like a client secret',
        text: 'Okta client secrets are one word of letters, digits, - and _, up to 200 characters, without spaces.',
        next: 'Copy the secret again from the app’s General tab (Client Credentials) and paste it as it is.',
      };
    case 'secret_refused':
      return {
        title: 'Okta refused this client ID and secret',
        text: `Okta refused this client ID and secret (invalid_client). Nothing was stored, and this link still works.`,
        next: 'Copy the secret again from the app’s General tab (Client Credentials) and enter it here.',
      };
    case 'key_not_accepted':
      return {
        title: 'Okta does not accept the bot’s key yet',
        text: 'Okta refused the bot’s key for this client ID (invalid_client): the app does not have the public key shown on this page, or does not use Public key / Private key. Nothing was stored, and this link still works.',
        next: 'On the app’s General tab (Client Credentials), set Client authentication to Public key / Private key and add the public key under Public keys → Add key, then continue here.',
      };
    case 'client_unknown':
      return {
        title: 'Okta does not know this client ID',
        text: `${org} has no app with the client ID ${facts.clientId ?? 'entered in Slack'}. Nothing was stored.`,
        next: `Copy the client ID from the app’s General tab and start again: ${REDO}`,
      };
    case 'redirect_unregistered':
      return {
        title: 'The redirect URI is not registered in Okta',
        text: `The app in ${org} does not list ${facts.redirectUri ?? 'the bot’s redirect URI'} as a Sign-in redirect URI, so Okta would refuse to send you back. Nothing was stored, and this link still works.`,
        next: 'On the app’s General tab add it exactly as shown below under Sign-in redirect URIs, save, then continue here.',
      };
    case 'cookies_blocked':
      return {
        title: 'Your browser did not send the bot’s cookie',
        text: 'This page sets a cookie that ties the Okta sign-in to this browser, and it did not come back. Cookies may be blocked for this site.',
        next: 'Allow cookies for this site (or leave private browsing), then open the link from your DM again.',
      };
    case 'origin_refused':
      return {
        title: 'The form was sent from another site',
        text: 'The setup form only accepts submissions from the bot’s own page.',
        next: 'Open the link from your DM with the bot and submit the form there.',
      };
    case 'state_missing':
      return {
        title: 'This sign-in cannot be finished',
        text: 'Okta sent the browser back without the state the bot needs to match the sign-in.',
        next: `Start from the link in your DM. ${REDO}`,
      };
    case 'state_unknown':
      return {
        title: 'This sign-in was not started by the bot',
        text: 'The bot has no record of this sign-in. The attempt has been recorded.',
        next: `Start from the link in your DM. ${REDO}`,
      };
    case 'state_used':
      return {
        title: 'This sign-in was already completed',
        text: 'The bot already used this answer from Okta; it cannot be used twice.',
        next: 'Check your DM with the bot for the result.',
      };
    case 'state_expired':
      return {
        title: 'This sign-in took too long',
        text: 'The sign-in at Okta has to finish within 15 minutes of opening the setup link.',
        next: `Get a new link with ${reauth} in Slack.`,
      };
    case 'browser_mismatch':
      return {
        title: 'This sign-in was started in another browser',
        text: 'The bot only finishes a sign-in in the browser where the client secret was entered. The attempt has been recorded.',
        next: 'Finish the sign-in in the browser where you opened the setup link, or get a new link.',
      };
    case 'invalid_scope':
      return {
        title: 'Okta refused a scope',
        text: facts.scope
          ? `Okta does not know the scope ${facts.scope} (invalid_scope), so it refused the whole request.`
          : 'Okta refused one of the requested scopes as invalid, unknown or malformed (invalid_scope).',
        next: `Remove or correct that scope with \`/okta-connect scopes ${facts.nickname ?? 'NAME'}\`, then authorize again.`,
      };
    case 'consent_required':
      return {
        title: 'None of the requested Okta API scopes is granted to the app',
        text: `Okta answered consent_required: the app in ${org} is not allowed any of the requested okta.* scopes.`,
        next: 'In the Okta Admin Console open the app → Okta API Scopes, grant the scopes you need, then authorize again.',
      };
    case 'user_not_assigned':
      return {
        title: 'You are not assigned to the Okta app',
        text: `Okta says the account you signed in with is not assigned to the app in ${org}.`,
        next: 'Assign yourself (or the service account) to the app on its Assignments tab, then authorize again.',
      };
    case 'cancelled':
      return {
        title: 'The sign-in was cancelled at Okta',
        text: 'Okta reports that the sign-in was cancelled or denied, so nothing was stored.',
        next: `When you are ready, get a new link with ${reauth}.`,
      };
    case 'invalid_client':
      return {
        title: 'Okta refused the client secret',
        text: 'The client ID and secret did not match (invalid_client). The connection was not changed.',
        next: 'Copy the secret again from the app’s General tab (Client Credentials) and try again with a new link.',
      };
    case 'key_refused':
      return {
        title: 'Okta refused the bot’s key',
        text: 'Okta did not accept the key pair’s signature (invalid_client). The connection was not changed.',
        next: 'On the app’s General tab (Client Credentials), check that Client authentication is Public key / Private key and that the key shown on the setup page is added and Active, then try again with a new link.',
      };
    case 'unauthorized_client':
      return {
        title: 'The Okta app may not use this sign-in method',
        text: 'Okta answered unauthorized_client: the app does not allow the Authorization Code grant.',
        next: 'On the app’s General tab enable the Authorization Code and Refresh Token grant types, then try again.',
      };
    case 'invalid_grant':
      return {
        title: 'Okta refused the sign-in code',
        text: 'The code from Okta was expired, already used or did not match this sign-in (invalid_grant).',
        next: 'Try again with a new link.',
      };
    case 'okta_unreachable':
      return {
        title: 'Okta could not be reached',
        text: `The bot could not reach ${org}. Nothing was changed.`,
        next: 'Check the domain and try again in a minute.',
      };
    case 'okta_unavailable':
      return {
        title: 'Okta is having trouble',
        text: `${org} answered with a server error. Nothing was changed.`,
        next: 'Try again in a few minutes; if it persists, check status.okta.com.',
      };
    case 'okta_rate_limited':
      return {
        title: 'Okta is rate limiting the bot',
        text: `${org} answered 429: too many requests. Nothing was changed.`,
        next: 'Try again in a minute.',
      };
    case 'okta_bad_response':
      return {
        title: 'Okta’s answer did not pass the bot’s checks',
        text: `${badAnswerText(facts.badAnswer, org)} Nothing was stored.`,
        next: 'Check that the domain is your Okta org, then try again with a new link.',
      };
    case 'okta_error':
      return {
        title: 'Okta returned an error',
        text: facts.description
          ? `Okta said: ${facts.description}`
          : 'Okta returned an error the bot does not recognize.',
        next: 'Check the app’s settings in Okta, then try again with a new link.',
      };
    case 'reauth_conflict':
      return {
        title: 'Someone else reauthorized this connection first',
        text: 'Another admin finished a reauthorization of this connection while yours was open, so yours was not stored.',
        next: 'Check the connection with `/okta-connect list`; reauthorize again only if it still needs it.',
      };
    case 'connection_gone':
      return {
        title: 'This connection no longer exists',
        text: 'The connection was deleted while the sign-in was open.',
        next: REDO,
      };
    case 'not_allowed':
      return {
        title: 'Only Okta connection admins can do this',
        text: 'Managing Okta connections is limited to the admins chosen for this bot (or workspace admins and owners).',
        next: 'Ask one of them to do it, or to add you.',
      };
    case 'role_unknown':
      return {
        title: 'The bot could not check your Slack role',
        text: 'Slack did not answer when the bot asked whether you are a workspace admin.',
        next: 'Try again in a moment.',
      };
  }
}

export type WarningCode =
  | 'scopes_dropped'
  | 'scopes_unknown'
  | 'not_super_admin'
  | 'roles_unchecked'
  | 'no_refresh_token';

export function warningMessage(
  code: WarningCode,
  facts: { scopes?: readonly string[] } = {},
): AdminMessage {
  const list = (facts.scopes ?? []).join(', ');
  switch (code) {
    case 'scopes_dropped':
      return {
        title: 'Okta dropped some scopes',
        text: `Okta silently left out scopes the app is not granted: ${list}.`,
        next: 'Grant them on the app’s Okta API Scopes tab in the Okta Admin Console, then reauthorize.',
      };
    case 'scopes_unknown':
      return {
        title: 'Scopes the bot does not know',
        text: `These scopes are not in the bot’s catalog: ${list}. Okta decides whether they exist.`,
        next: 'If Okta refuses them, remove them with /okta-connect scopes.',
      };
    case 'not_super_admin':
      return {
        title: 'The Okta account is not a super admin',
        text: 'The account that signed in has no Super Administrator role; calls beyond its role will fail, and reauthorizing later needs a super admin.',
        next: 'Reauthorize with a super admin account (ideally a dedicated service account).',
      };
    case 'roles_unchecked':
      return {
        title: 'The bot could not check the admin role',
        text: 'Without the okta.roles.read scope (or with Okta not answering) the bot cannot confirm that the account is a super admin.',
        next: 'Grant okta.roles.read on the Okta API Scopes tab and reauthorize if you want this check.',
      };
    case 'no_refresh_token':
      return {
        title: 'No refresh token',
        text: 'Okta did not return a refresh token, so this connection stops working when its access token expires (1 hour).',
        next: 'Enable the Refresh Token grant type on the app’s General tab, then reauthorize.',
      };
  }
}
