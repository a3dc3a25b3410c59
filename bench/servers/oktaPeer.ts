import {
  type RateLimit,
  type RefreshTokenPolicy,
  startOktaPeer,
  type TokenResponse,
} from '../../test/peers/okta/index.ts';
import { CLIENT_ID, CLIENT_SECRET, OKTA_LOGIN, SEED_SCOPES } from '../lib/fixtures.ts';
import { serveCommands } from '../lib/ipc.ts';

/**
 * The Okta peer in a process of its own, so that its token signing does not share an
 * event loop with the bot or the load. One OAuth app and one super admin, as the bot's
 * e2e harness sets them up.
 */
const okta = await startOktaPeer();
const TOKEN_PATH = '/oauth2/v1/token';
let userId = '';
/** Per token family at `markFamilies`: access tokens minted and refresh tokens issued so far. */
let marked = new Map<string, { minted: number; issued: number; revoked: boolean }>();

/**
 * What the families of one user went through since `markFamilies`, counted at the peer:
 * each successful refresh mints one access token, and under ROTATE issues one refresh
 * token. A family that minted twice was refreshed twice (a double refresh, whatever token
 * it used); one that minted more than it rotated under ROTATE had a refresh token used
 * again within the grace period; one revoked since was refused for reuse.
 */
function familyRefreshes(forUser: string) {
  const counts = { notRefreshed: 0, doubleRefreshed: 0, tokensReused: 0, revoked: 0 };
  for (const family of okta.authorizations({ clientId: CLIENT_ID, userId: forUser })) {
    const before = marked.get(family.id);
    if (!before) continue;
    const minted = family.accessTokens.length - before.minted;
    const issued = family.refreshTokens.length - before.issued;
    if (minted === 0) counts.notRefreshed += 1;
    if (minted > 1) counts.doubleRefreshed += 1;
    if (issued > 0 && issued < minted) counts.tokensReused += minted - issued;
    if (family.revoked && !before.revoked) counts.revoked += 1;
  }
  return counts;
}

/** A super admin assigned to the bot's app: their id. */
function addSuperAdmin(login: string): string {
  return okta.addUser({
    login,
    password: 'correct horse battery staple',
    roles: ['SUPER_ADMIN'],
    assignedTo: [CLIENT_ID],
  }).id;
}

serveCommands(
  { origin: okta.origin },
  {
    setup(args: { redirectUris: string[] }) {
      okta.addApp({
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        redirectUris: args.redirectUris,
        grantTypes: ['authorization_code', 'refresh_token'],
        grantedScopes: ['okta.users.read', 'okta.groups.read', 'okta.roles.read', 'okta.logs.read'],
      });
      userId = addSuperAdmin(OKTA_LOGIN);
      // Every /authorize redirects straight back, signed in as the admin.
      okta.autoSignIn(userId);
      return { userId };
    },
    /** Another super admin: the families issued to them can be told apart. */
    addAdmin: (args: { login: string }) => ({ userId: addSuperAdmin(args.login) }),
    /** Token families as a code exchange makes them, issued in parallel. */
    issueTokens(args: { count: number; userId?: string }): Promise<TokenResponse[]> {
      return Promise.all(
        Array.from({ length: args.count }, () =>
          okta.issueTokens({
            clientId: CLIENT_ID,
            userId: args.userId ?? userId,
            scopes: SEED_SCOPES,
          }),
        ),
      );
    },
    /** E.g. `{ rotation: 'ROTATE', leewaySeconds: 0 }`: any reuse of a refresh token is refused. */
    setRotation(args: { policy: RefreshTokenPolicy }) {
      okta.updateApp(CLIENT_ID, { refreshToken: args.policy });
    },
    markFamilies(args: { userId: string }) {
      marked = new Map(
        okta.authorizations({ clientId: CLIENT_ID, userId: args.userId }).map((family) => [
          family.id,
          {
            minted: family.accessTokens.length,
            issued: family.refreshTokens.length,
            revoked: family.revoked,
          },
        ]),
      );
      return marked.size;
    },
    familyRefreshes: (args: { userId: string }) => familyRefreshes(args.userId),
    setTokenRateLimit(args: { limit: RateLimit | null }) {
      okta.setRateLimit(TOKEN_PATH, args.limit);
    },
    stats() {
      return {
        rateLimited: okta.rateLimitedCount,
        tokenRequests: okta.countRequests(TOKEN_PATH),
        tokenOk: okta.countRequests(TOKEN_PATH, 200),
        // Okta's answer to a revoked, expired or reused refresh token.
        tokenInvalidGrant: okta.countRequests(TOKEN_PATH, 400),
      };
    },
  },
  () => okta.close(),
);
