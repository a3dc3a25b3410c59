import { createHash, createPrivateKey, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createKeyRing } from '../../src/crypto.ts';
import { openColumn } from '../../src/db/sealedColumns.ts';
import { ADMIN, ADMIN_PASSWORD, ENCRYPTION_KEY, startHarness } from '../e2e/harness.ts';
import { csrfFrom, HttpBrowser, type PageAnswer } from '../e2e/httpBrowser.ts';
import { linkIn, publicJwkIn } from '../e2e/journey.ts';
import { offsetClock } from '../e2e/seed.ts';
import type { FillValues, SlackHttpResponse, StoredMessage } from '../peers/slack/index.ts';
import { eventually } from '../waitUntil.ts';
import { expectSlackCallsSafe, recordFetches } from './support.ts';

const LEAK_CLIENT = '0oaLeakCheckApp';
const LEAK_KEY_CLIENT = '0oaLeakKeyPairApp';
const MINUTE = 60_000;

/** Everything the test saw leave the bot, by where it was seen. */
class Seen {
  readonly pages: string[] = [];
  readonly answers: string[] = [];
  /** The connection API's token answers, which hand out the access token by design. */
  readonly tokenAnswers: string[] = [];

  page(answer: PageAnswer): PageAnswer {
    const headers = [...answer.headers.entries()].map(([k, v]) => `${k}: ${v}`).join('\n');
    this.pages.push(`${answer.status}\n${headers}\n\n${answer.body}`);
    return answer;
  }

  answer(response: SlackHttpResponse): SlackHttpResponse {
    this.answers.push(`${response.status}\n${JSON.stringify(response.headers)}\n${response.text}`);
    return response;
  }
}

/** A secret and where it must not appear; `distinctive` is the part worth searching in pieces. */
interface Needle {
  what: string;
  value: string;
}

/**
 * Where `needle` shows in `haystack`: whole, or any 24 characters of its distinctive part
 * (a JWT's signature, any other secret whole), so a cut or wrapped copy is found too.
 */
function findLeak(haystack: string | Buffer, needle: Needle): string | null {
  const has = (piece: string) =>
    typeof haystack === 'string' ? haystack.includes(piece) : haystack.indexOf(piece) !== -1;
  if (has(needle.value)) return 'whole';
  const parts = needle.value.split('.');
  const distinctive = parts.length === 3 ? (parts[2] ?? '') : needle.value;
  for (let start = 0; start + 24 <= distinctive.length; start += 12) {
    const piece = distinctive.slice(start, start + 24);
    if (has(piece)) return `piece ${piece}`;
  }
  return null;
}

const base64urlSha256 = (text: string) =>
  createHash('sha256').update(text).digest().toString('base64url');

