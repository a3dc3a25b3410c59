import { afterEach, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/db/connectionsRepo.ts';
import { describePostgres, emptyPostgresDatabase } from '../db/testDatabase.ts';
import { eventually } from '../waitUntil.ts';
import {
  type ApiServer,
  apiKeys,
  movableClock,
  rawRequest,
  sha256Hex,
  startApi,
} from './apiSteps.ts';
import { connectActive, connectionNamed, textOf } from './connectionSteps.ts';
import { CLIENT_ID, CLIENT_SECRET, type Harness, startHarness } from './harness.ts';
import { expectSlackAccepted } from './slackChecks.ts';

const KEY = 'okc-e2e-all-teams-key-0123456789abcdef';
const TEAM_KEY = 'okc-e2e-team-key-0123456789abcdef';
const OTHER_TEAM = 'T0OTHER';
const OTHER_TEAM_KEY = 'okc-e2e-other-team-key-0123456789';
const FIFTY_FIVE_MINUTES = 55 * 60 * 1000;
const GRANTS_WITHOUT_LOGS = ['okta.users.read', 'okta.groups.read', 'okta.roles.read'];

/** What the list and token endpoints answer, as far as the tests read it. */
interface ListAnswer {
  connections: { id: string }[];
  next_offset: number | null;
}
interface TokenAnswer {
  access_token: string;
  expires_in: number;
  expires_at: string;
}
const jsonOf = <T>(answer: Response) => answer.json() as Promise<T>;

interface World {
  h: Harness;
  api: ApiServer;
  clock: ReturnType<typeof movableClock>;
  connection: Connection;
  /** `fetch` to the API with the all-teams key unless told otherwise. */
  call(path: string, init?: RequestInit & { key?: string | null }): Promise<Response>;
}

let running: World | undefined;
afterEach(async () => {
  const world = running;
  running = undefined;
  if (!world) return;
  expectSlackAccepted(world.h);
  await world.api.stop();
  await world.h.close();
});

/** The bot with an active `acme-prod`, and the API beside it with three keys. */
async function world(
  options: { grantedScopes?: string[]; databaseUrl?: string } = {},
): Promise<World> {
  const clock = movableClock();
  const h = await startHarness({
    now: clock.now,
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
  });
  if (options.grantedScopes) h.okta.updateApp(CLIENT_ID, { grantedScopes: options.grantedScopes });
  const connection = await connectActive(h, { nickname: 'acme-prod' });
  const teamId = h.slack.identity.teamId;
  const api = await startApi(
    h,
    apiKeys([
      sha256Hex(KEY),
      `${teamId}:${sha256Hex(TEAM_KEY)}`,
      `${OTHER_TEAM}:${sha256Hex(OTHER_TEAM_KEY)}`,
    ]),
  );
  const call = (path: string, init: RequestInit & { key?: string | null } = {}) => {
    const { key = KEY, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (key !== null) headers.set('Authorization', `Bearer ${key}`);
    return fetch(`${api.url}${path}`, { ...rest, headers });
  };
  running = { h, api, clock, connection, call };
  return running;
}

/** A connection with the same nickname in another Slack team, straight into the store. */
async function seedOtherTeam(h: Harness): Promise<Connection> {
  const { connections } = h.bot.flows;
  const created = await connections.createPending({
    teamId: OTHER_TEAM,
    nickname: 'acme-prod',
    orgKind: 'other',
    domain: 'other.okta.com',
    clientId: '0oaOther',
    scopeMode: 'default',
    requestedScopes: ['okta.users.read'],
    createdBy: 'UOTHER',
  });
  if (!created.ok) throw new Error(created.code);
  const active = await connections.markActive(created.connection.id, {
    grantedScopes: ['okta.users.read'],
    accessToken: 'seeded-other-team-access',
    refreshToken: null,
    accessExpiresAt: Date.now() + 3_600_000,
    authorizedSub: null,
    authorizedLogin: null,
    authorizedBy: 'UOTHER',
  });
  if (!active.ok) throw new Error(active.code);
  return active.connection;
}

async function secretsOf(h: Harness, connection: Connection) {
  const secrets = await h.bot.flows.connections.readSecrets(connection.id, [
    'accessToken',
    'refreshToken',
    'clientSecret',
  ]);
  return [secrets?.accessToken, secrets?.refreshToken, secrets?.clientSecret].filter(
    (value): value is string => typeof value === 'string',
  );
}

const storedAccessToken = async (h: Harness, connection: Connection) =>
  await (await h.bot.flows.connections.readSecrets(connection.id, ['accessToken']))?.accessToken;

const alertsIn = (h: Harness) => h.slack.messagesTo('CALERTS');

describe('connection API: keys', () => {
  it('is off, answering 404 api_disabled everywhere, when no key is configured', async () => {
    const h = await startHarness();
    const api = await startApi(h, []);
    try {
      for (const [method, path] of [
        ['GET', '/api/connections'],
        ['POST', '/api/connections/acme-prod/token'],
        ['GET', '/api/connections/acme-prod/okta/api/v1/users'],
        ['GET', '/api/anything'],
      ] as const) {
        const answer = await fetch(`${api.url}${path}`, {
          method,
          headers: { Authorization: `Bearer ${KEY}` },
        });
        expect(answer.status, path).toBe(404);
        expect(await answer.json()).toMatchObject({ error: 'api_disabled' });
      }
    } finally {
      await api.stop();
      await h.close();
    }
  });

  it('answers 401 with a Bearer challenge without a key or with a wrong one', async () => {
    const { call } = await world();
    for (const key of [null, 'not-a-configured-key', `${KEY}x`]) {
      const answer = await call('/api/connections', { key });
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="okta-connect"');
      expect(await answer.json()).toMatchObject({ error: 'unauthorized' });
    }
    const basic = await call('/api/connections', {
      key: null,
      headers: { Authorization: `Basic ${Buffer.from(`x:${KEY}`).toString('base64')}` },
    });
    expect(basic.status).toBe(401);
  });
});

describe('connection API: metadata', () => {
  it('lists and reads connections without any secret in the answer', async () => {
    const { h, call, connection } = await world();
    const listed = await call('/api/connections');
    expect(listed.status).toBe(200);
    expect(listed.headers.get('cache-control')).toBe('no-store');
    const listText = await listed.text();
    const list = JSON.parse(listText) as { connections: unknown[]; next_offset: number | null };
    expect(list.next_offset).toBeNull();
    expect(list.connections).toEqual([
      expect.objectContaining({
        id: connection.id,
        team_id: h.slack.identity.teamId,
        nickname: 'acme-prod',
        status: 'active',
        authorized_login: 'ada@acme.example',
        attention: null,
      }),
    ]);

    const one = await call('/api/connections/ACME-PROD');
    expect(one.status).toBe(200);
    const oneText = await one.text();
    expect(JSON.parse(oneText)).toMatchObject({
      id: connection.id,
      domain: connection.domain,
      scopes: { granted: expect.arrayContaining(['okta.users.read']) },
      access_expires_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    const secrets = await secretsOf(h, connection);
    expect(secrets).toHaveLength(3);
    for (const secret of [...secrets, CLIENT_SECRET]) {
      expect(listText).not.toContain(secret);
      expect(oneText).not.toContain(secret);
    }
    expect(oneText).not.toMatch(/lease|sealed|v1\.[0-9a-f]{16}\./);

    const missing = await call('/api/connections/nobody');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: 'not_found' });
  });

  it('keeps a team key to its team and asks an all-teams key to name the team', async () => {
    const { h, call, connection } = await world();
    const other = await seedOtherTeam(h);
    const teamId = h.slack.identity.teamId;

    const teamList = await jsonOf<ListAnswer>(await call('/api/connections', { key: TEAM_KEY }));
    expect(teamList.connections.map((c) => c.id)).toEqual([connection.id]);
    const peek = await call(`/api/connections/acme-prod?team=${OTHER_TEAM}`, { key: TEAM_KEY });
    expect(peek.status).toBe(404);
    const otherList = await call(`/api/connections?team=${OTHER_TEAM}`, { key: TEAM_KEY });
    expect((await jsonOf<ListAnswer>(otherList)).connections).toEqual([]);
    const otherKey = await call('/api/connections/acme-prod', { key: OTHER_TEAM_KEY });
    expect(await otherKey.json()).toMatchObject({ id: other.id, team_id: OTHER_TEAM });
    const otherToken = await call('/api/connections/acme-prod/token', {
      method: 'POST',
      key: OTHER_TEAM_KEY,
    });
    expect(await otherToken.json()).toMatchObject({ access_token: 'seeded-other-team-access' });

    const allList = await jsonOf<ListAnswer>(await call('/api/connections'));
    expect(allList.connections).toHaveLength(2);
    const ambiguous = await call('/api/connections/acme-prod');
    expect(ambiguous.status).toBe(409);
    expect(await ambiguous.json()).toMatchObject({
      error: 'ambiguous_nickname',
      teams: expect.arrayContaining([teamId, OTHER_TEAM]),
    });
    const picked = await call(`/api/connections/acme-prod?team=${teamId}`);
    expect(await picked.json()).toMatchObject({ id: connection.id });
    const badTeam = await call('/api/connections/acme-prod?team=nope');
    expect(badTeam.status).toBe(400);
  });
});

describe('connection API: token endpoint', () => {
  it('returns the stored access token while it has more than ten minutes left', async () => {
    const { h, call, connection } = await world();
    const refreshesBefore = h.okta.countRequests('/oauth2/v1/token');
    const answer = await call('/api/connections/acme-prod/token', { method: 'POST' });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const body = await jsonOf<TokenAnswer>(answer);
    expect(body).toMatchObject({
      access_token: await storedAccessToken(h, connection),
      token_type: 'Bearer',
      scope: expect.stringContaining('okta.users.read'),
    });
    expect(body.expires_in).toBeGreaterThan(3500);
    expect(Date.parse(body.expires_at)).toBe(connection.accessExpiresAt);
    expect(h.okta.countRequests('/oauth2/v1/token')).toBe(refreshesBefore);
  });

  it('refreshes first when the token expires within ten minutes', async () => {
    const { h, call, clock, connection } = await world();
    const before = await storedAccessToken(h, connection);
    const refreshesBefore = h.okta.countRequests('/oauth2/v1/token', 200);
    clock.advance(FIFTY_FIVE_MINUTES);

    const answer = await call('/api/connections/acme-prod/token', { method: 'POST' });

    expect(answer.status).toBe(200);
    const body = await jsonOf<TokenAnswer>(answer);
    expect(body.access_token).not.toBe(before);
    expect(body.access_token).toBe(await storedAccessToken(h, connection));
    expect(body.expires_in).toBeGreaterThan(3500);
    expect(h.okta.countRequests('/oauth2/v1/token', 200)).toBe(refreshesBefore + 1);
  });

  it('refreshes once when two tools ask at the same moment', async () => {
    const { h, call, clock } = await world();
    const refreshesBefore = h.okta.countRequests('/oauth2/v1/token', 200);
    clock.advance(FIFTY_FIVE_MINUTES);

    const answers = await Promise.all(
      [1, 2].map(() => call('/api/connections/acme-prod/token', { method: 'POST' })),
    );

    const bodies = await Promise.all(answers.map((answer) => jsonOf<TokenAnswer>(answer)));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect(bodies[0]?.access_token).toBe(bodies[1]?.access_token);
    expect(h.okta.countRequests('/oauth2/v1/token', 200)).toBe(refreshesBefore + 1);
  });

  it('answers 503 busy when another refresher keeps the lease', async () => {
    const { h, call, clock, connection } = await world();
    clock.advance(FIFTY_FIVE_MINUTES);
    expect(
      await h.bot.flows.connections.tryTakeLease(connection.id, 'elsewhere', clock.now()),
    ).toBe(true);

    const answer = await call('/api/connections/acme-prod/token', { method: 'POST' });

    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toBe('1');
    expect(await answer.json()).toMatchObject({ error: 'busy' });
  });

  it('answers 409 needs_reauth and alerts the channel once when Okta refuses the refresh', async () => {
    const { h, call, clock } = await world();
    const alertsBefore = alertsIn(h).length;
    h.okta.revokeTokens({ clientId: CLIENT_ID });
    clock.advance(FIFTY_FIVE_MINUTES);

    const answer = await call('/api/connections/acme-prod/token', { method: 'POST' });

    expect(answer.status).toBe(409);
    expect(await answer.json()).toMatchObject({
      error: 'needs_reauth',
      status: 'needs_reauth',
      reason: 'invalid_grant',
    });
    expect((await connectionNamed(h, 'acme-prod')).status).toBe('needs_reauth');
    await eventually(() => alertsIn(h).length > alertsBefore, 'the alert');
    const alert = alertsIn(h).at(-1);
    expect(textOf(alert ?? {})).toContain('needs reauthorization');

    const again = await call('/api/connections/acme-prod/token', { method: 'POST' });
    expect(again.status).toBe(409);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(alertsIn(h)).toHaveLength(alertsBefore + 1);
  });

  it('answers 503 okta_unavailable with Retry-After when Okta fails, and keeps the connection active', async () => {
    const { h, call, clock } = await world();
    h.okta.injectFault('/oauth2/v1/token', { kind: 'status', status: 503 });
    clock.advance(FIFTY_FIVE_MINUTES);

    const answer = await call('/api/connections/acme-prod/token', { method: 'POST' });

    expect(answer.status).toBe(503);
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await answer.json()).toMatchObject({ error: 'okta_unavailable' });
    expect(await connectionNamed(h, 'acme-prod')).toMatchObject({
      status: 'active',
      failureCount: 1,
      lastError: expect.stringContaining('503'),
    });
  });
});

describe('connection API: Okta proxy', () => {
  it('forwards a Management API call with the connection’s token and passes the answer back', async () => {
    const { h, call } = await world();
    h.okta.setRateLimit('/api/v1/users', { limit: 600, windowSeconds: 60 });
    const teamId = h.slack.identity.teamId;

    const answer = await call(
      `/api/connections/acme-prod/okta/api/v1/users?limit=1&team=${teamId}`,
    );

    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toContain('application/json');
    expect(answer.headers.get('x-rate-limit-limit')).toBe('600');
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.headers.get('set-cookie')).toBeNull();
    const users = await answer.json();
    expect(users).toEqual([expect.objectContaining({ profile: expect.any(Object) })]);
    const sent = h.okta.requests.filter((r) => r.path === '/api/v1/users').at(-1);
    expect(sent).toMatchObject({ method: 'GET', status: 200, query: { limit: '1' } });
  });

  it('turns Insufficient Scope into a 403, marks the connection and alerts the channel once', async () => {
    const { h, call } = await world({ grantedScopes: GRANTS_WITHOUT_LOGS });
    const alertsBefore = alertsIn(h).length;

    const answers = await Promise.all(
      [1, 2].map(() => call('/api/connections/acme-prod/okta/api/v1/logs')),
    );
    const third = await call('/api/connections/acme-prod/okta/api/v1/logs');

    for (const answer of [...answers, third]) {
      expect(answer.status).toBe(403);
      expect(await answer.json()).toMatchObject({
        error: 'insufficient_scope',
        scope: 'okta.logs.read',
        fix: 'Grant it on the app’s Okta API Scopes tab, then reauthorize.',
      });
    }
    expect(await connectionNamed(h, 'acme-prod')).toMatchObject({
      status: 'active',
      attention: { code: 'insufficient_scope', scope: 'okta.logs.read' },
    });
    await eventually(() => alertsIn(h).length > alertsBefore, 'the alert');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const posted = alertsIn(h).slice(alertsBefore);
    expect(posted).toHaveLength(1);
    expect(textOf(posted[0] ?? {})).toContain('okta.logs.read');

    const users = await call('/api/connections/acme-prod/okta/api/v1/users');
    expect(users.status).toBe(200);
  });

  it('refreshes a token Okta revoked early, and answers 409 needs_reauth when the refresh is refused', async () => {
    const { h, call } = await world();
    const alertsBefore = alertsIn(h).length;
    h.okta.revokeTokens({ clientId: CLIENT_ID });

    const answer = await call('/api/connections/acme-prod/okta/api/v1/users');

    expect(answer.status).toBe(409);
    expect(await answer.json()).toMatchObject({ error: 'needs_reauth', reason: 'invalid_grant' });
    expect(h.okta.countRequests('/api/v1/users', 401)).toBe(1);
    await eventually(() => alertsIn(h).length > alertsBefore, 'the alert');
  });

  it('refuses paths that would leave /api/v1/ with 400, before calling Okta', async () => {
    const { h, api } = await world();
    const before = h.okta.requests.length;
    for (const path of [
      '/api/connections/acme-prod/okta/api/v1/users/../../../oauth2/v1/token',
      '/api/connections/acme-prod/okta/api/v1/users/%2e%2e/%2E%2E/oauth2/v1/keys',
      '/api/connections/acme-prod/okta/api/v1/users%2F..%2F..%2Foauth2',
      '/api/connections/acme-prod/okta/api/v1/users%5cme',
      '/api/connections/acme-prod/okta/api/v1//users',
      '/api/connections/acme-prod/okta/oauth2/v1/userinfo',
      '/api/connections/acme-prod/okta/api/v2/users',
      '/api/connections/acme-prod/okta/api/v1/',
    ]) {
      const answer = await rawRequest(api.url, path, KEY);
      expect(answer.status, path).toBe(400);
      expect(JSON.parse(answer.body), path).toMatchObject({ error: 'bad_path' });
    }
    expect(h.okta.requests.length).toBe(before);
  });

  it('refuses a body over 1 MB with 413, before calling Okta', async () => {
    const { h, call } = await world();
    const before = h.okta.requests.length;
    const answer = await call('/api/connections/acme-prod/okta/api/v1/users', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ profile: { note: 'x'.repeat(1024 * 1024) } }),
    });
    expect(answer.status).toBe(413);
    expect(await answer.json()).toMatchObject({ error: 'body_too_large' });
    expect(h.okta.requests.length).toBe(before);
  });
});

