import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/db/connectionsRepo.ts';
import { deleteConnection } from '../../src/flows/deleteConnection.ts';
import { eventually } from '../waitUntil.ts';
import { createKeyInSlack } from './apiKeySteps.ts';
import { movableClock, sha256Hex } from './apiSteps.ts';
import { textOf } from './connectionSteps.ts';
import { ADMIN, type Harness, startHarness } from './harness.ts';
import { seedActiveConnections } from './seed.ts';
import { expectSlackAccepted, messageIn, withHarness } from './slackChecks.ts';

const USERS = '/okta/api/v1/users';
const BOOTSTRAP_KEY = 'okc-bootstrap-key-0123456789abcdef0123456789';

let h: Harness;
let clock: ReturnType<typeof movableClock>;
let logs: Connection;
let prod: Connection;

beforeAll(async () => {
  clock = movableClock();
  h = await startHarness({ now: clock.now });
  [logs, prod] = (await seedActiveConnections(h, 2, { prefix: 'org' })) as [Connection, Connection];
}, 30_000);
afterAll(async () => {
  await h?.close();
});
afterEach(() => {
  try {
    expectSlackAccepted(h);
  } finally {
    h.slack.clearCalls();
  }
});

function call(key: string, path: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  headers.set('Authorization', `Bearer ${key}`);
  return fetch(`${h.publicUrl}/api/connections${path}`, { ...init, headers });
}

async function errorOf(answer: Response) {
  return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
}

const newKey = (name: string, choice: Parameters<typeof createKeyInSlack>[4]) =>
  createKeyInSlack(h.slack, h.admin, ADMIN, name, choice);

function apiMetric(keyId: string, outcome: string): Promise<number> {
  return h.bot.metrics.apiRequests
    .get()
    .then(
      (metric) =>
        metric.values.find((v) => v.labels.key === keyId && v.labels.outcome === outcome)?.value ??
        0,
    );
}