describe('secrets never leak', () => {
  it('shows no client secret, private key, token or PKCE verifier in logs, Slack calls, pages, answers or the database file, through the journey, failures, refreshes and a deletion', async () => {
    const fetches = recordFetches();
    const clock = offsetClock();
    const apiKey = `API-KEY-${randomBytes(24).toString('hex')}`;
    const h = await startHarness({
      now: clock,
      env: { API_KEY_HASHES: createHash('sha256').update(apiKey).digest('hex') },
    });
    try {
      const secret = `SECRET-CLIENT-${randomBytes(24).toString('hex')}`;
      const wrongSecret = `SECRET-WRONG-${randomBytes(24).toString('hex')}`;
      h.okta.addApp({
        clientId: LEAK_CLIENT,
        clientSecret: secret,
        redirectUris: [`${h.publicUrl}/oauth/okta/callback`],
        grantedScopes: ['okta.users.read', 'okta.roles.read', 'okta.logs.read'],
      });
      h.okta.addApp({
        clientId: LEAK_KEY_CLIENT,
        clientSecret: 'unused',
        authMethod: 'private_key_jwt',
        redirectUris: [`${h.publicUrl}/oauth/okta/callback`],
        grantedScopes: ['okta.users.read', 'okta.roles.read', 'okta.logs.read'],
      });
      h.okta.updateUser(h.oktaUserId, {
        assignedTo: ['0oa1e2eClient', LEAK_CLIENT, LEAK_KEY_CLIENT],
      });
      const ring = createKeyRing(Buffer.from(ENCRYPTION_KEY, 'base64'));
      const seen = new Seen();
      const verifiers: string[] = [];
      const dmChannel = h.slack.dmChannelFor(ADMIN);
      const dms = () => h.slack.messagesTo(dmChannel);
      const teamId = h.slack.identity.teamId;
      const connectionId = async (nickname: string) =>
        (await (await h.bot.flows.connections.findByNickname(teamId, nickname))?.id) ?? '';

      /** The next DM mentioning `about` after the first `before`. */
      async function dmAbout(before: number, about: string): Promise<StoredMessage> {
        let found: StoredMessage | undefined;
        await eventually(() => {
          found = dms()
            .slice(before)
            .find((m) => `${m.text}${JSON.stringify(m.blocks)}`.includes(about));
          return found !== undefined;
        }, `a DM about ${about}`);
        return found as StoredMessage;
      }

      /** The create wizard, every answer kept, up to the DM with the setup link. */
      async function createConnection(nickname: string, keyPair = false): Promise<string> {
        const before = dms().length;
        const opened = h.slack.callCount('views.open');
        seen.answer(await h.admin.command('new'));
        await h.slack.waitForCalls('views.open', opened + 1);
        const steps: FillValues[] = [
          { prereqs: ['assigned', 'scopes_granted', 'super_admin'] },
          keyPair
            ? {
                nickname,
                domain: 'acme.okta.com',
                client_id: LEAK_KEY_CLIENT,
                client_auth: 'private_key_jwt',
              }
            : { nickname, domain: 'acme.okta.com', client_id: LEAK_CLIENT },
          { scope_mode: 'default' },
        ];
        for (const values of steps) {
          seen.answer((await h.admin.submit(values)).response);
        }
        return linkIn(await dmAbout(before, `Finish connecting ${nickname}`));
      }

      /**
       * Setup page → secret → Okta sign-in → callback. The PKCE verifier is read from its
       * sealed column after the post and before the callback spends it, and checked
       * against the code_challenge Okta received.
       */
      async function signIn(
        link: string,
        nickname: string,
        typed: string,
        options: { browser?: HttpBrowser; afterPost?: () => void } = {},
      ): Promise<PageAnswer> {
        const browser = options.browser ?? new HttpBrowser();
        const setup = seen.page(await browser.get(link));
        if (setup.body.includes('id="public-jwk"')) {
          h.okta.updateApp(LEAK_KEY_CLIENT, { jwks: [publicJwkIn(setup.body)] });
        }
        const posted = seen.page(
          await browser.postForm(link, { csrf: csrfFrom(setup.body), client_secret: typed }),
        );
        // Straight to Okta, or, when Okta did not answer the setup checks, a page that
        // says so with the way on.
        const onward =
          posted.status === 200
            ? posted.body.match(/<a class="button" id="continue" href="([^"]+)"/)?.[1]
            : posted.location;
        expect([303, 200]).toContain(posted.status);
        expect(onward).toBeDefined();
        options.afterPost?.();
        const authorizeUrl = (onward ?? '').replaceAll('&amp;', '&');
        const row = h
          .sqlite()
          .prepare(
            'SELECT id, pkce_verifier AS sealed FROM auth_requests WHERE connection_id = ? AND link_used_at IS NOT NULL AND consumed_at IS NULL',
          )
          .get(await connectionId(nickname)) as { id: string; sealed: string };
        const verifier = openColumn(ring, 'auth_requests', 'pkce_verifier', row.id, row.sealed);
        const challenge = new URL(authorizeUrl).searchParams.get('code_challenge');
        expect(verifier && base64urlSha256(verifier)).toBe(challenge);
        verifiers.push(verifier ?? '');
        const back = await h.okta.signIn(authorizeUrl, {
          username: 'ada@acme.example',
          password: ADMIN_PASSWORD,
        });
        return seen.page(await browser.get(back.href));
      }

      /** `/okta-connect WORD NAME` that opens a modal, then its submit. */
      async function modalCommand(text: string, values: Record<string, string> = {}) {
        const opened = h.slack.callCount('views.open');
        seen.answer(await h.admin.command(text));
        await h.slack.waitForCalls('views.open', opened + 1);
        seen.answer((await h.admin.submit(values)).response);
      }

      // The journey: create, test, reauthorize with the stored secret.
      let before = dms().length;
      const created = await signIn(await createConnection('leak-main'), 'leak-main', secret);
      expect(created.status).toBe(200);
      await dmAbout(before, 'leak-main is connected');

      const posts = h.slack.responseUrlPosts().length;
      seen.answer(await h.admin.command('test leak-main'));
      await h.slack.waitForResponseUrlPosts(posts + 1);

      before = dms().length;
      await modalCommand('reauth leak-main');
      const reauthLink = linkIn(await dmAbout(before, 'Reauthorize leak-main'));
      expect((await signIn(reauthLink, 'leak-main', '')).status).toBe(200);

      // A key-pair connection: no secret typed, the private key made and kept by the bot.
      before = dms().length;
      const keyed = await signIn(await createConnection('leak-keys', true), 'leak-keys', '');
      expect(keyed.status).toBe(200);
      await dmAbout(before, 'leak-keys is connected');
      const keyRow = h
        .sqlite()
        .prepare('SELECT id, client_private_key AS sealed FROM connections WHERE nickname = ?')
        .get('leak-keys') as { id: string; sealed: string };
      const privateKey =
        openColumn(ring, 'connections', 'client_private_key', keyRow.id, keyRow.sealed) ?? '';
      expect(privateKey).toContain('PRIVATE KEY');

      // The connection API: reading, a proxied Okta call, a token, and a refused key.
      const api = async (path: string, method = 'GET', key = apiKey) => {
        const response = await fetch(`${h.publicUrl}${path}`, {
          method,
          headers: { Authorization: `Bearer ${key}` },
        });
        const text = `${response.status}\n${[...response.headers.entries()].join('\n')}\n${await response.text()}`;
        return { status: response.status, text };
      };
      for (const [path, status] of [
        ['/api/connections', 200],
        ['/api/connections/leak-main', 200],
        ['/api/connections/leak-main/okta/api/v1/users/me', 200],
      ] as const) {
        const answer = await api(path);
        expect(answer.status, path).toBe(status);
        seen.answers.push(answer.text);
      }
      const refused = await api('/api/connections', 'GET', 'not-the-key');
      expect(refused.status).toBe(401);
      seen.answers.push(refused.text);
      const token = await api('/api/connections/leak-main/token', 'POST');
      expect(token.status).toBe(200);
      seen.tokenAnswers.push(token.text);

      // A wrong client secret: the setup page's check meets invalid_client and shows the
      // form again; the right secret on the same link goes on.
      const wrongLink = await createConnection('leak-wrong');
      const wrongBrowser = new HttpBrowser();
      const wrongSetup = seen.page(await wrongBrowser.get(wrongLink));
      const wrong = seen.page(
        await wrongBrowser.postForm(wrongLink, {
          csrf: csrfFrom(wrongSetup.body),
          client_secret: wrongSecret,
        }),
      );
      expect(wrong.status).toBe(400);
      expect(wrong.body).toContain('Okta refused this client ID and secret');
      const wrongThenRight = await signIn(wrongLink, 'leak-wrong', secret, {
        browser: wrongBrowser,
      });
      expect(wrongThenRight.status).toBe(200);

      // Okta failing with 503 at the code exchange, then the retry link with the right secret.
      const flakyLink = await createConnection('leak-flaky');
      const down = await signIn(flakyLink, 'leak-flaky', secret, {
        afterPost: () =>
          h.okta.injectFault('/oauth2/v1/token', { kind: 'status', status: 503, times: 1 }),
      });
      expect(down.status).toBe(502);
      const retry = down.body.match(/<a class="button" href="([^"]+)">Try again<\/a>/)?.[1];
      expect(retry).toBeDefined();
      const retried = await signIn(
        new URL(retry?.replaceAll('&amp;', '&') ?? '', h.publicUrl).href,
        'leak-flaky',
        secret,
      );
      expect(retried.status).toBe(200);

      // A token response without an access token, still carrying refresh and ID tokens,
      // after a setup page whose client check Okta did not answer (the page lets the admin on).
      h.okta.tamperNextToken('no-access-token');
      h.okta.injectFault('/oauth2/v1/token', { kind: 'status', status: 503, times: 1 });
      const tampered = await signIn(await createConnection('leak-tamper'), 'leak-tamper', secret);
      expect(tampered.status).toBe(502);

      // The sweep refreshes, then meets invalid_grant after an admin revokes the tokens.
      // Time passes for Okta too: a key-pair connection's assertions carry the bot's time.
      const later = () => {
        clock.advance(55 * MINUTE);
        h.okta.clock.advance(55 * MINUTE);
      };
      later();
      expect(await h.bot.health.runNow()).toMatchObject({ refreshed: 4 });
      h.okta.revokeTokens({ clientId: LEAK_CLIENT });
      later();
      expect(await h.bot.health.runNow()).toMatchObject({ needsReauth: 3 });
      await eventually(
        () => h.slack.messagesTo('CALERTS').length >= 1,
        'the reauthorization alert',
      );

      // A deletion, which revokes at Okta first.
      before = dms().length;
      await modalCommand('delete leak-flaky');
      await dmAbout(before, 'Deleted leak-flaky');
      expect(await h.bot.flows.connections.findByNickname(teamId, 'leak-flaky')).toBeNull();

      for (const path of ['/healthz', '/readyz', '/metrics']) {
        const response = await fetch(`${h.publicUrl}${path}`);
        seen.answers.push(`${response.status}\n${await response.text()}`);
      }
      expectSlackCallsSafe(h);

      // Every secret Okta issued in these sign-ins and refreshes, as the bot received it.
      const needles: Needle[] = [
        { what: 'API key', value: apiKey },
        { what: 'client secret', value: secret },
        { what: 'wrong client secret', value: wrongSecret },
        {
          what: 'client secret (Basic auth)',
          value: Buffer.from(`${LEAK_CLIENT}:${secret}`).toString('base64'),
        },
        ...verifiers.map((value, i) => ({ what: `PKCE verifier #${i + 1}`, value })),
        { what: 'private key (PEM)', value: privateKey },
        {
          what: 'private key (DER base64)',
          value: privateKey.replace(/-----[A-Z ]+-----|\s/g, ''),
        },
        {
          what: 'private key (JWK d)',
          value: String(createPrivateKey(privateKey).export({ format: 'jwk' }).d),
        },
      ];
      const tokenBodies = fetches.records.filter((r) => r.body !== undefined);
      expect(tokenBodies.length).toBeGreaterThanOrEqual(7);
      for (const record of tokenBodies) {
        const body = JSON.parse(record.body ?? '{}') as Record<string, unknown>;
        for (const field of ['access_token', 'refresh_token', 'id_token']) {
          const value = body[field];
          if (typeof value === 'string') needles.push({ what: field, value });
        }
      }
      for (const family of h.okta.authorizations({ clientId: LEAK_CLIENT })) {
        for (const value of family.accessTokens) needles.push({ what: 'access_token', value });
        for (const value of family.refreshTokens) needles.push({ what: 'refresh_token', value });
      }
      expect(needles.filter((n) => n.what === 'id_token').length).toBeGreaterThanOrEqual(5);
      expect(verifiers.length).toBe(7);

      // The database as written so far (file and WAL), then checkpointed into the file.
      const files = (label: string) => {
        const wal = `${h.databasePath}-wal`;
        return [
          { where: `database file ${label}`, text: readFileSync(h.databasePath) },
          ...(existsSync(wal) ? [{ where: `WAL ${label}`, text: readFileSync(wal) }] : []),
        ];
      };
      const beforeCheckpoint = files('before checkpoint');
      h.sqlite().pragma('wal_checkpoint(TRUNCATE)');
      const haystacks: { where: string; text: string | Buffer }[] = [
        { where: 'logs', text: h.logs.join('\n') },
        { where: 'Slack calls', text: JSON.stringify(h.slack.calls()) },
        { where: 'response URL posts', text: JSON.stringify(h.slack.responseUrlPosts()) },
        { where: 'pages', text: seen.pages.join('\n') },
        { where: 'answers', text: seen.answers.join('\n') },
        ...beforeCheckpoint,
        ...files('after checkpoint'),
      ];
      expect(h.logs.length).toBeGreaterThan(50);
      expect(seen.pages.length).toBeGreaterThanOrEqual(18);

      const leaks: string[] = [];
      for (const needle of needles) {
        for (const haystack of haystacks) {
          const found = findLeak(haystack.text, needle);
          if (found) leaks.push(`${needle.what} in ${haystack.where} (${found})`);
        }
        // The API's token endpoint answers with an access token; nothing else may be in it.
        const found = findLeak(seen.tokenAnswers.join('\n'), needle);
        if (found && needle.what !== 'access_token') {
          leaks.push(`${needle.what} in the API's token answer (${found})`);
        }
      }
      expect(leaks).toEqual([]);
    } finally {
      fetches.restore();
      await h.close();
    }
  });
});
