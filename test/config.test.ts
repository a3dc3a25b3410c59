import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeProblems, loadConfig } from '../src/config.ts';

const KEY = Buffer.alloc(32, 7).toString('base64');
const base = {
  SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
  SLACK_SIGNING_SECRET: 'a'.repeat(32),
  ENCRYPTION_KEY: KEY,
};

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'okc-config-'));
  made.push(dir);
  return dir;
}

function problemsOf(env: Record<string, string>) {
  const result = loadConfig(env);
  if (result.ok) throw new Error('expected the configuration to be refused');
  return result.problems;
}

describe('loadConfig', () => {
  it('names every missing variable with its expected form when nothing is configured', () => {
    const problems = problemsOf({});
    expect(
      problems.some((p) => p.startsWith('SLACK_BOT_TOKEN: missing') && p.includes('xoxb-')),
    ).toBe(true);
    expect(problems.some((p) => p.startsWith('SLACK_SIGNING_SECRET: missing'))).toBe(true);
    expect(describeProblems(problems)).toContain('README.md');
  });

  it('reports every malformed variable in one run', () => {
    const problems = problemsOf({
      SLACK_BOT_TOKEN: 'xoxp-user-token',
      SLACK_SIGNING_SECRET: 'not hex!',
      PORT: 'eighty',
      ADMIN_USER_IDS: 'U123,bob',
      NOTIFY_CHANNEL: '#general',
      HEALTH_INTERVAL_SECONDS: '1',
      LOG_LEVEL: 'loud',
      ENCRYPTION_KEY: 'c2hvcnQ=',
      PUBLIC_URL: 'not a url',
    });
    for (const name of [
      'SLACK_BOT_TOKEN',
      'SLACK_SIGNING_SECRET',
      'PORT',
      'ADMIN_USER_IDS',
      'NOTIFY_CHANNEL',
      'HEALTH_INTERVAL_SECONDS',
      'LOG_LEVEL',
      'ENCRYPTION_KEY',
      'PUBLIC_URL',
    ]) {
      expect(
        problems.some((p) => p.startsWith(`${name}:`)),
        name,
      ).toBe(true);
    }
  });

  it('names the range for every number out of it, not only for what is not a number', () => {
    const problem = (env: Record<string, string>) => problemsOf(env).join('\n');
    expect(problem({ HEALTH_INTERVAL_SECONDS: '2' })).toContain(
      'HEALTH_INTERVAL_SECONDS: expected a number of seconds from 10 to 86400; that is below 10',
    );
    expect(problem({ HEALTH_INTERVAL_SECONDS: '86401' })).toContain(
      'HEALTH_INTERVAL_SECONDS: expected a number of seconds from 10 to 86400; that is above 86400',
    );
    expect(problem({ HEALTH_INTERVAL_SECONDS: '12.5' })).toContain(
      'HEALTH_INTERVAL_SECONDS: expected a number of seconds from 10 to 86400, without a fraction',
    );
    expect(problem({ HEALTH_INTERVAL_SECONDS: 'often' })).toContain(
      'HEALTH_INTERVAL_SECONDS: expected a number of seconds from 10 to 86400',
    );
    expect(problem({ PORT: '70000' })).toContain(
      'PORT: expected a port number from 0 to 65535; that is above 65535',
    );
  });

  it('refuses extra domains that are not host names, naming each', () => {
    const problems = problemsOf({
      OKTA_EXTRA_DOMAINS: 'login.acme.com, https://sso.acme.com/, 10.0.0.1',
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'OKTA_EXTRA_DOMAINS: “https://sso.acme.com/” is not a host name: expected host names like login.acme.com, without https://, a port or a path',
        'OKTA_EXTRA_DOMAINS: “10.0.0.1” is not a host name: expected host names like login.acme.com, without https://, a port or a path',
      ]),
    );
    expect(problems.join('\n')).not.toContain('“login.acme.com”');
  });

  it('never echoes a secret value back in its messages', () => {
    const text = describeProblems(
      problemsOf({
        SLACK_BOT_TOKEN: 'xoxp-SECRET-VALUE-1',
        SLACK_SIGNING_SECRET: 'zzzz-SECRET-VALUE-2',
        ENCRYPTION_KEY: 'SECRET-VALUE-3',
      }),
    );
    expect(text).not.toMatch(/SECRET-VALUE/);
  });

  it('accepts Socket Mode without a signing secret', () => {
    const result = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_APP_TOKEN: 'xapp-1-A-2',
      ENCRYPTION_KEY: KEY,
    });
    expect(result.ok && result.config.slack.appToken).toBe('xapp-1-A-2');
  });

  it('fills the documented defaults', () => {
    const result = loadConfig(base);
    if (!result.ok) throw new Error(result.problems.join('\n'));
    const { config } = result;
    expect(config.port).toBe(3000);
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.redirectUri).toBe('http://localhost:3000/oauth/okta/callback');
    expect(config.slack.apiUrl).toBe('https://slack.com/api/');
    expect(config.databasePath).toBe('./data/okta-connect.sqlite');
    expect(config.healthIntervalSeconds).toBe(300);
    expect(config.logLevel).toBe('info');
    expect(config.adminUserIds).toBeNull();
    expect(config.defaultScopes).toContain('openid');
    expect(config.defaultScopes).toContain('offline_access');
    expect(config.encryptionKey.equals(Buffer.alloc(32, 7))).toBe(true);
  });

  it('trims a trailing slash from PUBLIC_URL and derives the redirect URI', () => {
    const result = loadConfig({ ...base, PUBLIC_URL: 'https://bot.example.com/okta/' });
    expect(result.ok && result.config.redirectUri).toBe(
      'https://bot.example.com/okta/oauth/okta/callback',
    );
  });

  it('normalizes the home domain and refuses a client id without a domain', () => {
    const result = loadConfig({
      ...base,
      HOME_OKTA_DOMAIN: 'https://Acme-Admin.okta.com/',
      HOME_OKTA_CLIENT_ID: '0oa1',
    });
    expect(result.ok && result.config.home).toEqual({ domain: 'acme.okta.com', clientId: '0oa1' });
    expect(problemsOf({ ...base, HOME_OKTA_CLIENT_ID: '0oa1' })[0]).toMatch(/^HOME_OKTA_CLIENT_ID/);
    expect(problemsOf({ ...base, HOME_OKTA_DOMAIN: 'evil.example.com' })[0]).toMatch(
      /^HOME_OKTA_DOMAIN/,
    );
  });

  it('reads custom domains and origin overrides outside production', () => {
    const result = loadConfig({
      ...base,
      OKTA_EXTRA_DOMAINS: 'Login.Acme.com, sso.acme.com',
      OKTA_ORIGIN_OVERRIDES: '{"acme.okta.com":"http://127.0.0.1:9999/"}',
      HOME_OKTA_DOMAIN: 'login.acme.com',
    });
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.config.extraDomains).toEqual(['login.acme.com', 'sso.acme.com']);
    expect(result.config.originOverrides.get('acme.okta.com')).toBe('http://127.0.0.1:9999');
    expect(result.config.home?.domain).toBe('login.acme.com');
    expect(result.warnings.join(' ')).toContain('OKTA_ORIGIN_OVERRIDES');
  });

  it('refuses origin overrides in production', () => {
    const problems = problemsOf({
      ...base,
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://bot.example.com',
      OKTA_ORIGIN_OVERRIDES: '{"acme.okta.com":"http://127.0.0.1:9999"}',
    });
    expect(problems).toEqual([
      expect.stringMatching(/^OKTA_ORIGIN_OVERRIDES: refused when NODE_ENV=production/),
    ]);
  });

  it('refuses malformed origin overrides', () => {
    expect(problemsOf({ ...base, OKTA_ORIGIN_OVERRIDES: '{oops' })[0]).toMatch(
      /^OKTA_ORIGIN_OVERRIDES/,
    );
    expect(problemsOf({ ...base, OKTA_ORIGIN_OVERRIDES: '{"a.okta.com":"ftp://x"}' })[0]).toMatch(
      /^OKTA_ORIGIN_OVERRIDES/,
    );
  });

  it('requires an encryption key and an https PUBLIC_URL in production', () => {
    const problems = problemsOf({
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 'a'.repeat(32),
      NODE_ENV: 'production',
      PUBLIC_URL: 'http://bot.example.com',
    });
    expect(problems.some((p) => p.startsWith('ENCRYPTION_KEY: missing'))).toBe(true);
    expect(problems.some((p) => p.startsWith('PUBLIC_URL: must use https://'))).toBe(true);
  });

  it('refuses an encryption key that is not 32 bytes of base64', () => {
    expect(problemsOf({ ...base, ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') })[0]).toMatch(
      /^ENCRYPTION_KEY: expected base64 of 32/,
    );
    expect(problemsOf({ ...base, ENCRYPTION_KEY_PREVIOUS: `${KEY},nope` })[0]).toMatch(
      /^ENCRYPTION_KEY_PREVIOUS: entry 2/,
    );
  });

  it('generates a missing key into the data folder with mode 0600 and reuses it', () => {
    const dir = tempDir();
    const env = {
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 'ab'.repeat(16),
      DATABASE_PATH: join(dir, 'db', 'x.sqlite'),
    };
    const first = loadConfig(env);
    if (!first.ok) throw new Error(first.problems.join('\n'));
    const keyFile = join(dir, 'db', 'encryption.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(first.warnings.join(' ')).toMatch(/generated a new key/);
    expect(
      Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64').equals(
        first.config.encryptionKey,
      ),
    ).toBe(true);

    const second = loadConfig(env);
    if (!second.ok) throw new Error(second.problems.join('\n'));
    expect(second.config.encryptionKey.equals(first.config.encryptionKey)).toBe(true);
    expect(second.warnings.join(' ')).toMatch(/using the key saved/);
  });

  it('refuses a damaged generated key file instead of replacing it', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'encryption.key'), 'garbage');
    const problems = problemsOf({
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 'ab'.repeat(16),
      DATABASE_PATH: join(dir, 'x.sqlite'),
    });
    expect(problems[0]).toMatch(/^ENCRYPTION_KEY: .*encryption\.key does not hold/);
  });

  it('reads API key hashes, optionally scoped to a team, and refuses malformed ones', () => {
    const hash = 'a'.repeat(64);
    const result = loadConfig({ ...base, API_KEY_HASHES: `${hash}, T123ABC:${'b'.repeat(64)}` });
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.config.apiKeys.map((key) => [key.id, key.teamId])).toEqual([
      ['aaaaaaaa', null],
      ['bbbbbbbb', 'T123ABC'],
    ]);
    expect(
      loadConfig(base).ok &&
        (loadConfig(base) as { config: { apiKeys: unknown[] } }).config.apiKeys,
    ).toEqual([]);
    expect(problemsOf({ ...base, API_KEY_HASHES: 'not-a-hash' })[0]).toMatch(/^API_KEY_HASHES/);
  });
});
