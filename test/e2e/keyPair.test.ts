import type { JsonWebKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deleteConnection } from '../../src/flows/deleteConnection.ts';
import { refreshConnection } from '../../src/flows/refreshConnection.ts';
import type { StoredMessage } from '../peers/slack/index.ts';
import {
  connectActive,
  connectionNamed,
  dmAbout,
  dmCount,
  openModalWith,
  requestSetupLink,
  textOf,
} from './connectionSteps.ts';
import { ADMIN, CLIENT_ID, type Harness } from './harness.ts';
import { csrfFrom, HttpBrowser } from './httpBrowser.ts';
import { authorizeInBrowser, linkIn, publicJwkIn } from './journey.ts';
import { messageIn, withHarness } from './slackChecks.ts';

describe('a connection that authenticates with a key pair (private_key_jwt)', () => {
  /** The admin opens the setup page and adds the key it shows to the app, as in Okta's "Add key". */
  async function addKeyFromPage(h: Harness, link: string) {
    const browser = new HttpBrowser();
    const setup = await browser.get(link);
    expect(setup.status).toBe(200);
    const jwk = publicJwkIn(setup.body);
    h.okta.updateApp(CLIENT_ID, { authMethod: 'private_key_jwt', jwks: [jwk] });
    return { browser, setup, jwk };
  }

  it('connects without a secret: the page shows the public key, Okta takes the signed assertion, and refresh, reauthorization and delete use the same key', () =>
    withHarness({}, async (h) => {
      const {
        link,
        connection: pending,
        dm,
      } = await requestSetupLink(h, {
        nickname: 'acme-keys',
        clientAuth: 'private_key_jwt',
      });
      expect(pending).toMatchObject({ status: 'pending', clientAuthMethod: 'private_key_jwt' });
      expect(textOf(dm)).toContain('add the public key it shows');

      const { browser, setup, jwk } = await addKeyFromPage(h, link);
      expect(setup.body).not.toContain('name="client_secret"');
      expect(setup.body).toContain('Public key / Private key');
      expect(setup.headers.get('content-security-policy')).toMatch(/script-src 'sha256-/);
      expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
      expect(jwk).not.toHaveProperty('d');
      expect(jwk.kid).toBe(pending.clientKey?.kid);

      const before = dmCount(h);
      const { callback } = await authorizeInBrowser(h, link, { browser, secret: null });
      expect(callback.status).toBe(200);
      await dmAbout(h, before, 'acme-keys is connected');
      const active = await connectionNamed(h, 'acme-keys');
      expect(active).toMatchObject({
        status: 'active',
        hasClientSecret: false,
        hasRefreshToken: true,
        clientAuthMethod: 'private_key_jwt',
      });
      const row = h
        .sqlite()
        .prepare('SELECT client_secret, client_private_key FROM connections WHERE id = ?')
        .get(active.id) as { client_secret: string | null; client_private_key: string };
      expect(row.client_secret).toBeNull();
      expect(row.client_private_key.startsWith('v1.')).toBe(true);

      const refreshed = await refreshConnection(
        h.bot.flows,
        { teamId: active.teamId, id: active.id },
        { owner: 'test', force: true },
      );
      expect(refreshed.kind).toBe('refreshed');

      await openModalWith(h, h.admin, 'reauth acme-keys');
      const beforeReauth = dmCount(h);
      await h.admin.submit();
      const reauthDm = await dmAbout(h, beforeReauth, 'Reauthorize acme-keys');
      expect(textOf(reauthDm)).toContain('public key is still on the OAuth app');
      const again = await authorizeInBrowser(h, linkIn(reauthDm), { secret: null });
      expect(publicJwkIn(again.setup.body).kid).toBe(jwk.kid);
      expect(again.callback.status).toBe(200);
      expect(await connectionNamed(h, 'acme-keys')).toMatchObject({
        status: 'active',
        clientKey: { kid: jwk.kid },
      });

      // Renamed, it keeps its key (sealed against the row, not the name) and signs with it.
      const renamed = textOf(messageIn(await h.admin.command('rename acme-keys acme-signed')));
      expect(renamed).toContain('Renamed to acme-signed');
      expect(await connectionNamed(h, 'acme-signed')).toMatchObject({
        id: active.id,
        clientAuthMethod: 'private_key_jwt',
        clientKey: { kid: jwk.kid },
      });
      const afterRename = await refreshConnection(
        h.bot.flows,
        { teamId: active.teamId, id: active.id },
        { owner: 'test', force: true },
      );
      expect(afterRename.kind).toBe('refreshed');

      const deleted = await deleteConnection(h.bot.flows, {
        teamId: active.teamId,
        actor: ADMIN,
        connectionId: active.id,
      });
      expect(deleted).toMatchObject({ ok: true, revoked: 2 });
      const wiped = h
        .sqlite()
        .prepare('SELECT client_private_key, pending_private_key FROM connections WHERE id = ?')
        .get(active.id);
      expect(wiped).toEqual({ client_private_key: null, pending_private_key: null });
    }));

  /** A key-pair connection taken to active, its key added in Okta as the setup page says. */
  async function connectWithKeyPair(h: Harness, nickname: string) {
    const { link } = await requestSetupLink(h, { nickname, clientAuth: 'private_key_jwt' });
    const { browser, jwk } = await addKeyFromPage(h, link);
    const before = dmCount(h);
    await authorizeInBrowser(h, link, { browser, secret: null });
    await dmAbout(h, before, `${nickname} is connected`);
    return { connection: await connectionNamed(h, nickname), jwk };
  }

  const jwkIn = (message: { text?: string | undefined; blocks?: unknown }) => {
    const found = textOf(message).match(/```(\{[^`]+\})```/)?.[1];
    if (!found) throw new Error('no public key in the message');
    return JSON.parse(found.replaceAll('\\"', '"')) as JsonWebKey & { kid: string };
  };

  async function press(h: Harness, message: StoredMessage, actionId: string) {
    const before = h.slack.responseUrlPosts().length;
    await h.admin.clickInMessage(message, 'key_rotation', actionId);
    const post = await h.slack.waitForResponseUrlPosts(before + 1, 15_000);
    return textOf(post?.body as { text?: string; blocks?: unknown });
  }

  it('rotates the key pair: a pending key shown with Okta’s steps, no switch until Okta accepts it, then the old key dropped', () =>
    withHarness({}, async (h) => {
      const { connection, jwk: oldJwk } = await connectWithKeyPair(h, 'acme-rotate');
      const list = textOf(messageIn(await h.admin.command('list')));
      expect(list).toContain('conn_rotate_key');
      expect(list).toContain(`Key pair, key ID \`${oldJwk.kid}\``);

      const started = messageIn(await h.admin.command('rotate-keypair acme-rotate'));
      const newJwk = jwkIn(started);
      expect(newJwk.kid).not.toBe(oldJwk.kid);
      expect(newJwk).not.toHaveProperty('d');
      expect(textOf(started)).toContain('Add key');
      expect(jwkIn(messageIn(await h.admin.command('rotate-keypair acme-rotate'))).kid).toBe(
        newJwk.kid,
      );

      expect(await press(h, started, 'key_rotation_confirm')).toContain(
        'Okta does not accept the new key yet',
      );
      expect((await connectionNamed(h, 'acme-rotate')).clientKey?.kid).toBe(oldJwk.kid);

      h.okta.updateApp(CLIENT_ID, { jwks: [oldJwk, newJwk] });
      expect(await press(h, started, 'key_rotation_confirm')).toContain(
        'now signs with its new key',
      );
      expect(await connectionNamed(h, 'acme-rotate')).toMatchObject({
        clientKey: { kid: newJwk.kid },
        pendingClientKey: null,
      });
      expect(
        (await h.bot.flows.audit.list(h.slack.identity.teamId, { connectionId: connection.id }))[0],
      ).toMatchObject({
        action: 'client_key.rotated',
        details: { newKeyId: newJwk.kid, oldKeyId: oldJwk.kid },
      });

      h.okta.updateApp(CLIENT_ID, { jwks: [newJwk] });
      const refreshed = await refreshConnection(
        h.bot.flows,
        { teamId: connection.teamId, id: connection.id },
        { owner: 'test', force: true },
      );
      expect(refreshed.kind).toBe('refreshed');
      expect(await press(h, started, 'key_rotation_confirm')).toContain(
        'This key rotation is over',
      );

      const again = messageIn(await h.admin.command('rotate-keypair acme-rotate'));
      expect(await press(h, again, 'key_rotation_cancel')).toContain('Key rotation cancelled');
      expect(await connectionNamed(h, 'acme-rotate')).toMatchObject({
        clientKey: { kid: newJwk.kid },
        pendingClientKey: null,
      });
    }));

  it('tells that a connection with a client secret has no key pair to rotate', () =>
    withHarness({}, async (h) => {
      await connectActive(h, { nickname: 'acme-secret' });
      const answer = messageIn(await h.admin.command('rotate-keypair acme-secret'));
      expect(textOf(answer)).toContain('This connection uses a client secret');
    }));

  it('the setup page says Okta does not accept the bot’s key yet and does not send the admin on; once the key is added the same link works', () =>
    withHarness({}, async (h) => {
      const { link, connection } = await requestSetupLink(h, {
        nickname: 'acme-nokey',
        clientAuth: 'private_key_jwt',
      });
      const browser = new HttpBrowser();
      const setup = await browser.get(link);
      const refused = await browser.postForm(link, { csrf: csrfFrom(setup.body) });

      expect(refused.status).toBe(400);
      expect(refused.location).toBeNull();
      expect(refused.body).toContain('Okta does not accept the bot’s key yet');
      expect(refused.body).toContain(
        '<p class="field-error" id="public-jwk-error">Okta does not accept the bot’s key yet: add the public key above under Client Credentials → Public keys → Add key, then try again.</p>',
      );
      expect(refused.body).not.toContain('name="client_secret"');
      expect(publicJwkIn(refused.body).kid).toBe(connection.clientKey?.kid);
      expect(h.okta.authorizations({ clientId: CLIENT_ID })).toEqual([]);
      expect(await connectionNamed(h, 'acme-nokey')).toMatchObject({
        status: 'pending',
        hasRefreshToken: false,
      });

      h.okta.updateApp(CLIENT_ID, {
        authMethod: 'private_key_jwt',
        jwks: [publicJwkIn(refused.body)],
      });
      const before = dmCount(h);
      const { callback } = await authorizeInBrowser(h, link, { browser, secret: null });
      expect(callback.status).toBe(200);
      await dmAbout(h, before, 'acme-nokey is connected');
      expect(await connectionNamed(h, 'acme-nokey')).toMatchObject({ status: 'active' });
    }));

  it('says Okta refused the bot’s key when the key leaves the app in Okta after the check, and changes nothing', () =>
    withHarness({}, async (h) => {
      const { link } = await requestSetupLink(h, {
        nickname: 'acme-gonekey',
        clientAuth: 'private_key_jwt',
      });
      const { browser } = await addKeyFromPage(h, link);
      const { callback } = await authorizeInBrowser(h, link, {
        browser,
        secret: null,
        afterPost: () => h.okta.updateApp(CLIENT_ID, { jwks: [] }),
      });
      expect(callback.body).toContain('Okta refused the bot’s key');
      expect(await connectionNamed(h, 'acme-gonekey')).toMatchObject({ hasRefreshToken: false });
    }));
});
