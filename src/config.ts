import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { parseOktaDomain } from './okta/parseOktaDomain.ts';
import { parseScopeList } from './okta/parseScopeList.ts';
import { resolveDefaultScopes } from './okta/scopeCatalog.ts';
import { type ApiKey, parseApiKeyHashes } from './web/api/apiKeys.ts';

/**
 * The whole configuration, read once from the environment (design §7). A bad or missing
 * value stops the process with one line per variable naming the expected form; nothing
 * here ever echoes a secret's value back.
 */
export interface Config {
  nodeEnv: 'production' | 'development' | 'test';
  slack: {
    botToken: string;
    signingSecret: string | null;
    appToken: string | null;
    apiUrl: string;
  };
  /** Base URL of the bot's pages as the admin's browser sees them, without a trailing slash. */
  publicUrl: string;
  /** `${publicUrl}/oauth/okta/callback`: the sign-in redirect URI registered in Okta. */
  redirectUri: string;
  port: number;
  host: string;
  databasePath: string;
  /** `postgres://…`: the shared store of several replicas; null: SQLite at `databasePath`. */
  databaseUrl: string | null;
  encryptionKey: Buffer;
  encryptionKeysPrevious: Buffer[];
  /** null: workspace admins and owners may manage connections. */
  adminUserIds: string[] | null;
  notifyChannel: string | null;
  home: { domain: string; clientId: string | null } | null;
  defaultScopes: string[];
  extraDomains: string[];
  /** Okta domain → origin to call instead of https://{domain}; empty in production. */
  originOverrides: Map<string, string>;
  healthIntervalSeconds: number;
  /** Keys of the connection API (API_KEY_HASHES); empty: the API is off. */
  apiKeys: ApiKey[];
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

export type ConfigResult =
  | { ok: true; config: Config; warnings: string[] }
  | { ok: false; problems: string[] };

const README_CONFIG_POINTER = 'See "Configuration" in README.md for every variable.';

function isPostgresUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '';
  } catch {
    return false;
  }
}

const blankToUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess(blankToUndefined, schema.optional());

/**
 * A whole number in a range. Every refusal names the range: `2` is a number, so "expected
 * a number" would not say what is wrong with it.
 */
const wholeNumberIn = (noun: string, min: number, max: number) => {
  const expected = `expected ${noun} from ${min} to ${max}`;
  return z.coerce
    .number({ error: expected })
    .int({ error: `${expected}, without a fraction` })
    .min(min, { error: `${expected}; that is below ${min}` })
    .max(max, { error: `${expected}; that is above ${max}` });
};

const slackUserList = z
  .string()
  .transform((text) => text.split(/[\s,]+/).filter(Boolean))
  .pipe(
    z
      .array(
        z.string().regex(/^[UW][A-Z0-9]{2,}$/, {
          error: 'expected Slack user ids like U024BE7LH, W0123ABC',
        }),
      )
      .min(1),
  );

/** A DNS name of two or more labels, not an IP address: no scheme, port or path. */
const HOST_NAME =
  /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

const hostList = z
  .string()
  .transform((text) =>
    text
      .split(/[\s,]+/)
      .filter(Boolean)
      .map((host) => host.toLowerCase()),
  )
  .pipe(
    z.array(
      z.string().regex(HOST_NAME, {
        error: (issue) =>
          `“${String(issue.input).slice(0, 100)}” is not a host name: expected host names like login.acme.com, without https://, a port or a path`,
      }),
    ),
  );