describe('connection API: audit', () => {
  it('records every call with the key id and never the key or a token', async () => {
    const { h, call, connection } = await world();
    await call('/api/connections');
    await call('/api/connections/acme-prod', { key: TEAM_KEY });
    const token = await jsonOf<TokenAnswer>(
      await call('/api/connections/acme-prod/token', { method: 'POST' }),
    );
    await call('/api/connections/acme-prod/okta/api/v1/users?limit=1');
    await call('/api/connections/nobody');
    await call('/api/connections', { key: 'wrong' });

    const rows = h
      .sqlite()
      .prepare("SELECT * FROM audit_events WHERE actor LIKE 'api:%' ORDER BY id")
      .all() as {
      team_id: string;
      connection_id: string | null;
      actor: string;
      action: string;
      details: string;
    }[];
    const keyId = sha256Hex(KEY).slice(0, 8);
    const teamKeyId = sha256Hex(TEAM_KEY).slice(0, 8);
    expect(rows.map((row) => [row.actor, row.action, JSON.parse(row.details).status])).toEqual([
      [`api:${keyId}`, 'api.list', 200],
      [`api:${teamKeyId}`, 'api.get', 200],
      [`api:${keyId}`, 'api.token', 200],
      [`api:${keyId}`, 'api.okta', 200],
      [`api:${keyId}`, 'api.get', 404],
    ]);
    expect(rows[2]).toMatchObject({ connection_id: connection.id, team_id: connection.teamId });
    expect(JSON.parse(rows[3]?.details ?? '{}')).toMatchObject({
      method: 'GET',
      path: '/api/connections/acme-prod/okta/api/v1/users',
    });
    const text = JSON.stringify(rows);
    for (const secret of [KEY, TEAM_KEY, sha256Hex(KEY), token.access_token]) {
      expect(text).not.toContain(secret);
    }
  });
});

