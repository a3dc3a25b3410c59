/**
 * Everything the peer remembers, in Maps keyed the way requests look things up (client
 * id, login, token value), so no request scans a collection.
 */
import type { PeerClock } from './clock.ts';
import { oktaId, randomToken } from './http.ts';
import type {
  AccessTokenRecord,
  App,
  AppInput,
  AppPatch,
  Authorization,
  CodeGrant,
  RefreshTokenRecord,
  SignInTransactionRecord,
  TokenStatus,
  User,
  UserInput,
  UserPatch,
} from './model.ts';

/** Org authorization server refresh tokens live 90 days, with no idle window. */
const REFRESH_TOKEN_TTL_MS = 90 * 24 * 3600 * 1000;
const DEFAULT_LEEWAY_SECONDS = 30;

export class PeerState {
  readonly apps = new Map<string, App>();
  readonly users = new Map<string, User>();
  readonly usersByLogin = new Map<string, User>();
  readonly codes = new Map<string, CodeGrant>();
  /** `client_id:jti` of accepted client assertions → their `exp` (epoch seconds): each is good once. */
  readonly usedAssertionIds = new Map<string, number>();
  readonly transactions = new Map<string, SignInTransactionRecord>();
  readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  readonly accessTokens = new Map<string, AccessTokenRecord>();
  private readonly authorizations = new Map<string, Authorization>();
  autoSignInUserId: string | null = null;
  /** What discovery names as the issuer instead of the org's own (a test's wrong org). */
  announcedIssuer: string | null = null;

  constructor(private readonly clock: PeerClock) {}

  addApp(input: AppInput): App {
    if (this.apps.has(input.clientId)) throw new Error(`app ${input.clientId} already exists`);
    const app = this.appFrom(input, this.clock.now());
    this.apps.set(app.clientId, app);
    return app;
  }

  updateApp(clientId: string, patch: AppPatch): void {
    const app = this.requireApp(clientId);
    this.apps.set(clientId, this.appFrom({ ...this.inputOf(app), ...patch }, app.created));
  }

  addUser(input: UserInput): User {
    const user: User = {
      id: input.id ?? oktaId('00u'),
      login: input.login,
      password: input.password,
      firstName: input.firstName ?? input.login.split('@')[0] ?? input.login,
      lastName: input.lastName ?? 'Admin',
      email: input.email ?? input.login,
      roles: [...(input.roles ?? [])],
      assignedTo: new Set(input.assignedTo ?? []),
      created: this.clock.now(),
    };
    if (this.users.has(user.id)) throw new Error(`user ${user.id} already exists`);
    if (this.usersByLogin.has(user.login)) throw new Error(`login ${user.login} already exists`);
    this.users.set(user.id, user);
    this.usersByLogin.set(user.login, user);
    return user;
  }

  /** Unassigning a user from an app revokes their tokens for it, as Okta does. */
  updateUser(userId: string, patch: UserPatch): void {
    const user = this.requireUser(userId);
    if (patch.login !== undefined && patch.login !== user.login) {
      if (this.usersByLogin.has(patch.login))
        throw new Error(`login ${patch.login} already exists`);
      this.usersByLogin.delete(user.login);
    }
    const updated: User = {
      ...user,
      ...patch,
      roles: patch.roles ? [...patch.roles] : user.roles,
      assignedTo: patch.assignedTo ? new Set(patch.assignedTo) : user.assignedTo,
    };
    this.users.set(userId, updated);
    this.usersByLogin.set(updated.login, updated);
    for (const clientId of user.assignedTo) {
      if (!updated.assignedTo.has(clientId)) this.revokeAuthorizations({ clientId, userId });
    }
  }

  requireApp(clientId: string): App {
    const app = this.apps.get(clientId);
    if (!app) throw new Error(`the Okta peer has no app with client id ${clientId}`);
    return app;
  }

  requireUser(userId: string): User {
    const user = this.users.get(userId);
    if (!user) throw new Error(`the Okta peer has no user with id ${userId}`);
    return user;
  }

