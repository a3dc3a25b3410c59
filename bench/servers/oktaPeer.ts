import { type RateLimit, startOktaPeer, type TokenResponse } from '../../test/peers/okta/index.ts';
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
      userId = okta.addUser({
        login: OKTA_LOGIN,
        password: 'correct horse battery staple',
        roles: ['SUPER_ADMIN'],
        assignedTo: [CLIENT_ID],
      }).id;
      // Every /authorize redirects straight back, signed in as the admin.
      okta.autoSignIn(userId);
      return { userId };
    },
    /** Token families as a code exchange makes them, issued in parallel. */
    issueTokens(args: { count: number }): Promise<TokenResponse[]> {
      return Promise.all(
        Array.from({ length: args.count }, () =>
          okta.issueTokens({ clientId: CLIENT_ID, userId, scopes: SEED_SCOPES }),
        ),
      );
    },
    setTokenRateLimit(args: { limit: RateLimit | null }) {
      okta.setRateLimit(TOKEN_PATH, args.limit);
    },
    stats() {
      return {
        rateLimited: okta.rateLimitedCount,
        tokenRequests: okta.countRequests(TOKEN_PATH),
        tokenOk: okta.countRequests(TOKEN_PATH, 200),
      };
    },
  },
  () => okta.close(),
);