describePostgres('connection API on PostgreSQL', () => {
  it('lists, refreshes before handing out a token, proxies a call and audits it', async () => {
    const { h, call, clock, connection } = await world({
      databaseUrl: await emptyPostgresDatabase(),
    });
    const teamId = h.slack.identity.teamId;

    const listed = await call(`/api/connections?team=${teamId}`);
    expect(listed.status).toBe(200);
    expect((await jsonOf<ListAnswer>(listed)).connections.map((c) => c.id)).toEqual([
      connection.id,
    ]);

    const before = await storedAccessToken(h, connection);
    clock.advance(FIFTY_FIVE_MINUTES);
    const token = await call(`/api/connections/acme-prod/token?team=${teamId}`, {
      method: 'POST',
    });
    expect(token.status).toBe(200);
    const body = await jsonOf<TokenAnswer>(token);
    expect(body.access_token).not.toBe(before);
    expect(body.access_token).toBe(await storedAccessToken(h, connection));

    const users = await call(`/api/connections/acme-prod/okta/api/v1/users?limit=1&team=${teamId}`);
    expect(users.status).toBe(200);
    const audit = await h.bot.flows.audit.list(teamId, { connectionId: connection.id });
    expect(audit.map((event) => event.action)).toEqual(
      expect.arrayContaining(['connection.created']),
    );
    expect(audit.some((event) => event.actor.startsWith('api:'))).toBe(true);
  });
});