  createAuthorization(
    clientId: string,
    userId: string,
    scopes: readonly string[],
    authTime: number,
  ): Authorization {
    const authorization: Authorization = {
      id: oktaId('oar'),
      clientId,
      userId,
      scopes,
      authTime,
      refreshExpiresAt: this.clock.now() + REFRESH_TOKEN_TTL_MS,
      revoked: false,
      currentRefreshToken: null,
      refreshTokens: [],
      accessTokens: [],
    };
    this.authorizations.set(authorization.id, authorization);
    return authorization;
  }

  /** Issues the family's new current refresh token; the previous one counts as rotated from now. */
  addRefreshToken(authorization: Authorization): string {
    const token = randomToken();
    const previous = authorization.currentRefreshToken;
    if (previous !== null) {
      const record = this.refreshTokens.get(previous);
      if (record) record.rotatedAt = this.clock.now();
    }
    authorization.currentRefreshToken = token;
    authorization.refreshTokens.push(token);
    this.refreshTokens.set(token, { authorization, rotatedAt: null });
    return token;
  }

  addAccessToken(token: string, record: AccessTokenRecord): void {
    record.authorization.accessTokens.push(token);
    this.accessTokens.set(token, record);
  }

  /** The access token's record if it is active now. */
  activeAccessToken(token: string): AccessTokenRecord | undefined {
    const record = this.accessTokens.get(token);
    return record && this.accessStatus(record) === 'active' ? record : undefined;
  }

  tokenStatus(token: string): TokenStatus {
    const access = this.accessTokens.get(token);
    if (access) return this.accessStatus(access);
    const refresh = this.refreshTokens.get(token);
    if (refresh) return this.refreshStatus(refresh);
    return 'unknown';
  }

  refreshStatus(record: RefreshTokenRecord): TokenStatus {
    if (record.authorization.revoked) return 'revoked';
    if (this.clock.now() >= record.authorization.refreshExpiresAt) return 'expired';
    return record.rotatedAt === null ? 'active' : 'rotated';
  }

  listAuthorizations(filter: { clientId?: string; userId?: string } = {}): Authorization[] {
    return [...this.authorizations.values()].filter(
      (a) =>
        (filter.clientId === undefined || a.clientId === filter.clientId) &&
        (filter.userId === undefined || a.userId === filter.userId),
    );
  }

  /** Revokes whole token families; returns how many were still live. */
  revokeAuthorizations(filter: { clientId?: string; userId?: string }): number {
    let revoked = 0;
    for (const authorization of this.listAuthorizations(filter)) {
      if (!authorization.revoked) revoked += 1;
      authorization.revoked = true;
    }
    return revoked;
  }

  private accessStatus(record: AccessTokenRecord): TokenStatus {
    if (record.revoked || record.authorization.revoked) return 'revoked';
    return this.clock.now() >= record.expiresAt ? 'expired' : 'active';
  }

  private appFrom(input: AppInput, created: number): App {
    const leewaySeconds = input.refreshToken?.leewaySeconds ?? DEFAULT_LEEWAY_SECONDS;
    if (!Number.isInteger(leewaySeconds) || leewaySeconds < 0 || leewaySeconds > 60) {
      throw new RangeError(`leewaySeconds must be an integer from 0 to 60, got ${leewaySeconds}`);
    }
    return {
      clientId: input.clientId,
      clientSecret: input.clientSecret,
      authMethod: input.authMethod ?? 'client_secret_basic',
      jwks: [...(input.jwks ?? [])],
      redirectUris: [...input.redirectUris],
      grantTypes: [...(input.grantTypes ?? ['authorization_code', 'refresh_token'])],
      grantedScopes: new Set(input.grantedScopes ?? []),
      rotation: input.refreshToken?.rotation ?? 'STATIC',
      leewaySeconds,
      pkceRequired: input.pkceRequired ?? false,
      label: input.label ?? input.clientId,
      created,
    };
  }

  private inputOf(app: App): AppInput {
    return {
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      authMethod: app.authMethod,
      jwks: app.jwks,
      redirectUris: app.redirectUris,
      grantTypes: app.grantTypes,
      grantedScopes: [...app.grantedScopes],
      refreshToken: { rotation: app.rotation, leewaySeconds: app.leewaySeconds },
      pkceRequired: app.pkceRequired,
      label: app.label,
    };
  }
}
