import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, CLIENT_SECRET, type Harness, startHarness } from '../e2e/harness.ts';
import { csrfFrom, HttpBrowser, type PageAnswer } from '../e2e/httpBrowser.ts';
import { authorizeInBrowser, reachCallback } from '../e2e/journey.ts';
import type { StoredMessage } from '../peers/slack/index.ts';
import { eventually } from '../waitUntil.ts';
import { expectAlive, expectSlackCallsSafe, hostileHarness, newSetupLink } from './support.ts';

const CHECKS_FAILED = 'Okta’s answer did not pass the bot’s checks';

const headingOf = (page: PageAnswer) =>
  page.body.match(/<h1[^>]*>([\s\S]*?)<\/h1>/)?.[1]?.replace(/<[^>]+>/g, '') ?? '';

/** The row as stored: status, reason, and whether each sealed column holds anything. */
function storedRow(h: Harness, id: string) {
  return h
    .sqlite()
    .prepare(
      'SELECT status, status_code AS statusCode, client_secret IS NOT NULL AS clientSecret, access_token IS NOT NULL AS accessToken, refresh_token IS NOT NULL AS refreshToken FROM connections WHERE id = ?',
    )
    .get(id);
}

/** The DM the bot sent the admin about `nickname` (sent without waiting for Slack). */
async function dmAbout(h: Harness, nickname: string): Promise<string> {
  const channel = h.slack.dmChannelFor(ADMIN);
  let found: StoredMessage | undefined;
  await eventually(() => {
    found = h.slack
      .messagesTo(channel)
      .find((message) => JSON.stringify(message.blocks).includes(nickname));
    return found !== undefined;
  }, `a DM about ${nickname}`);
  return `${found?.text ?? ''}\n${JSON.stringify(found?.blocks ?? [])}`;
}

describe('Okta answering the code exchange with something that is not a valid answer', () => {
  let h: Harness;
  hostileHarness({}, (started) => {
    h = started;
  });

  const cases: { name: string; arm: (h: Harness) => void; reason: string }[] = [
    {
      name: 'an HTML page instead of JSON',
      arm: (h) => h.okta.injectFault('/oauth2/v1/token', { kind: 'garbage', times: 1 }),
      reason: 'answered with a web page or other text where an Okta org answers with JSON',
    },
    {
      name: 'a token response without access_token',
      arm: (h) => h.okta.tamperNextToken('no-access-token'),
      reason: 'answered the sign-in without an access token',
    },
    {
      name: 'an ID token signed by another key',
      arm: (h) => h.okta.tamperNextToken('foreign-key'),
      reason: 'is not signed by any of the org’s published keys',
    },
    {
      name: 'an ID token from another issuer',
      arm: (h) => h.okta.tamperNextToken('wrong-iss'),
      reason: 'was issued by another authorization server',
    },
    {
      name: 'an ID token with another nonce',
      arm: (h) => h.okta.tamperNextToken('wrong-nonce'),
      reason: 'does not belong to this sign-in: its nonce is not the one the bot sent',
    },
  ];

  for (const [i, { name, arm, reason }] of cases.entries()) {
    it(`fails the connection, says why and stores nothing when Okta answers with ${name}`, async () => {
      const nickname = `garbage-${i}`;
      const { link, connection } = await newSetupLink(h, nickname);
      // Armed after the setup page's checks, so that the code exchange meets it.
      const { browser, callbackUrl } = await reachCallback(h, link);
      arm(h);

      const callback = await browser.get(callbackUrl);

      expect(callback.status).toBe(502);
      expect(headingOf(callback)).toContain(CHECKS_FAILED);
      expect(callback.body).toContain(reason);
      expect(callback.body).toContain('Nothing was stored.');
      const dm = await dmAbout(h, nickname);
      expect(dm).toContain(CHECKS_FAILED);
      expect(dm).toContain(reason);
      expect(storedRow(h, connection.id)).toEqual({
        status: 'failed',
        statusCode: 'okta_bad_response',
        clientSecret: 0,
        accessToken: 0,
        refreshToken: 0,
      });
    });
  }

  it('still connects normally once Okta answers properly again', async () => {
    const { link, connection } = await newSetupLink(h, 'garbage-then-fine');
    const { callback } = await authorizeInBrowser(h, link);
    expect(callback.status).toBe(200);
    expect(storedRow(h, connection.id)).toMatchObject({ status: 'active', accessToken: 1 });
  });
});

describe('Okta answering discovery with an HTML page', () => {
  // A harness of its own: discovery documents are cached for an hour once read.
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('says why on the setup page, stores nothing, and leaves the link usable', async () => {
    const { link, connection } = await newSetupLink(h, 'bad-discovery');
    const browser = new HttpBrowser();
    const page = await browser.get(link);
    h.okta.injectFault('/.well-known/openid-configuration', { kind: 'garbage', times: 1 });

    const posted = await browser.postForm(link, {
      csrf: csrfFrom(page.body),
      client_secret: CLIENT_SECRET,
    });

    expect(posted.status).toBe(502);
    expect(posted.body).toContain(CHECKS_FAILED);
    expect(posted.body).toContain('answered with a web page or other text');
    expect(storedRow(h, connection.id)).toEqual({
      status: 'pending',
      statusCode: null,
      clientSecret: 0,
      accessToken: 0,
      refreshToken: 0,
    });
    const { callback } = await authorizeInBrowser(h, link, { browser });
    expect(callback.status).toBe(200);
    expect(storedRow(h, connection.id)).toMatchObject({ status: 'active', accessToken: 1 });
    await expectAlive(h);
    expectSlackCallsSafe(h);
  });
});
