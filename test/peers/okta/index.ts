/**
 * # Okta peer
 *
 * An HTTP server on 127.0.0.1 that behaves like an Okta org authorization server plus the
 * slice of the Management API the bot uses, with Okta's exact error texts
 * (shared/docs/research/okta-oauth-facts.md). openid-client v6 works against it
 * unmodified; each test programs its own peer.
 *
 * ```ts
 * let okta: OktaPeer;
 * beforeEach(async () => {
 *   okta = await startOktaPeer();
 *   okta.addApp({
 *     clientId: '0oa1bot',
 *     clientSecret: 's3cret',
 *     redirectUris: ['http://127.0.0.1:3000/oauth/okta/callback'],
 *     grantedScopes: ['okta.users.read', 'okta.roles.read'], // the app's grants collection
 *     refreshToken: { rotation: 'ROTATE', leewaySeconds: 30 },
 *   });
 *   admin = okta.addUser({ login: 'ada@example.com', password: 'pw', roles: ['SUPER_ADMIN'], assignedTo: ['0oa1bot'] });
 * });
 * afterEach(() => okta.close());
 *
 * const config = await client.discovery(new URL(okta.origin), '0oa1bot', 's3cret',
 *   client.ClientSecretBasic('s3cret'), { execute: [client.allowInsecureRequests] });
 * // Sign in through the form over plain HTTP (Chromium fills the same form) …
 * const callbackUrl = await okta.signIn(authorizeUrl, { username: 'ada@example.com', password: 'pw' });
 * // … or make /authorize redirect straight back as a chosen user.
 * okta.autoSignIn(admin.id);
 *
 * okta.setRateLimit('/oauth2/v1/token', { limit: 1200, windowSeconds: 60 });
 * okta.injectFault('/oauth2/v1/token', { kind: 'status', status: 503, times: 2 });
 * okta.tamperNextToken('wrong-nonce');
 * okta.announceIssuer('https://acme.okta.com/oauth2/default');     // discovery answers as another issuer
 * okta.updateApp('0oa1bot', { grantedScopes: ['okta.users.read'] });  // admin revokes a grant
 * okta.revokeTokens({ clientId: '0oa1bot' });                         // admin revokes tokens
 * okta.clock.advance(31_000);                                         // past the grace period
 * expect(okta.tokenStatus(refreshToken)).toBe('rotated');
 * expect(okta.countRequests('/oauth2/v1/token', 200)).toBe(2);
 * ```
 *
 * Endpoints: `/.well-known/openid-configuration`, `/.well-known/oauth-authorization-server`,
 * `/oauth2/v1/{authorize,token,keys,revoke,introspect,userinfo,logout}`, the sign-in form
 * (`POST /login/signin`), and `GET /api/v1/users/me`, `/api/v1/users`, `/api/v1/users/{id}`,
 * `/api/v1/users/{id}/roles`, `/api/v1/groups`, `/api/v1/apps`, `/api/v1/apps/{clientId}/grants`,
 * `/api/v1/logs`.
 *
 * Time: codes (300 s), access and ID tokens (3600 s), refresh tokens (90 days), rotation
 * grace periods, sign-in forms and rate-limit windows all follow `okta.clock`, and so do
 * the ID tokens' `iat`/`exp`. openid-client checks `exp` against its own clock, so a test
 * may advance the peer clock freely to expire things on the peer's side; a test that wants
 * the client to see time pass as well must move the client's clock by the same amount
 * (pass one `createPeerClock()` to both, or use openid-client's `clockSkew`).
 *
 * openid-client skips the ID token signature for token-endpoint responses unless
 * `client.enableNonRepudiationChecks(config)` is called: the `foreign-key` tamper is
 * only caught with it.
 *
 * Paths given to `setRateLimit` and `injectFault` are exact, or end in `*` to cover every
 * path under a prefix (one shared rate-limit bucket). Delay faults are released at once by
 * `clearFaults`, so tests never wait on a timer.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPeerClock, type PeerClock } from './clock.ts';
import type { PeerCore, TokenTamper } from './core.ts';
import { FaultInjector, type FaultSpec } from './faults.ts';
import { startTokenFamily, type TokenResponse } from './issue.ts';
import { createSigningKeys } from './keys.ts';
import type { AppInput, AppPatch, TokenStatus, UserInput, UserPatch } from './model.ts';
import { type RateLimit, RateLimiter, type RateLimitWindow } from './rateLimit.ts';
import type { RequestRecord } from './requestLog.ts';
import { serve } from './router.ts';
import { DEFAULT_OKTA_SCOPES, OIDC_SCOPES } from './scopes.ts';
import { type SignInAction, signIn } from './signIn.ts';
import { PeerState } from './state.ts';
import { SystemLog } from './systemLog.ts';

export type { PeerClock } from './clock.ts';
export { createPeerClock } from './clock.ts';
export type { TokenTamper } from './core.ts';
export type { Fault, FaultSpec } from './faults.ts';
export type { TokenResponse } from './issue.ts';
export type {
  AppInput,
  AppPatch,
  GrantType,
  RefreshTokenPolicy,
  RoleType,
  TokenStatus,
  UserInput,
  UserPatch,
} from './model.ts';
export type { RateLimit, RateLimitWindow } from './rateLimit.ts';
export type { RequestRecord } from './requestLog.ts';
export { DEFAULT_OKTA_SCOPES } from './scopes.ts';
export type { SignInAction } from './signIn.ts';

export interface OktaPeerOptions {
  /** The okta.* (or other) scope names the org knows; anything else is `invalid_scope`. Default: DEFAULT_OKTA_SCOPES. */
  knownScopes?: Iterable<string>;
  /** Share a clock with the code under test; default: a new clock at real time. */
  clock?: PeerClock;
}