const envSchema = z.object({
  NODE_ENV: optional(
    z.enum(['production', 'development', 'test'], {
      error: 'expected production, development or test',
    }),
  ),
  SLACK_BOT_TOKEN: z
    .string({ error: 'missing: the bot token from your Slack app (OAuth & Permissions), xoxb-…' })
    .regex(/^xoxb-[A-Za-z0-9-]+$/, { error: 'expected a bot token starting with xoxb-' }),
  SLACK_SIGNING_SECRET: optional(
    z.string().regex(/^[a-f0-9]{16,}$/i, {
      error: 'expected the hex signing secret from your Slack app (Basic Information)',
    }),
  ),
  SLACK_APP_TOKEN: optional(
    z.string().regex(/^xapp-[A-Za-z0-9-]+$/, {
      error: 'expected an app-level token starting with xapp- (for Socket Mode)',
    }),
  ),
  SLACK_API_URL: optional(z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' })),
  PUBLIC_URL: optional(
    z.url({
      protocol: /^https?$/,
      error: 'expected the http(s) base URL of the bot, like https://okta-connect.example.com',
    }),
  ),
  PORT: optional(wholeNumberIn('a port number', 0, 65_535)),
  HOST: optional(
    z.string().regex(/^[A-Za-z0-9.:-]+$/, {
      error: 'expected an interface address like 127.0.0.1 or 0.0.0.0',
    }),
  ),
  DATABASE_PATH: optional(z.string()),
  // The value is never echoed in a message: it carries the database password.
  DATABASE_URL: optional(
    z.string().refine(isPostgresUrl, {
      error:
        'expected a PostgreSQL URL like postgres://USER:PASSWORD@HOST:5432/DATABASE (add ?sslmode=verify-full&sslrootcert=/path/ca.pem for TLS)',
    }),
  ),
  ENCRYPTION_KEY: optional(z.string()),
  ENCRYPTION_KEY_PREVIOUS: optional(z.string()),
  ADMIN_USER_IDS: optional(slackUserList),
  NOTIFY_CHANNEL: optional(
    z.string().regex(/^[CG][A-Z0-9]{2,}$/, { error: 'expected a Slack channel id like C024BE91L' }),
  ),
  HOME_OKTA_DOMAIN: optional(z.string()),
  HOME_OKTA_CLIENT_ID: optional(
    z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, {
      error:
        'expected an Okta client ID like 0oa1b2c3d4E5f6G7h8i9: 1 to 100 letters, digits, - and _',
    }),
  ),
  OKTA_DEFAULT_SCOPES: optional(z.string()),
  OKTA_EXTRA_DOMAINS: optional(hostList),
  OKTA_ORIGIN_OVERRIDES: optional(z.string()),
  HEALTH_INTERVAL_SECONDS: optional(wholeNumberIn('a number of seconds', 10, 86_400)),
  API_KEY_HASHES: optional(z.string()),
  LOG_LEVEL: optional(
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'expected one of fatal, error, warn, info, debug, trace, silent',
    }),
  ),
});

type Env = Record<string, string | undefined>;

/** Decodes one base64 key; 32 bytes exactly, since AES-256 takes nothing else. */
function decodeKey(text: string): Buffer | null {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) return null;
  const key = Buffer.from(trimmed, 'base64');
  return key.length === 32 ? key : null;
}

/** `ENCRYPTION_KEY_PREVIOUS`: a comma list of older keys, still accepted for reading. */
function decodePreviousKeys(text: string | undefined, problems: string[]): Buffer[] {
  const keys: Buffer[] = [];
  for (const [index, entry] of (text ?? '').split(',').entries()) {
    if (entry.trim() === '') continue;
    const key = decodeKey(entry);
    if (key) keys.push(key);
    else problems.push(`ENCRYPTION_KEY_PREVIOUS: entry ${index + 1} is not base64 of 32 bytes`);
  }
  return keys;
}

function parseOverrides(text: string, problems: string[]): Map<string, string> {
  const overrides = new Map<string, string>();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    problems.push(
      'OKTA_ORIGIN_OVERRIDES: expected a JSON object like {"acme.okta.com":"http://127.0.0.1:8080"}',
    );
    return overrides;
  }
  const shape = z.record(z.string(), z.url({ protocol: /^https?$/ })).safeParse(parsed);
  if (!shape.success) {
    problems.push(
      'OKTA_ORIGIN_OVERRIDES: expected a JSON object mapping Okta domains to http(s) origins',
    );
    return overrides;
  }
  for (const [domain, url] of Object.entries(shape.data)) {
    overrides.set(domain.toLowerCase(), new URL(url).origin);
  }
  return overrides;
}