describe('managed API keys, end to end through Slack and HTTP', () => {
  it('a key for one connection with read only GETs through the proxy there, and is refused 403 key_not_allowed for a token, a POST and another connection', async () => {
    const { key } = await newKey('logs-reader', { connections: [logs.id], actions: ['read'] });
    const record = await h.bot.flows.apiKeys.findByName(h.slack.identity.teamId, 'logs-reader');
    if (!record) throw new Error('no key stored');

    const read = await call(key, `/${logs.nickname}${USERS}`);
    expect(read.status).toBe(200);
    await read.body?.cancel();

    const token = await errorOf(await call(key, `/${logs.nickname}/token`, { method: 'POST' }));
    expect(token).toMatchObject({
      status: 403,
      body: { error: 'key_not_allowed', missing: { action: 'token' } },
    });
    const post = await errorOf(
      await call(key, `/${logs.nickname}${USERS}`, {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json' },
      }),
    );
    expect(post).toMatchObject({ status: 403, body: { missing: { action: 'write' } } });
    const other = await errorOf(await call(key, `/${prod.nickname}${USERS}`));
    expect(other).toMatchObject({ status: 403, body: { missing: { connection: prod.nickname } } });
    expect(other.body.missing).not.toHaveProperty('action');

    const listed = (await (await call(key, '')).json()) as { connections: { id: string }[] };
    expect(listed.connections.map((c) => c.id)).toEqual([logs.id]);

    const stored = await h.bot.flows.apiKeys.findByName(h.slack.identity.teamId, 'logs-reader');
    expect(stored?.lastUsedAt).not.toBeNull();
    expect(stored?.lastUsedIp).toMatch(/127\.0\.0\.1/);
    const trail = await h.bot.flows.audit.list(h.slack.identity.teamId, { limit: 20 });
    const refusals = trail.filter(
      (e) => e.actor === `api:${record.id}` && e.details.refused === 'key_not_allowed',
    );
    expect(refusals).toHaveLength(3);
    expect(refusals[0]?.details.keyName).toBe('logs-reader');
    expect(trail.find((e) => e.action === 'api_key.created')?.details).toMatchObject({
      keyId: record.id,
      keyName: 'logs-reader',
      connections: [logs.id],
      actions: ['read'],
    });
    expect(await apiMetric(record.id, 'not_allowed')).toBe(3);
    expect(await apiMetric(record.id, 'ok')).toBe(2);
  });

  it('mints a token only for a key granted token, and write allows a POST', async () => {
    const { key } = await newKey('token-minter', {
      connections: [prod.id],
      actions: ['token', 'write'],
    });
    const token = await call(key, `/${prod.nickname}/token`, { method: 'POST' });
    expect(token.status).toBe(200);
    expect(await token.json()).toHaveProperty('access_token');
    const read = await call(key, `/${prod.nickname}${USERS}`);
    expect(read.status).toBe(200);
    await read.body?.cancel();
  });

  it('shows the key page once: a second opening answers 410 without the key', async () => {
    const { link, key } = await newKey('once', { actions: ['read'] });
    const again = await fetch(link);
    expect(again.status).toBe(410);
    const text = await again.text();
    expect(text).toContain('already shown');
    expect(text).not.toContain(key);
  });

  it('revokes at once with /okta-connect apikey revoke NAME: the next call gets 401 key_revoked, and the revocation is audited', async () => {
    const { key } = await newKey('short-lived', { actions: ['read'] });
    expect((await call(key, '')).status).toBe(200);
    const answer = messageIn(await h.admin.command('apikey revoke short-lived'));
    expect(textOf(answer)).toContain('revoked');
    const refused = await errorOf(await call(key, ''));
    expect(refused).toMatchObject({ status: 401, body: { error: 'key_revoked' } });
    const trail = await h.bot.flows.audit.list(h.slack.identity.teamId, { limit: 10 });
    expect(trail.find((e) => e.action === 'api_key.revoked')?.details).toMatchObject({
      keyName: 'short-lived',
    });
    expect(trail.find((e) => e.action === 'api.refused')?.details).toMatchObject({
      refused: 'key_revoked',
      keyName: 'short-lived',
    });
  });

  it('lists keys in Slack and in the Home tab, whose Revoke button revokes at once', async () => {
    const { key } = await newKey('home-revoked', { connections: [logs.id], actions: ['read'] });
    const list = textOf(messageIn(await h.admin.command('apikey list')));
    expect(list).toContain('home-revoked');
    expect(list).toContain(logs.nickname);
    const record = await h.bot.flows.apiKeys.findByName(h.slack.identity.teamId, 'home-revoked');
    await h.admin.openHome();
    await eventually(
      () => JSON.stringify(h.slack.homeView(ADMIN) ?? '').includes('home-revoked'),
      'the key in the Home tab',
    );
    const click = await h.admin.clickInHome(`apikey:${record?.id}`, 'apikey_revoke');
    expect(click.status).toBe(200);
    const refused = await errorOf(await call(key, ''));
    expect(refused).toMatchObject({ status: 401, body: { error: 'key_revoked' } });
  });

  it('keeps a key working when its connection is renamed, and drops a deleted connection from every key', async () => {
    const [renamed] = await seedActiveConnections(h, 1, { prefix: 'rename' });
    if (!renamed) throw new Error('no seed');
    const { key } = await newKey('follows-renames', {
      connections: [renamed.id],
      actions: ['read'],
    });
    h.sqlite()
      .prepare(
        "UPDATE connections SET nickname = 'renamed-org', nickname_key = 'renamed-org' WHERE id = ?",
      )
      .run(renamed.id);
    expect((await call(key, '/renamed-org')).status).toBe(200);
    const deleted = await deleteConnection(h.bot.flows, {
      teamId: renamed.teamId,
      actor: ADMIN,
      connectionId: renamed.id,
    });
    expect(deleted.ok).toBe(true);
    const record = await h.bot.flows.apiKeys.findByName(h.slack.identity.teamId, 'follows-renames');
    expect(record?.connectionIds).toEqual([]);
  });

  it('refuses a stranger and a non-admin: no key created, listed or revoked', async () => {
    await newKey('kept', { actions: ['read'] });
    for (const userId of ['UPLAIN', 'USTRANGER']) {
      const user = h.user(userId);
      const opened = h.slack.callCount('views.open');
      for (const text of ['apikey new sneaky', 'apikey list', 'apikey revoke kept']) {
        const answer = textOf(messageIn(await user.command(text)));
        expect(answer, text).not.toContain('kept');
        expect(answer, text).toMatch(/admin/i);
      }
      expect(h.slack.callCount('views.open')).toBe(opened);
    }
    // Slack does not know the stranger: its users.info refusal is the one expected.
    const refused = h.slack.calls().filter((c) => c.response.ok !== true);
    expect(refused.map((c) => `${c.method} ${String(c.response.error)}`)).toEqual([
      'users.info user_not_found',
    ]);
    h.slack.clearCalls();
    const kept = await h.bot.flows.apiKeys.findByName(h.slack.identity.teamId, 'kept');
    expect(kept?.revokedAt).toBeNull();
    expect(await h.bot.flows.apiKeys.findByName(h.slack.identity.teamId, 'sneaky')).toBeNull();
  });

  it('asks for a plain key name, and refuses a name in use', async () => {
    const bad = textOf(messageIn(await h.admin.command('apikey new bad/name!')));
    expect(bad).toContain('A key name is 1 to 40');
    await newKey('taken', { actions: ['read'] });
    const taken = textOf(messageIn(await h.admin.command('apikey new TAKEN')));
    expect(taken).toContain('Name in use');
  });

  it('never puts a key into Slack calls, logs, later pages or the database file', async () => {
    const { key, link } = await newKey('leak-check', { actions: ['read', 'token'] });
    expect((await call(key, '')).status).toBe(200);
    const later = await (await fetch(link)).text();
    const slack = JSON.stringify(h.slack.calls()) + JSON.stringify(h.slack.responseUrlPosts());
    h.sqlite().pragma('wal_checkpoint(PASSIVE)');
    const files = ['', '-wal']
      .map((suffix) => {
        try {
          return readFileSync(`${h.databasePath}${suffix}`).toString('latin1');
        } catch {
          return '';
        }
      })
      .join('');
    for (const [where, text] of [
      ['Slack', slack],
      ['logs', h.logs.join('')],
      ['later page', later],
      ['database', files],
    ] as const) {
      expect(text.includes(key), where).toBe(false);
      expect(text.includes(key.slice(10, 34)), where).toBe(false);
    }
    // The link's token is in the DM's button alone, as a setup link's is.
    const linkToken = link.slice(link.indexOf('/apikey/') + '/apikey/'.length);
    for (const [where, text] of [
      ['logs', h.logs.join('')],
      ['database', files],
      [
        'modals and Home tabs',
        JSON.stringify(
          h.slack
            .calls()
            .filter((c) => c.method.startsWith('views.'))
            .map((c) => c.args),
        ),
      ],
    ] as const) {
      expect(text.includes(linkToken), where).toBe(false);
    }
  });

  it('refuses an expired key with 401 key_expired', async () => {
    const { key } = await newKey('week', { actions: ['read'], expiry: '7' });
    expect((await call(key, '')).status).toBe(200);
    clock.advance(8 * 86_400_000);
    const refused = await errorOf(await call(key, ''));
    expect(refused).toMatchObject({ status: 401, body: { error: 'key_expired' } });
  });
});

