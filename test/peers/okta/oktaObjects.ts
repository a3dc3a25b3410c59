/** Management API resource shapes (Okta's User, role assignment and OAuth2ScopeConsentGrant). */
import { createHash } from 'node:crypto';
import type { App, RoleType, User } from './model.ts';

const ROLE_LABELS: Record<RoleType, string> = {
  SUPER_ADMIN: 'Super Administrator',
  ORG_ADMIN: 'Organizational Administrator',
  APP_ADMIN: 'Application Administrator',
  USER_ADMIN: 'Group Administrator',
  HELP_DESK_ADMIN: 'Help Desk Administrator',
  READ_ONLY_ADMIN: 'Read Only Administrator',
  GROUP_MEMBERSHIP_ADMIN: 'Group Membership Administrator',
  API_ACCESS_MANAGEMENT_ADMIN: 'API Access Management Administrator',
  REPORT_ADMIN: 'Report Administrator',
  WORKFLOWS_ADMIN: 'Workflows Administrator',
  ACCESS_CERTIFICATIONS_ADMIN: 'Access Certifications Administrator',
  ACCESS_REQUESTS_ADMIN: 'Access Requests Administrator',
  CUSTOM: 'Custom Role',
};

/** Ids derived from what they name, so the same role or grant keeps its id across calls. */
function stableId(prefix: string, ...parts: string[]): string {
  return prefix + createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 17);
}

const iso = (ms: number) => new Date(ms).toISOString();

export function userJson(issuer: string, user: User) {
  const created = iso(user.created);
  return {
    id: user.id,
    status: 'ACTIVE',
    created,
    activated: created,
    statusChanged: created,
    lastLogin: null,
    lastUpdated: created,
    passwordChanged: created,
    type: { id: stableId('oty', 'default') },
    profile: {
      firstName: user.firstName,
      lastName: user.lastName,
      mobilePhone: null,
      secondEmail: null,
      login: user.login,
      email: user.email,
    },
    credentials: { password: {}, provider: { type: 'OKTA', name: 'OKTA' } },
    _links: { self: { href: `${issuer}/api/v1/users/${user.id}` } },
  };
}

export function roleAssignmentsJson(issuer: string, user: User) {
  return user.roles.map((type) => ({
    id: stableId('ra1', user.id, type),
    label: ROLE_LABELS[type],
    type,
    status: 'ACTIVE',
    created: iso(user.created),
    lastUpdated: iso(user.created),
    assignmentType: 'USER',
    _links: { assignee: { href: `${issuer}/api/v1/users/${user.id}` } },
  }));
}

export function appGrantsJson(issuer: string, app: App) {
  return [...app.grantedScopes].map((scopeId) => {
    const id = stableId('oag', app.clientId, scopeId);
    return {
      id,
      status: 'ACTIVE',
      created: iso(app.created),
      createdBy: { id: stableId('00u', 'admin'), type: 'User' },
      lastUpdated: iso(app.created),
      issuer,
      clientId: app.clientId,
      scopeId,
      source: 'ADMIN',
      _embedded: { scope: { id: scopeId } },
      _links: {
        app: { href: `${issuer}/api/v1/apps/${app.clientId}` },
        self: { href: `${issuer}/api/v1/apps/${app.clientId}/grants/${id}` },
        client: { href: `${issuer}/oauth2/v1/clients/${app.clientId}` },
      },
    };
  });
}

/** The built-in group every org has, the one a `GET /api/v1/groups?limit=1` returns first. */
export function everyoneGroupJson(issuer: string, created: number) {
  const id = stableId('00g', 'everyone');
  return {
    id,
    created: iso(created),
    lastUpdated: iso(created),
    lastMembershipUpdated: iso(created),
    objectClass: ['okta:user_group'],
    type: 'BUILT_IN',
    profile: { name: 'Everyone', description: 'All users in your organization' },
    _links: { self: { href: `${issuer}/api/v1/groups/${id}` } },
  };
}

/** An OIDC app as the Apps API lists it; its id is its client ID, as in Okta. */
export function oidcAppJson(issuer: string, app: App) {
  return {
    id: app.clientId,
    name: 'oidc_client',
    label: app.label,
    status: 'ACTIVE',
    signOnMode: 'OPENID_CONNECT',
    created: iso(app.created),
    lastUpdated: iso(app.created),
    credentials: { oauthClient: { client_id: app.clientId, autoKeyRotation: true } },
    settings: {
      oauthClient: {
        redirect_uris: [...app.redirectUris],
        grant_types: [...app.grantTypes],
        application_type: 'web',
      },
    },
    _links: { self: { href: `${issuer}/api/v1/apps/${app.clientId}` } },
  };
}