/** One token family (a code exchange and the refreshes that followed), for assertions. */
export interface AuthorizationView {
  id: string;
  clientId: string;
  userId: string;
  scopes: readonly string[];
  revoked: boolean;
  /** The refresh token a client should hold now, or null without `offline_access`. */
  refreshToken: string | null;
  /** Every refresh and access token issued in this family, oldest first. */
  refreshTokens: readonly string[];
  accessTokens: readonly string[];
}

export interface OktaPeer {
  /** `http://127.0.0.1:PORT`, no path. */
  readonly origin: string;
  /** Same as `origin`: the org authorization server's issuer is the org URL. */
  readonly issuer: string;
  readonly clock: PeerClock;
  /** Every request received, oldest first. */
  readonly requests: readonly RequestRecord[];
  /** How many 429 answers the peer has sent. */
  readonly rateLimitedCount: number;

  addApp(app: AppInput): { clientId: string };
  /** E.g. `{ grantedScopes }` to grant or revoke okta.* scopes; takes effect at the next authorize. */
  updateApp(clientId: string, patch: AppPatch): void;
  addUser(user: UserInput): { id: string; login: string };
  /** E.g. `{ roles: [] }`; removing an assignment revokes the user's tokens for that app. */
  updateUser(userId: string, patch: UserPatch): void;
  /** With a user id, /authorize skips the form and signs that user in; null shows the form again. */
  autoSignIn(userId: string | null): void;
  /** Discovery names this issuer instead of the org's own (null: the org's own again). */
  announceIssuer(issuer: string | null): void;
  /** Completes /authorize over HTTP and returns the Location it redirects to (see signIn.ts). */
  signIn(authorizeUrl: string | URL, action?: SignInAction): Promise<URL>;
  /** Issues tokens as a code exchange would, without the browser steps (seeding benchmarks). */
  issueTokens(grant: {
    clientId: string;
    userId: string;
    scopes: readonly string[];
  }): Promise<TokenResponse>;

  tokenStatus(token: string): TokenStatus;
  authorizations(filter?: { clientId?: string; userId?: string }): AuthorizationView[];
  /** Revokes every token family matching the filter, like an admin revoking tokens; returns how many were live. */
  revokeTokens(filter: { clientId?: string; userId?: string }): number;

