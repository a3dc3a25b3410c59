import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/db/auditRepo.ts';
import { ADMIN, CLIENT_SECRET, type Harness, SIGNING_SECRET } from '../e2e/harness.ts';
import { csrfFrom, HttpBrowser } from '../e2e/httpBrowser.ts';
import { authorizeInBrowser, reachCallback } from '../e2e/journey.ts';
import { signedRequest, slashCommand } from '../peers/slack/index.ts';
import { hostileHarness, newSetupLink } from './support.ts';

const FIVE_MINUTES = 5 * 60;

/** The setup page fetched without a browser: its cookie header and csrf value. */
async function openPage(link: string) {
  const page = await fetch(link);
  const body = await page.text();
  const cookie = page.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
  return { cookie, csrf: csrfFrom(body) };
}

/** A setup form POST with exactly these headers. */
async function postSetup(
  link: string,
  input: {
    cookie?: string;
    csrf: string;
    secret?: string;
    origin?: string;
    fetchSite?: string;
    body?: string;
  },
) {
  const headers = new Headers({ 'Content-Type': 'application/x-www-form-urlencoded' });
  if (input.cookie) headers.set('Cookie', input.cookie);
  if (input.origin) headers.set('Origin', input.origin);
  if (input.fetchSite) headers.set('Sec-Fetch-Site', input.fetchSite);
  const body =
    input.body ??
    new URLSearchParams({
      csrf: input.csrf,
      client_secret: input.secret ?? CLIENT_SECRET,
    }).toString();
  const response = await fetch(link, { method: 'POST', headers, body, redirect: 'manual' });
  return {
    status: response.status,
    location: response.headers.get('location'),
    body: await response.text(),
  };
}