/**
 * Outside production a missing key is generated once into the data folder, so that
 * `npm start` works on a fresh clone; the warning says to keep it, since the stored
 * secrets cannot be opened without it.
 */
function localKey(databasePath: string, warnings: string[], problems: string[]): Buffer | null {
  const dataDir = databasePath === ':memory:' ? resolve('data') : dirname(resolve(databasePath));
  const keyFile = join(dataDir, 'encryption.key');
  if (existsSync(keyFile)) {
    const key = decodeKey(readFileSync(keyFile, 'utf8'));
    if (!key) problems.push(`ENCRYPTION_KEY: ${keyFile} does not hold base64 of 32 bytes`);
    else warnings.push(`ENCRYPTION_KEY is not set: using the key saved in ${keyFile}.`);
    return key;
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(keyFile, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(keyFile, 0o600);
  warnings.push(
    `ENCRYPTION_KEY is not set: generated a new key into ${keyFile} (mode 0600). ` +
      'Keep a copy: the stored secrets cannot be opened without it. Set ENCRYPTION_KEY in production.',
  );
  return key;
}

export function loadConfig(env: Env): ConfigResult {
  // Every variable is checked even when an earlier one is wrong, so that one run names
  // every problem: the malformed ones are dropped and the rest parsed a second time.
  const first = envSchema.safeParse(env);
  const problems = first.success
    ? []
    : first.error.issues.map((issue) => `${String(issue.path[0])}: ${issue.message}`);
  const badKeys = new Set(first.success ? [] : first.error.issues.map((issue) => issue.path[0]));
  const e = envSchema
    .partial()
    .parse(Object.fromEntries(Object.entries(env).filter(([key]) => !badKeys.has(key))));
  const warnings: string[] = [];
  const nodeEnv = e.NODE_ENV ?? 'development';
  const production = nodeEnv === 'production';

  const appToken = e.SLACK_APP_TOKEN ?? null;
  // Only when absent: a malformed one was reported above already.
  if (!appToken && !e.SLACK_SIGNING_SECRET && !badKeys.has('SLACK_SIGNING_SECRET')) {
    problems.push(
      'SLACK_SIGNING_SECRET: missing: the signing secret from your Slack app (Basic Information); ' +
        'required unless SLACK_APP_TOKEN selects Socket Mode',
    );
  }

  const port = e.PORT ?? 3000;
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, '');
  const publicParts = new URL(publicUrl);
  if (publicParts.search || publicParts.hash || publicParts.username || publicParts.password) {
    problems.push('PUBLIC_URL: expected a base URL without query, fragment or credentials');
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(publicParts.hostname);
  if (production && publicParts.protocol !== 'https:' && !loopback) {
    problems.push('PUBLIC_URL: must use https:// in production (Okta sends the admin back to it)');
  }

  const extraDomains = e.OKTA_EXTRA_DOMAINS ?? [];
  let home: Config['home'] = null;
  if (e.HOME_OKTA_DOMAIN) {
    const domain = parseOktaDomain(e.HOME_OKTA_DOMAIN, { extraDomains });
    if (domain.ok) home = { domain: domain.domain, clientId: e.HOME_OKTA_CLIENT_ID ?? null };
    else problems.push(`HOME_OKTA_DOMAIN: ${domain.message}`);
  } else if (e.HOME_OKTA_CLIENT_ID) {
    problems.push('HOME_OKTA_CLIENT_ID: set HOME_OKTA_DOMAIN too, or leave both unset');
  }

  let defaultScopes: string[] = resolveDefaultScopes();
  if (e.OKTA_DEFAULT_SCOPES) {
    const scopes = parseScopeList(e.OKTA_DEFAULT_SCOPES);
    if (scopes.ok) defaultScopes = resolveDefaultScopes(e.OKTA_DEFAULT_SCOPES);
    else problems.push(`OKTA_DEFAULT_SCOPES: ${scopes.message}`);
  }

  let originOverrides = new Map<string, string>();
  if (e.OKTA_ORIGIN_OVERRIDES) {
    if (production) {
      problems.push(
        'OKTA_ORIGIN_OVERRIDES: refused when NODE_ENV=production: it sends tokens somewhere other than https://{domain}',
      );
    } else {
      originOverrides = parseOverrides(e.OKTA_ORIGIN_OVERRIDES, problems);
      if (originOverrides.size > 0) {
        warnings.push(
          `OKTA_ORIGIN_OVERRIDES is set: calls for ${[...originOverrides.keys()].join(', ')} go to the given origins.`,
        );
      }
    }
  }

  const databasePath = e.DATABASE_PATH ?? './data/okta-connect.sqlite';
  let encryptionKey: Buffer | null = null;
  if (e.ENCRYPTION_KEY) {
    encryptionKey = decodeKey(e.ENCRYPTION_KEY);
    if (!encryptionKey) {
      problems.push(
        'ENCRYPTION_KEY: expected base64 of 32 random bytes (make one with: openssl rand -base64 32)',
      );
    }
  } else if (production) {
    problems.push(
      'ENCRYPTION_KEY: missing: base64 of 32 random bytes (openssl rand -base64 32); required in production',
    );
  } else if (e.DATABASE_URL) {
    problems.push(
      'ENCRYPTION_KEY: missing: required with DATABASE_URL, since every replica must seal and open secrets with the same key (openssl rand -base64 32)',
    );
  } else if (problems.length === 0) {
    encryptionKey = localKey(databasePath, warnings, problems);
  }
  const encryptionKeysPrevious = decodePreviousKeys(e.ENCRYPTION_KEY_PREVIOUS, problems);

  const apiKeys = parseApiKeyHashes(e.API_KEY_HASHES);
  if (!apiKeys.ok) problems.push(apiKeys.message);

  if (problems.length > 0 || !encryptionKey || !e.SLACK_BOT_TOKEN) return { ok: false, problems };

  return {
    ok: true,
    warnings,
    config: {
      nodeEnv,
      slack: {
        botToken: e.SLACK_BOT_TOKEN,
        signingSecret: e.SLACK_SIGNING_SECRET ?? null,
        appToken,
        apiUrl: e.SLACK_API_URL ?? 'https://slack.com/api/',
      },
      publicUrl,
      redirectUri: `${publicUrl}/oauth/okta/callback`,
      port,
      host: e.HOST ?? '0.0.0.0',
      databasePath,
      databaseUrl: e.DATABASE_URL ?? null,
      encryptionKey,
      encryptionKeysPrevious,
      adminUserIds: e.ADMIN_USER_IDS ?? null,
      notifyChannel: e.NOTIFY_CHANNEL ?? null,
      home,
      defaultScopes,
      extraDomains,
      originOverrides,
      healthIntervalSeconds: e.HEALTH_INTERVAL_SECONDS ?? 300,
      apiKeys: apiKeys.ok ? apiKeys.keys : [],
      logLevel: e.LOG_LEVEL ?? 'info',
    },
  };
}

/** Reads a `.env` file in the working folder when there is one (Node's own parser). */
export function loadDotEnv(): void {
  try {
    process.loadEnvFile();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** The text printed when the configuration is refused. */
export function describeProblems(problems: readonly string[]): string {
  return [
    'okta-connect cannot start: the configuration has problems.',
    ...problems.map((problem) => `  - ${problem}`),
    README_CONFIG_POINTER,
  ].join('\n');
}

/** The database and key settings alone, for tools that work on the store without Slack. */
export interface StoreConfig {
  databasePath: string;
  databaseUrl: string | null;
  encryptionKey: Buffer;
  encryptionKeysPrevious: Buffer[];
}

export type StoreConfigResult =
  | { ok: true; config: StoreConfig }
  | { ok: false; problems: string[] };

const storeEnvSchema = envSchema.pick({
  DATABASE_PATH: true,
  DATABASE_URL: true,
  ENCRYPTION_KEY: true,
  ENCRYPTION_KEY_PREVIOUS: true,
});

/**
 * `DATABASE_PATH`, `ENCRYPTION_KEY` and `ENCRYPTION_KEY_PREVIOUS` with the forms and
 * defaults of `loadConfig`, for `npm run rotate-key`. One difference: `ENCRYPTION_KEY` is
 * required. A tool that re-seals every secret must be told which key to seal with; reading
 * or generating the data folder's key file, as the bot does outside production, could
 * quietly re-seal everything with a key nobody meant to use.
 */
export function loadStoreConfig(env: Env): StoreConfigResult {
  const parsed = storeEnvSchema.safeParse(env);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => `${String(issue.path[0])}: ${issue.message}`),
    };
  }
  const e = parsed.data;
  const problems: string[] = [];
  const encryptionKey = e.ENCRYPTION_KEY ? decodeKey(e.ENCRYPTION_KEY) : null;
  if (!e.ENCRYPTION_KEY) {
    problems.push(
      'ENCRYPTION_KEY: missing: the key to seal with, base64 of 32 random bytes (openssl rand -base64 32); ' +
        'the generated data/encryption.key is never used here: to rotate away from it, put its content in ENCRYPTION_KEY_PREVIOUS',
    );
  } else if (!encryptionKey) {
    problems.push(
      'ENCRYPTION_KEY: expected base64 of 32 random bytes (make one with: openssl rand -base64 32)',
    );
  }
  const encryptionKeysPrevious = decodePreviousKeys(e.ENCRYPTION_KEY_PREVIOUS, problems);
  if (problems.length > 0 || !encryptionKey) return { ok: false, problems };
  return {
    ok: true,
    config: {
      databasePath: e.DATABASE_PATH ?? './data/okta-connect.sqlite',
      databaseUrl: e.DATABASE_URL ?? null,
      encryptionKey,
      encryptionKeysPrevious,
    },
  };
}

/** Slack errors that mean the bot token itself was refused. */
const TOKEN_REFUSED = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
]);

