/**
 * Okta's scope rules at the org authorization server (research/okta-oauth-facts.md §3):
 * OIDC scopes are granted automatically, requested okta.* scopes are checked against
 * the app's grants collection and silently dropped when missing, and unknown names are
 * refused.
 */

export const OIDC_SCOPES: ReadonlySet<string> = new Set([
  'openid',
  'profile',
  'email',
  'address',
  'phone',
  'groups',
  'offline_access',
]);

/** Resources that have both a `.read` and a `.manage` scope. */
const READ_MANAGE_RESOURCES = [
  'agentPools',
  'apiTokens',
  'appGrants',
  'apps',
  'apps.interclientTrust',
  'authenticators',
  'authorizationServers',
  'behaviors',
  'botProtection',
  'brands',
  'captchas',
  'clients',
  'customTelephonyProvider',
  'deviceAssurance',
  'deviceIntegrations',
  'devicePostureChecks',
  'devices',
  'directories.groups',
  'domains',
  'dr',
  'emailDomains',
  'emailServers',
  'eventHooks',
  'factors',
  'features',
  'governance.accessCertifications',
  'governance.accessRequests',
  'groups',
  'identitySources',
  'idps',
  'inlineHooks',
  'linkedObjects',
  'logStreams',
  'networkZones',
  'oauthIntegrations',
  'orgs',
  'personal.adminSettings',
  'policies',
  'principalRateLimits',
  'profileMappings',
  'pushProviders',
  'rateLimits',
  'realmAssignments',
  'realms',
  'roles',
  'schemas',
  'securityEventsProviders',
  'serviceAccounts',
  'serviceAccounts.okta',
  'sessions',
  'templates',
  'threatInsights',
  'trustedOrigins',
  'uischemas',
  'userRisk',
  'userTypes',
  'users',
];

/**
 * Real Okta API scope names (Management API spec, OIDC & OAuth 2.0 API spec, and older
 * docs): what the peer accepts by default. Tests that need more pass `knownScopes`.
 */
export const DEFAULT_OKTA_SCOPES: readonly string[] = [
  ...READ_MANAGE_RESOURCES.flatMap((resource) => [
    `okta.${resource}.read`,
    `okta.${resource}.manage`,
  ]),
  'okta.logs.read',
  'okta.events.read',
  'okta.reports.read',
  'okta.clients.register',
  'okta.users.read.self',
  'okta.users.manage.self',
  'okta.universalLogout.manage',
  'okta.workflows.invoke.manage',
  'ssf.read',
  'ssf.manage',
];

const INVALID_SCOPE = 'The requested scope is invalid, unknown, or malformed.';
const NEEDS_OPENID =
  "Requests for ID tokens or access tokens with OpenID scopes require the 'openid' scope.";
const NO_SCOPE =
  "The authorization server resource does not have any configured default scopes, 'scope' must be provided.";
const NONE_GRANTED = 'You are not allowed any of the requested scopes.';

type ScopeResult =
  | { ok: true; scopes: string[] }
  | { ok: false; error: 'invalid_scope' | 'consent_required'; description: string };

/** Checks the `scope` parameter of an authorize request, before anyone signs in. */
export function parseRequestedScopes(raw: string | null, known: ReadonlySet<string>): ScopeResult {
  const scopes = [...new Set((raw ?? '').split(' ').filter((scope) => scope !== ''))];
  if (scopes.length === 0) return { ok: false, error: 'invalid_scope', description: NO_SCOPE };
  if (scopes.some((scope) => !OIDC_SCOPES.has(scope) && !known.has(scope))) {
    return { ok: false, error: 'invalid_scope', description: INVALID_SCOPE };
  }
  const needsOpenid = scopes.some((scope) => OIDC_SCOPES.has(scope) && scope !== 'offline_access');
  if (needsOpenid && !scopes.includes('openid')) {
    return { ok: false, error: 'invalid_scope', description: NEEDS_OPENID };
  }
  return { ok: true, scopes };
}

/** Keeps the OIDC scopes and the okta.* scopes in the app's grants collection. */
export function grantScopes(
  requested: readonly string[],
  granted: ReadonlySet<string>,
): ScopeResult {
  const apiScopes = requested.filter((scope) => !OIDC_SCOPES.has(scope));
  const scopes = requested.filter((scope) => OIDC_SCOPES.has(scope) || granted.has(scope));
  if (apiScopes.length > 0 && scopes.length === requested.length - apiScopes.length) {
    return { ok: false, error: 'consent_required', description: NONE_GRANTED };
  }
  return { ok: true, scopes };
}

/** A token's scopes allow a call needing `required` (`okta.x.read`) if it has it or `okta.x.manage`. */
export function allowsScope(scopes: readonly string[], required: string): boolean {
  return (
    scopes.includes(required) ||
    (required.endsWith('.read') && scopes.includes(`${required.slice(0, -'.read'.length)}.manage`))
  );
}