describe('requests the bot refuses', () => {
  let h: Harness;
  let run = 0;
  const teamId = () => h.slack.identity.teamId;
  const auditsFor = async (connectionId: string, action: string): Promise<AuditEvent[]> =>
    await (await h.bot.flows.audit.list(teamId(), { connectionId })).filter(
      (event) => event.action === action,
    );
  const setupLink = () => {
    run += 1;
    return newSetupLink(h, `refused-${run}`);
  };
  /** The link still works: a proper post from the page goes on to Okta. */
  const expectLinkUsable = async (link: string) => {
    const page = await openPage(link);
    const posted = await postSetup(link, {
      ...page,
      origin: h.publicUrl,
      fetchSite: 'same-origin',
    });
    expect(posted.status).toBe(303);
  };

  hostileHarness({}, (started) => {
    h = started;
  });

  describe('at the Slack request URL', () => {
    const command = (signing: {
      wrongSecret?: boolean;
      timestamp?: number;
      headers?: Record<string, string>;
    }) =>
      slashCommand({
        signingSecret: SIGNING_SECRET,
        userId: ADMIN,
        teamId: teamId(),
        channelId: 'CALERTS',
        triggerId: h.slack.issueTriggerId({ userId: ADMIN }),
        ...signing,
      });

    it('refuses a request signed with another secret with 401 and opens nothing', async () => {
      const answer = await command({ wrongSecret: true }).send(h.requestUrl);
      expect(answer.status).toBe(401);
      expect(h.slack.callCount('views.open')).toBe(0);
    });

    it('refuses a correctly signed request older than five minutes with 401', async () => {
      const stale = Math.floor(Date.now() / 1000) - FIVE_MINUTES - 30;
      const answer = await command({ timestamp: stale }).send(h.requestUrl);
      expect(answer.status).toBe(401);
      expect(h.slack.callCount('views.open')).toBe(0);
    });

    it('refuses a request without signature headers with 401', async () => {
      const request = command({});
      const answer = await fetch(h.requestUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: request.body,
      });
      expect(answer.status).toBe(401);
      expect(h.slack.callCount('views.open')).toBe(0);
    });

    it('refuses a signed body over 1 MB with 413', async () => {
      const body = `payload=${'x'.repeat(1024 * 1024 + 1)}`;
      const request = signedRequest(body, 'application/x-www-form-urlencoded', {
        signingSecret: SIGNING_SECRET,
      });
      const answer = await request.send(h.requestUrl);
      expect(answer.status).toBe(413);
    });

    it('answers the requests that follow an oversized one on the same connection', async () => {
      // Bolt answers 413 before reading the rest of the body; unless the bot reads and
      // drops it, the next request on that kept-alive connection is never parsed.
      for (const size of [1.5, 8]) {
        const oversized = signedRequest(
          `payload=${'x'.repeat(size * 1024 * 1024)}`,
          'application/x-www-form-urlencoded',
          { signingSecret: SIGNING_SECRET },
        );
        const refused = await fetch(h.requestUrl, {
          method: 'POST',
          headers: oversized.headers,
          body: oversized.body,
          signal: AbortSignal.timeout(5_000),
        });
        expect(refused.status, `${size} MB`).toBe(413);
        for (let i = 0; i < 3; i += 1) {
          const next = command({});
          const answer = await fetch(h.requestUrl, {
            method: 'POST',
            headers: next.headers,
            body: next.body,
            signal: AbortSignal.timeout(5_000),
          });
          expect(answer.status, `request ${i + 1} after ${size} MB`).toBe(200);
        }
      }
    });
  });

  describe('at the setup form', () => {
    it('refuses a form body over 16 kB with 413 and leaves the link usable', async () => {
      const { link } = await setupLink();
      const page = await openPage(link);
      const posted = await postSetup(link, {
        ...page,
        origin: h.publicUrl,
        fetchSite: 'same-origin',
        body: new URLSearchParams({
          csrf: page.csrf,
          client_secret: 'x'.repeat(17_000),
        }).toString(),
      });
      expect(posted.status).toBe(413);
      await expectLinkUsable(link);
    });

    it('answers 413 to a form body of megabytes without leaving the sender hanging', async () => {
      const { link } = await setupLink();
      const page = await openPage(link);
      const headers = new Headers({
        'Content-Type': 'application/x-www-form-urlencoded',
        Cookie: page.cookie,
        Origin: h.publicUrl,
        'Sec-Fetch-Site': 'same-origin',
      });
      const answer = await fetch(link, {
        method: 'POST',
        headers,
        body: `csrf=${page.csrf}&client_secret=${'x'.repeat(16 * 1024 * 1024)}`,
        redirect: 'manual',
        signal: AbortSignal.timeout(10_000),
      });
      expect(answer.status).toBe(413);
      await expectLinkUsable(link);
    });

    it('refuses a post without the page’s cookie, says to allow cookies, and audits it', async () => {
      const { link, connection } = await setupLink();
      const page = await openPage(link);
      const posted = await postSetup(link, {
        csrf: page.csrf,
        origin: h.publicUrl,
        fetchSite: 'same-origin',
      });
      expect(posted.status).toBe(400);
      expect(posted.body).toContain('did not send the bot’s cookie');
      expect(await auditsFor(connection.id, 'setup.refused')).toMatchObject([
        { actor: ADMIN, details: { reason: 'cookies_blocked' } },
      ]);
      await expectLinkUsable(link);
    });

    it('refuses a post from another origin, and audits where it came from', async () => {
      const { link, connection } = await setupLink();
      const page = await openPage(link);
      const posted = await postSetup(link, {
        ...page,
        origin: 'https://evil.example',
        fetchSite: 'cross-site',
      });
      expect(posted.status).toBe(403);
      expect(posted.body).toContain('The form was sent from another site');
      expect(await auditsFor(connection.id, 'setup.refused')).toMatchObject([
        {
          actor: ADMIN,
          details: {
            reason: 'cross_origin',
            origin: 'https://evil.example',
            fetchSite: 'cross-site',
          },
        },
      ]);
      await expectLinkUsable(link);
    });

    it('audits a refused post whatever its Origin and Sec-Fetch-Site headers say', async () => {
      const { link, connection } = await setupLink();
      const page = await openPage(link);
      const posted = await postSetup(link, {
        ...page,
        origin: 'eyJhbGciOiJub25lIn0.eyJ4IjoxfQ.',
        fetchSite: 'eyJhbGciOiJub25lIn0.eyJ4IjoxfQ.',
      });
      expect(posted.status).toBe(403);
      expect(await auditsFor(connection.id, 'setup.refused')).toMatchObject([
        { details: { reason: 'cross_origin', origin: 'not a URL', fetchSite: 'other' } },
      ]);
    });

    it('refuses a post a browser marks as cross-site even with the bot’s origin, and audits it', async () => {
      const { link, connection } = await setupLink();
      const page = await openPage(link);
      const posted = await postSetup(link, {
        ...page,
        origin: h.publicUrl,
        fetchSite: 'cross-site',
      });
      expect(posted.status).toBe(403);
      expect(await auditsFor(connection.id, 'setup.refused')).toMatchObject([
        { details: { reason: 'cross_origin', fetchSite: 'cross-site' } },
      ]);
      await expectLinkUsable(link);
    });

    it('refuses a post whose csrf field is not the cookie’s, and audits it', async () => {
      const { link, connection } = await setupLink();
      const page = await openPage(link);
      const posted = await postSetup(link, {
        cookie: page.cookie,
        csrf: `${page.csrf.slice(1)}A`,
        origin: h.publicUrl,
        fetchSite: 'same-origin',
      });
      expect(posted.status).toBe(403);
      expect(await auditsFor(connection.id, 'setup.refused')).toMatchObject([
        { details: { reason: 'csrf_mismatch' } },
      ]);
      await expectLinkUsable(link);
    });

    it('does not audit refusals on a link that is unknown', async () => {
      const before = await (await h.bot.flows.audit.list(teamId())).length;
      const posted = await postSetup(`${h.publicUrl}/connect/${'A'.repeat(43)}`, {
        csrf: 'x',
        origin: 'https://evil.example',
      });
      expect(posted.status).toBe(403);
      expect(await h.bot.flows.audit.list(teamId())).toHaveLength(before);
    });
  });

  describe('at the OAuth callback', () => {
    const unknownTeamAudits = async (reason: string) =>
      (await h.bot.flows.audit.list('unknown')).filter(
        (event) => event.action === 'callback.refused' && event.details.reason === reason,
      );
    const tokenCalls = () => h.okta.countRequests('/oauth2/v1/token');

    it('refuses a forged state with 400, exchanges nothing, and audits it', async () => {
      const before = (await unknownTeamAudits('state_unknown')).length;
      const calls = tokenCalls();
      const page = await new HttpBrowser().get(
        `${h.publicUrl}/oauth/okta/callback?state=forged-state-value&code=stolen-code`,
      );
      expect(page.status).toBe(400);
      expect(page.body).toContain('not started by the bot');
      expect(tokenCalls()).toBe(calls);
      expect(await unknownTeamAudits('state_unknown')).toHaveLength(before + 1);
    });

    it('refuses a code without a state with 400 and audits it', async () => {
      const before = (await unknownTeamAudits('state_missing')).length;
      const page = await new HttpBrowser().get(`${h.publicUrl}/oauth/okta/callback?code=abc`);
      expect(page.status).toBe(400);
      expect(await unknownTeamAudits('state_missing')).toHaveLength(before + 1);
    });

    it('refuses a replayed callback: nothing changes, nothing is exchanged again, and it is audited', async () => {
      const { link, connection } = await setupLink();
      const { browser, callbackUrl } = await reachCallback(h, link);
      const first = await browser.get(callbackUrl);
      expect(first.status).toBe(200);
      const active = await h.bot.flows.connections.findById(teamId(), connection.id);
      const calls = tokenCalls();

      const replay = await browser.get(callbackUrl);

      expect(replay.status).toBe(410);
      expect(replay.body).toContain('already completed');
      expect(tokenCalls()).toBe(calls);
      expect(await h.bot.flows.connections.findById(teamId(), connection.id)).toEqual(active);
      expect(await auditsFor(connection.id, 'callback.refused')).toMatchObject([
        { actor: ADMIN, details: { reason: 'state_used' } },
      ]);
    });

    it('refuses the callback in a browser other than the one that entered the secret, audits it, and lets the right one finish', async () => {
      const { link, connection } = await setupLink();
      const { browser, callbackUrl } = await reachCallback(h, link);
      const calls = tokenCalls();

      const other = await new HttpBrowser().get(callbackUrl);

      expect(other.status).toBe(403);
      expect(tokenCalls()).toBe(calls);
      expect(await auditsFor(connection.id, 'callback.refused')).toMatchObject([
        { actor: ADMIN, details: { reason: 'browser_mismatch' } },
      ]);
      const right = await browser.get(callbackUrl);
      expect(right.status).toBe(200);
      expect(await (await h.bot.flows.connections.findById(teamId(), connection.id))?.status).toBe(
        'active',
      );
    });

    it('finishes an ordinary sign-in after all these refusals', async () => {
      const { link, connection } = await setupLink();
      const { callback } = await authorizeInBrowser(h, link);
      expect(callback.status).toBe(200);
      expect(await (await h.bot.flows.connections.findById(teamId(), connection.id))?.status).toBe(
        'active',
      );
    });
  });
});
