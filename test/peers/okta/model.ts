import type { JsonWebKey } from 'node:crypto';

/** The peer's data: what tests configure (inputs) and what the peer keeps (records). */

export type GrantType = 'authorization_code' | 'refresh_token';

/** Okta's standard admin role types (Management API `listAssignedRolesForUser`). */
export type RoleType =
  | 'SUPER_ADMIN'
  | 'ORG_ADMIN'
  | 'APP_ADMIN'
  | 'USER_ADMIN'
  | 'HELP_DESK_ADMIN'
  | 'READ_ONLY_ADMIN'
  | 'GROUP_MEMBERSHIP_ADMIN'
  | 'API_ACCESS_MANAGEMENT_ADMIN'
  | 'REPORT_ADMIN'
  | 'WORKFLOWS_ADMIN'
  | 'ACCESS_CERTIFICATIONS_ADMIN'
  | 'ACCESS_REQUESTS_ADMIN'
  | 'CUSTOM';

/** Okta's app setting `settings.oauthClient.refresh_token`. */
export interface RefreshTokenPolicy {
  rotation: 'STATIC' | 'ROTATE';
  /** Grace period in which the previous token still works after a rotation: 0–60, default 30. */
  leewaySeconds?: number;
}

/** The app's Client Credentials → Client authentication setting. */
export type ClientAuthMethod = 'client_secret_basic' | 'private_key_jwt';

export interface AppInput {
  clientId: string;
  /** Ignored when the app authenticates with keys: Okta then keeps no secret. */
  clientSecret: string;
  /** Default: `client_secret_basic` ("Client secret"); `private_key_jwt` is "Public key / Private key". */
  authMethod?: ClientAuthMethod;
  /** The public keys added with "Add key", as JWKs; used with `private_key_jwt`. */
  jwks?: readonly JsonWebKey[];
  /** The app's "Sign-in redirect URIs"; compared exactly, like Okta does. */
  redirectUris: readonly string[];
  /** Default: both. */
  grantTypes?: readonly GrantType[];
  /** The app's grants collection ("Okta API Scopes" tab): the okta.* scopes it may receive. */
  grantedScopes?: readonly string[];
  /** Default: `{ rotation: 'STATIC' }`, the default for Okta web apps. */
  refreshToken?: RefreshTokenPolicy;
  /** When true, authorize requests without a PKCE code challenge are refused. */
  pkceRequired?: boolean;
  label?: string;
}

export type AppPatch = Partial<Omit<AppInput, 'clientId'>>;

export interface UserInput {
  /** Default: a generated Okta-like id (`00u…`). */
  id?: string;
  login: string;
  password: string;
  firstName?: string;
  lastName?: string;
  /** Default: the login. */
  email?: string;
  /** Admin roles; a user without any gets E0000006 from admin-only Management API calls. */
  roles?: readonly RoleType[];
  /** Client ids of the apps the user is assigned to. */
  assignedTo?: readonly string[];
}

export type UserPatch = Partial<Omit<UserInput, 'id'>>;

export interface App {
  clientId: string;
  clientSecret: string;
  authMethod: ClientAuthMethod;
  jwks: readonly JsonWebKey[];
  redirectUris: readonly string[];
  grantTypes: readonly GrantType[];
  grantedScopes: ReadonlySet<string>;
  rotation: RefreshTokenPolicy['rotation'];
  leewaySeconds: number;
  pkceRequired: boolean;
  label: string;
  created: number;
}

export interface User {
  id: string;
  login: string;
  password: string;
  firstName: string;
  lastName: string;
  email: string;
  roles: readonly RoleType[];
  assignedTo: ReadonlySet<string>;
  created: number;
}

/** A validated /authorize request waiting for the user to be known. */
export interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  scopes: readonly string[];
  state: string;
  nonce: string | undefined;
  codeChallenge: string | undefined;
}

export interface CodeGrant {
  request: AuthorizeRequest;
  userId: string;
  /** Requested scopes minus the okta.* ones the app was not granted. */
  scopes: readonly string[];
  authTime: number;
  expiresAt: number;
}

/**
 * One user's consent to one client: the family of tokens that a code exchange starts and
 * refreshes continue. Revoking it revokes every token of the family at once, which is
 * how Okta answers refresh-token reuse.
 */
export interface Authorization {
  id: string;
  clientId: string;
  userId: string;
  scopes: readonly string[];
  authTime: number;
  /** Rotated refresh tokens keep the original expiry (90 days after the code exchange). */
  refreshExpiresAt: number;
  revoked: boolean;
  currentRefreshToken: string | null;
  refreshTokens: string[];
  accessTokens: string[];
}

export interface RefreshTokenRecord {
  authorization: Authorization;
  /** When a rotation replaced this token; null while it is the family's current one. */
  rotatedAt: number | null;
}

export interface AccessTokenRecord {
  authorization: Authorization;
  scopes: readonly string[];
  issuedAt: number;
  expiresAt: number;
  revoked: boolean;
}

export type TokenStatus = 'active' | 'rotated' | 'expired' | 'revoked' | 'unknown';

/** An authorize request shown as a sign-in form, waiting for the form to come back. */
export interface SignInTransactionRecord {
  request: AuthorizeRequest;
  expiresAt: number;
}
