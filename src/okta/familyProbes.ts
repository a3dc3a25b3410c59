/**
 * One cheap, read-only Management API call per resource family (`scopeFamily`), used to
 * test a connection: each needs only the family's `.read` scope (a `.manage` grant covers
 * it), asks for at most one item, and changes nothing. A family without an entry has no
 * safe GET that works without knowing an object id (sessions, user risk, …) and is
 * reported as not tested.
 */

export interface ProbeContext {
  /** The Okta user the token acts for (`sub`); null when unknown. */
  sub: string | null;
  clientId: string;
}

export interface FamilyProbe {
  /** The scope the call needs, named when Okta's challenge does not say. */
  scope: string;
  /** The path under `/api/v1/`, or null when this connection lacks what it needs. */
  path(context: ProbeContext): string | null;
}

const list =
  (path: string): FamilyProbe['path'] =>
  () =>
    path;

const PROBES: Readonly<Record<string, FamilyProbe>> = {
  users: { scope: 'okta.users.read', path: list('/api/v1/users?limit=1') },
  groups: { scope: 'okta.groups.read', path: list('/api/v1/groups?limit=1') },
  apps: { scope: 'okta.apps.read', path: list('/api/v1/apps?limit=1') },
  // For OIDC apps Okta uses the client ID as the app's id, so the bot can read its own
  // app's grants without looking the app up first.
  appGrants: {
    scope: 'okta.appGrants.read',
    path: ({ clientId }) => `/api/v1/apps/${encodeURIComponent(clientId)}/grants`,
  },
  logs: { scope: 'okta.logs.read', path: list('/api/v1/logs?limit=1') },
  roles: {
    scope: 'okta.roles.read',
    path: ({ sub }) => (sub ? `/api/v1/users/${encodeURIComponent(sub)}/roles` : null),
  },
  // Listing policies needs a type; the sign-on policy exists in every org.
  policies: { scope: 'okta.policies.read', path: list('/api/v1/policies?type=OKTA_SIGN_ON') },
  authorizationServers: {
    scope: 'okta.authorizationServers.read',
    path: list('/api/v1/authorizationServers?limit=1'),
  },
  idps: { scope: 'okta.idps.read', path: list('/api/v1/idps?limit=1') },
  trustedOrigins: {
    scope: 'okta.trustedOrigins.read',
    path: list('/api/v1/trustedOrigins?limit=1'),
  },
  networkZones: { scope: 'okta.networkZones.read', path: list('/api/v1/zones?limit=1') },
  eventHooks: { scope: 'okta.eventHooks.read', path: list('/api/v1/eventHooks') },
  inlineHooks: { scope: 'okta.inlineHooks.read', path: list('/api/v1/inlineHooks') },
  userTypes: { scope: 'okta.userTypes.read', path: list('/api/v1/meta/types/user') },
  schemas: { scope: 'okta.schemas.read', path: list('/api/v1/meta/schemas/user/default') },
  linkedObjects: {
    scope: 'okta.linkedObjects.read',
    path: list('/api/v1/meta/schemas/user/linkedObjects'),
  },
  profileMappings: { scope: 'okta.profileMappings.read', path: list('/api/v1/mappings?limit=1') },
  authenticators: { scope: 'okta.authenticators.read', path: list('/api/v1/authenticators') },
  brands: { scope: 'okta.brands.read', path: list('/api/v1/brands') },
  domains: { scope: 'okta.domains.read', path: list('/api/v1/domains') },
  orgs: { scope: 'okta.orgs.read', path: list('/api/v1/org') },
  devices: { scope: 'okta.devices.read', path: list('/api/v1/devices?limit=1') },
  logStreams: { scope: 'okta.logStreams.read', path: list('/api/v1/logStreams?limit=1') },
  features: { scope: 'okta.features.read', path: list('/api/v1/features') },
  behaviors: { scope: 'okta.behaviors.read', path: list('/api/v1/behaviors') },
  apiTokens: { scope: 'okta.apiTokens.read', path: list('/api/v1/api-tokens') },
  realms: { scope: 'okta.realms.read', path: list('/api/v1/realms?limit=1') },
};

/** The probe for a family, or undefined when the family has none. */
export function probeFor(family: string): FamilyProbe | undefined {
  return Object.hasOwn(PROBES, family) ? PROBES[family] : undefined;
}