describe('API_KEY_HASHES, the bootstrap path', () => {
  it('keeps its keys working with every connection and every action, beside managed keys', () =>
    withHarness({ env: { API_KEY_HASHES: sha256Hex(BOOTSTRAP_KEY) } }, async (hb) => {
      const [first] = await seedActiveConnections(hb, 1, { prefix: 'boot' });
      if (!first) throw new Error('no seed');
      const at = (path: string, init: RequestInit = {}) =>
        fetch(`${hb.publicUrl}/api/connections/${first.nickname}${path}`, {
          ...init,
          headers: { Authorization: `Bearer ${BOOTSTRAP_KEY}`, 'content-type': 'application/json' },
        });
      expect((await at('/token', { method: 'POST' })).status).toBe(200);
      const read = await at(USERS);
      expect(read.status).toBe(200);
      await read.body?.cancel();
      const write = await at(USERS, { method: 'POST', body: '{}' });
      expect(write.status).not.toBe(403);
      await write.body?.cancel();
      const { key } = await createKeyInSlack(hb.slack, hb.admin, ADMIN, 'beside', {
        actions: ['read'],
      });
      const managed = await fetch(`${hb.publicUrl}/api/connections/${first.nickname}/token`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${key}` },
      });
      expect(managed.status).toBe(403);
    }));
});
