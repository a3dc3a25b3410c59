/** The made-up workspace, Okta org and secrets every benchmark process agrees on. */
export const SIGNING_SECRET = 'be7c0123456789abcdef0123456789ab';
export const BOT_TOKEN = 'xoxb-bench-token';
export const ENCRYPTION_KEY = Buffer.alloc(32, 0x6b).toString('base64');
export const TEAM_ID = 'T0BENCH';
export const CHANNEL_ID = 'CBENCH';
export const ORG = 'acme.okta.com';
export const CLIENT_ID = '0oa1benchClient';
/** The connection API key the scale workload presents; the bot is given its SHA-256. */
export const API_KEY = 'bench-api-key-0123456789abcdef';
export const CLIENT_SECRET = 'bench-client-secret-0123456789abcdefghij';
export const OKTA_LOGIN = 'ada@acme.example';
/** Scopes of seeded connections: what a connection made with the defaults holds. */
export const SEED_SCOPES = ['openid', 'offline_access', 'okta.users.read'];

/** Workspace admins sending the load: the default config asks Slack's users.info once each. */
export const ADMINS = Array.from({ length: 16 }, (_, i) => `UBENCH${String(i).padStart(2, '0')}`);

export const SLACK_USERS = ADMINS.map((id) => ({ id, isAdmin: true }));
export const SLACK_CHANNELS = [{ id: CHANNEL_ID, name: 'okta-bench' }];
