import { isWellFormedScopeName, parseScopeList } from './parseScopeList.ts';
import { SCOPE_CATALOG, type ScopeInfo } from './scopeCatalogData.ts';

export { isKnownScope, SCOPE_CATALOG, type ScopeInfo } from './scopeCatalogData.ts';

export interface ScopeGroup {
  label: string;
  scopes: readonly ScopeInfo[];
}

const BY_NAME: ReadonlyMap<string, ScopeInfo> = new Map(
  SCOPE_CATALOG.map((scope) => [scope.name, scope]),
);

const GROUPS: readonly ScopeGroup[] = Object.freeze(
  [...new Set(SCOPE_CATALOG.map((scope) => scope.group))].map((label) =>
    Object.freeze({
      label,
      scopes: Object.freeze(SCOPE_CATALOG.filter((scope) => scope.group === label)),
    }),
  ),
);

/** The catalog's groups in display order (sign-in first), each with its scopes. */
export function scopeGroups(): readonly ScopeGroup[] {
  return GROUPS;
}

/** The one-line description of a catalog scope; undefined for a name the bot does not know. */
export function describeScope(name: string): string | undefined {
  return BY_NAME.get(name)?.description;
}

/**
 * The resource an API scope is about, `users` for both `okta.users.read` and
 * `okta.users.manage` (and `okta.users.read.self`), `apps.interclientTrust`, `workflows`,
 * `ssf`: testing a connection makes one read per family it was granted. Undefined for
 * the OIDC scopes, which reach no Management API, and for names that are not scope names.
 */
export function scopeFamily(name: string): string | undefined {
  if (BY_NAME.get(name)?.kind === 'oidc' || !isWellFormedScopeName(name)) return undefined;
  return /^(?:okta\.)?(.+?)\.(?:invoke\.)?(?:read|manage|register)(?:\.self)?$/.exec(name)?.[1];
}

/**
 * Requested on every connection whatever else is chosen: `openid` makes the sign-in an
 * OIDC one, so the bot learns who authorized, and `offline_access` is what yields the
 * refresh token that keeps the connection alive.
 */
export const ALWAYS_REQUESTED = Object.freeze(['openid', 'offline_access'] as const);

const OIDC_ORDER: readonly string[] = SCOPE_CATALOG.filter((scope) => scope.kind === 'oidc').map(
  (scope) => scope.name,
);

function byCodeUnits(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/**
 * `scopes` plus `ALWAYS_REQUESTED`, without duplicates, in a stable order that reads
 * well in a message: OIDC scopes in their usual order, then the others alphabetically.
 */
export function withAlwaysRequested(scopes: readonly string[]): string[] {
  const all = new Set([...scopes, ...ALWAYS_REQUESTED]);
  const oidc = OIDC_ORDER.filter((name) => all.has(name));
  const rest = [...all].filter((name) => !OIDC_ORDER.includes(name)).sort(byCodeUnits);
  return [...oidc, ...rest];
}

/**
 * What "Use default scopes" asks for. Read-only: a connection made by default should
 * not be able to change the org. Users, groups and apps are what an admin bot looks up;
 * `okta.logs.read` reads the System Log; `okta.roles.read` lets the bot check that the
 * admin who signed in is a super admin (GET /api/v1/users/{id}/roles); and
 * `okta.appGrants.read` lists the scopes granted to the OAuth app, so the bot can tell
 * which requested scopes Okta dropped and why. `profile` and `email` name the signer.
 */
export const DEFAULT_SCOPES: readonly string[] = Object.freeze(
  withAlwaysRequested([
    'openid',
    'profile',
    'email',
    'offline_access',
    'okta.users.read',
    'okta.groups.read',
    'okta.apps.read',
    'okta.logs.read',
    'okta.roles.read',
    'okta.appGrants.read',
  ]),
);

/**
 * The default scopes for this deployment: the operator's `OKTA_DEFAULT_SCOPES` when it
 * names at least one valid scope, else the built-in `DEFAULT_SCOPES`; always with
 * `ALWAYS_REQUESTED`. A malformed setting falls back here without a word: config
 * validates it with `parseScopeList` and reports the problem at start-up.
 */
export function resolveDefaultScopes(configured?: string): string[] {
  const parsed = configured === undefined ? undefined : parseScopeList(configured);
  if (!parsed?.ok || parsed.scopes.length === 0) return [...DEFAULT_SCOPES];
  return withAlwaysRequested(parsed.scopes);
}