/** The text printed when the bot cannot start although its configuration parsed. */
export function describeStartFailure(error: unknown, apiUrl: string): string {
  const slackCode = (error as { data?: { error?: string } }).data?.error;
  const token = (error as { slackToken?: string }).slackToken ?? 'SLACK_BOT_TOKEN';
  if (slackCode && TOKEN_REFUSED.has(slackCode)) {
    return describeProblems([
      token === 'SLACK_APP_TOKEN'
        ? `SLACK_APP_TOKEN: Slack refused it (${slackCode}). Create an app-level token with the connections:write scope under Basic Information → App-Level Tokens.`
        : `SLACK_BOT_TOKEN: Slack refused it (${slackCode}). Copy the Bot User OAuth Token (xoxb-…) from your Slack app's OAuth & Permissions page, and reinstall the app if it was revoked.`,
    ]);
  }
  if (slackCode)
    return `okta-connect cannot start: Slack answered ${slackCode} when checking the bot token.`;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE' || code === 'EACCES') {
    return describeProblems([
      `PORT: cannot listen (${code}); choose another port or stop what uses it`,
    ]);
  }
  return `okta-connect cannot start: Slack could not be reached at ${apiUrl} (${(error as Error).message}). Check SLACK_API_URL and the network, then start again.`;
}
