import { describe, expect, it } from 'vitest';
import {
  connectActive,
  connectionNamed,
  dmAbout,
  dmCount,
  openModalWith,
  requestSetupLink,
  storedRow,
} from './connectionSteps.ts';
import { CLIENT_ID, CLIENT_SECRET, type Harness } from './harness.ts';
import { csrfFrom, HttpBrowser } from './httpBrowser.ts';
import { authorizeInBrowser, linkIn } from './journey.ts';
import { sharedHarness } from './slackChecks.ts';

const WRONG_SECRET = 'not-the-secret-0123456789abcdefghijklmn';

/** The setup page, then its form posted with `secret`; the link is not followed further. */
async function postSecret(link: string, secret: string, browser = new HttpBrowser()) {
  const page = await browser.get(link);
  return browser.postForm(link, { csrf: csrfFrom(page.body), client_secret: secret });
}

/** The audit rows of the setup page's checks, for one connection. */
function checksAudited(h: Harness, connectionId: string) {
  return h.bot.flows.audit
    .list(h.slack.identity.teamId, { connectionId })
    .filter((event) => event.action === 'setup.checked_at_okta')
    .map((event) => event.details);
}

describe('the setup page checks the app at Okta before sending the admin there', () => {
  const harness = sharedHarness();

  it('shows the form again with a field error for a wrong secret, stores nothing, and the same link then works with the right one', async () => {
    const h = harness();
    const { link, connection } = await requestSetupLink(h, { nickname: 'wrong-then-right' });
    const browser = new HttpBrowser();

    const wrong = await postSecret(link, WRONG_SECRET, browser);

    expect(wrong.status).toBe(400);
    expect(wrong.body).toContain('name="client_secret"');
    expect(wrong.body).toMatch(
      /<p class="field-error" id="client_secret-error">Okta refused this client ID and secret: copy the secret again from the app’s General tab.<\/p>/,
    );
    expect(wrong.body).toContain('aria-invalid="true"');
    expect(wrong.body).not.toContain(WRONG_SECRET);
    expect(storedRow(h, connection.id)).toMatchObject({
      status: 'pending',
      sealed: { clientSecret: false, accessToken: false, refreshToken: false },
    });
    expect(checksAudited(h, connection.id)).toEqual([
      { clientCheck: 'refused', redirectUriCheck: 'registered' },
    ]);

    const before = dmCount(h);
    const { callback } = await authorizeInBrowser(h, link, { browser });

    expect(callback.status).toBe(200);
    await dmAbout(h, before, 'wrong-then-right is connected');
    expect(connectionNamed(h, 'wrong-then-right').status).toBe('active');
    expect(checksAudited(h, connection.id)).toContainEqual({
      clientCheck: 'accepted',
      redirectUriCheck: 'registered',
    });
  });

  it('says the redirect URI is not registered, shows the exact URI to add, and does not send the admin on', async () => {
    const h = harness();
    const { link, connection } = await requestSetupLink(h, { nickname: 'no-redirect' });
    const redirectUri = `${h.publicUrl}/oauth/okta/callback`;
    h.okta.updateApp(CLIENT_ID, { redirectUris: ['https://elsewhere.example/callback'] });
    try {
      const refused = await postSecret(link, CLIENT_SECRET);

      expect(refused.status).toBe(400);
      expect(refused.location ?? null).toBeNull();
      expect(refused.body).toContain('The redirect URI is not registered in Okta');
      expect(refused.body).toContain(`does not list ${redirectUri} as a Sign-in redirect URI`);
      expect(refused.body).toContain(`<pre><code>${redirectUri}</code></pre>`);
      expect(storedRow(h, connection.id).sealed.clientSecret).toBe(false);
      expect(checksAudited(h, connection.id)).toEqual([
        { clientCheck: 'accepted', redirectUriCheck: 'unregistered' },
      ]);
    } finally {
      h.okta.updateApp(CLIENT_ID, { redirectUris: [redirectUri] });
    }
    // Once added in Okta, the same link goes on.
    const { callback } = await authorizeInBrowser(h, link);
    expect(callback.status).toBe(200);
  });

  it('says Okta does not know the client ID rather than blaming the secret', async () => {
    const h = harness();
    const { link, connection } = await requestSetupLink(h, {
      nickname: 'unknown-client',
      clientId: '0oaNoSuchApp123',
    });

    const refused = await postSecret(link, CLIENT_SECRET);

    expect(refused.status).toBe(400);
    expect(refused.body).toContain('Okta does not know this client ID');
    expect(refused.body).toContain('0oaNoSuchApp123');
    expect(refused.body).not.toContain('id="client_secret-error"');
    expect(checksAudited(h, connection.id)).toEqual([
      { clientCheck: 'refused', redirectUriCheck: 'client_unknown' },
    ]);
  });

  it('says the checks could not be made when Okta does not answer them, and lets the admin continue', async () => {
    const h = harness();
    const { link, connection } = await requestSetupLink(h, { nickname: 'checks-down' });
    h.okta.injectFault('/oauth2/v1/token', { kind: 'status', status: 503, times: 1 });
    h.okta.injectFault('/oauth2/v1/authorize', { kind: 'status', status: 503, times: 1 });
    const browser = new HttpBrowser();

    const posted = await postSecret(link, CLIENT_SECRET, browser);

    expect(posted.status).toBe(200);
    expect(posted.body).toContain('Some checks could not be made');
    expect(posted.body).toContain('could not check the client ID and secret and the redirect URI');
    const onward = posted.body.match(/<a class="button" id="continue" href="([^"]+)"/)?.[1];
    expect(onward?.startsWith(`${h.okta.origin}/oauth2/v1/authorize?`)).toBe(true);
    expect(checksAudited(h, connection.id)).toEqual([
      { clientCheck: 'unchecked', redirectUriCheck: 'unchecked' },
    ]);

    const before = dmCount(h);
    const back = await h.okta.signIn((onward ?? '').replaceAll('&amp;', '&'), {
      username: 'ada@acme.example',
      password: 'correct horse battery staple',
    });
    const callback = await browser.get(back.href);
    expect(callback.status).toBe(200);
    await dmAbout(h, before, 'checks-down is connected');
  });

  it('checks the stored secret when a reauthorization keeps it', async () => {
    const h = harness();
    const connection = await connectActive(h, { nickname: 'keeps-secret' });
    await openModalWith(h, h.admin, 'reauth keeps-secret');
    const before = dmCount(h);
    await h.admin.submit();
    const reauthLink = linkIn(await dmAbout(h, before, 'Reauthorize keeps-secret'));

    const posted = await postSecret(reauthLink, '');

    expect(posted.status).toBe(303);
    expect(checksAudited(h, connection.id)).toContainEqual({
      clientCheck: 'accepted',
      redirectUriCheck: 'registered',
    });
  });

  it('reads the discovery document once for the details step and every setup page after it', () => {
    expect(harness().okta.countRequests('/.well-known/openid-configuration')).toBe(1);
  });
});