  /** `null` removes the limit. */
  setRateLimit(path: string, limit: RateLimit | null): void;
  /** The windows counted under the limit set on `path` so far, oldest first. */
  rateLimitWindows(path: string): readonly RateLimitWindow[];
  injectFault(path: string, fault: FaultSpec): void;
  /** Also releases requests held by a delay fault on that path. */
  clearFaults(path?: string): void;
  /** Makes the next successful token response hostile; calls queue up. */
  tamperNextToken(tamper: TokenTamper): void;
  countRequests(path: string, status?: number): number;

  close(): Promise<void>;
}

export async function startOktaPeer(options: OktaPeerOptions = {}): Promise<OktaPeer> {
  const clock = options.clock ?? createPeerClock();
  const keys = await createSigningKeys();
  const state = new PeerState(clock);
  const rateLimiter = new RateLimiter();
  const faults = new FaultInjector();
  const requests: RequestRecord[] = [];
  const tampers: TokenTamper[] = [];
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const core: PeerCore = {
    issuer: origin,
    clock,
    state,
    keys,
    knownScopes: new Set(options.knownScopes ?? DEFAULT_OKTA_SCOPES),
    systemLog: new SystemLog(clock),
    tampers,
  };
  const pipeline = { core, rateLimiter, faults, requests };
  server.on('request', (req, res) => {
    serve(pipeline, req, res).catch((error: unknown) => {
      // A socket closed under a request (peer closing, client gone) is no news.
      if (res.destroyed) return;
      // A peer bug, not an Okta behaviour: make it loud in the test output.
      console.error('okta peer: unhandled error', error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('okta peer bug');
    });
  });

  return {
    origin,
    issuer: origin,
    clock,
    requests,
    get rateLimitedCount() {
      return rateLimiter.limitedCount;
    },
    addApp(app) {
      const { clientId } = state.addApp(app);
      return { clientId };
    },
    updateApp: (clientId, patch) => state.updateApp(clientId, patch),
    addUser(user) {
      const { id, login } = state.addUser(user);
      return { id, login };
    },
    updateUser: (userId, patch) => state.updateUser(userId, patch),
    autoSignIn(userId) {
      if (userId !== null) state.requireUser(userId);
      state.autoSignInUserId = userId;
    },
    announceIssuer(issuer) {
      state.announcedIssuer = issuer;
    },
    signIn: (authorizeUrl, action) => signIn(origin, authorizeUrl, action),
    issueTokens({ clientId, userId, scopes }) {
      const app = state.requireApp(clientId);
      state.requireUser(userId);
      const granted = scopes.filter(
        (scope) => OIDC_SCOPES.has(scope) || app.grantedScopes.has(scope),
      );
      return startTokenFamily(core, app, {
        userId,
        scopes: granted,
        authTime: clock.now(),
        nonce: undefined,
      });
    },
    tokenStatus: (token) => state.tokenStatus(token),
    authorizations: (filter) =>
      state.listAuthorizations(filter).map((a) => ({
        id: a.id,
        clientId: a.clientId,
        userId: a.userId,
        scopes: [...a.scopes],
        revoked: a.revoked,
        refreshToken: a.currentRefreshToken,
        refreshTokens: [...a.refreshTokens],
        accessTokens: [...a.accessTokens],
      })),
    revokeTokens: (filter) => state.revokeAuthorizations(filter),
    setRateLimit: (path, limit) => rateLimiter.set(path, limit),
    rateLimitWindows: (path) => rateLimiter.windows(path),
    injectFault: (path, fault) => faults.add(path, fault),
    clearFaults: (path) => faults.clear(path),
    tamperNextToken(tamper) {
      tampers.push(tamper);
    },
    countRequests: (path, status) =>
      requests.filter((r) => r.path === path && (status === undefined || r.status === status))
        .length,
    async close() {
      faults.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
