import { describe, expect, it } from 'vitest';
import {
  connectionNamed,
  dmAbout,
  dmCount,
  requestSetupLink,
  storedRow,
  textOf,
} from './connectionSteps.ts';
import { ADMIN, ADMIN_PASSWORD, CLIENT_ID, CLIENT_SECRET, type Harness } from './harness.ts';
import { csrfFrom, HttpBrowser, type PageAnswer } from './httpBrowser.ts';
import { authorizeInBrowser, linkIn, reachCallback } from './journey.ts';
import { sharedHarness, withHarness } from './slackChecks.ts';

/** The page's heading, which is the failure's title. */
const headingOf = (page: PageAnswer) => page.body.match(/<h1[^>]*>([\s\S]*?)<\/h1>/)?.[1] ?? '';

/** The "Try again" link of a problem page. */
const retryLinkOn = (page: PageAnswer) => {
  const href = page.body.match(/<a class="button" href="([^"]+)">Try again<\/a>/)?.[1];
  if (!href) throw new Error(`no Try again link on ${headingOf(page)}`);
  return new URL(href.replaceAll('&amp;', '&'), 'http://unused.invalid').pathname;
};

describe('Okta refusing the sign-in', () => {
  const harness = sharedHarness();

  it('fails the connection with invalid_scope and names the scope Okta does not know', async () => {
    const h = harness();
    const { link, dm } = await requestSetupLink(h, {
      nickname: 'made-up-scope',
      scopeMode: 'custom',
      pick: ['okta.users.read'],
      typed: 'okta.madeUp.read',
    });
    expect(textOf(dm)).toContain('okta.madeUp.read');
    const before = dmCount(h);

    const { callback } = await authorizeInBrowser(h, link);

    expect(callback.status).toBe(400);
    expect(headingOf(callback)).toContain('Okta refused a scope');
    expect(callback.body).toContain('okta.madeUp.read');
    expect(connectionNamed(h, 'made-up-scope')).toMatchObject({
      status: 'failed',
      statusCode: 'invalid_scope',
    });
    const result = textOf(await dmAbout(h, before, 'made-up-scope'));
    expect(result).toContain('okta.madeUp.read');
    expect(result).toContain('/okta-connect scopes made-up-scope');
  });

  it('fails with consent_required and says to grant the scopes on the Okta API Scopes tab', async () => {
    const h = harness();
    const { link } = await requestSetupLink(h, {
      nickname: 'nothing-granted',
      scopeMode: 'custom',
      pick: ['okta.apps.read', 'okta.devices.read'],
    });
    const before = dmCount(h);

    const { callback } = await authorizeInBrowser(h, link);

    expect(callback.status).toBe(400);
    expect(callback.body).toContain('consent_required');
    expect(callback.body).toContain('Okta API Scopes');
    expect(connectionNamed(h, 'nothing-granted')).toMatchObject({
      status: 'failed',
      statusCode: 'consent_required',
    });
    const result = textOf(await dmAbout(h, before, 'nothing-granted'));
    expect(result).toContain('Okta API Scopes');
    expect(result).toContain('None of the requested Okta API scopes is granted');
  });

  it('tells a user who is not assigned to the app apart from an admin who cancelled', async () => {
    const h = harness();
    h.okta.addUser({
      login: 'bob@acme.example',
      password: ADMIN_PASSWORD,
      roles: ['SUPER_ADMIN'],
      assignedTo: [],
    });
    const unassigned = await requestSetupLink(h, { nickname: 'bob-unassigned' });
    const cancelled = await requestSetupLink(h, { nickname: 'ada-cancelled' });

    const before = dmCount(h);
    const notAssigned = await authorizeInBrowser(h, unassigned.link, {
      signIn: { username: 'bob@acme.example', password: ADMIN_PASSWORD },
    });
    const notAssignedDm = textOf(await dmAbout(h, before, 'bob-unassigned'));
    const cancel = await authorizeInBrowser(h, cancelled.link, { signIn: { cancel: true } });
    const cancelDm = textOf(await dmAbout(h, before, 'ada-cancelled'));

    expect(notAssigned.callback.status).toBe(400);
    expect(headingOf(notAssigned.callback)).toContain('not assigned to the Okta app');
    expect(notAssigned.callback.body).toContain('Assignments tab');
    expect(notAssignedDm).toContain('Assignments tab');
    expect(connectionNamed(h, 'bob-unassigned')).toMatchObject({
      status: 'failed',
      statusCode: 'user_not_assigned',
    });

    expect(cancel.callback.status).toBe(400);
    expect(headingOf(cancel.callback)).toContain('cancelled at Okta');
    expect(cancel.callback.body).toContain('/okta-connect reauth ada-cancelled');
    expect(cancelDm).toContain('cancelled at Okta');
    expect(connectionNamed(h, 'ada-cancelled')).toMatchObject({
      status: 'failed',
      statusCode: 'cancelled',
    });
    expect(headingOf(cancel.callback)).not.toBe(headingOf(notAssigned.callback));
  });

  it('keeps the connection pending when Okta refuses the secret at the code exchange, and offers a new link that works', async () => {
    const h = harness();
    const { link, connection } = await requestSetupLink(h, { nickname: 'wrong-secret' });
    const before = dmCount(h);
    // The setup page checked the secret; someone regenerates it at Okta before the callback.
    const rotated = 'rotated-secret-0123456789abcdefghijklmn';
    const { browser, callbackUrl } = await reachCallback(h, link);
    h.okta.updateApp(CLIENT_ID, { clientSecret: rotated });
    try {
      const callback = await browser.get(callbackUrl);

      expect(callback.status).toBe(400);
      expect(headingOf(callback)).toContain('Okta refused the client secret');
      expect(connectionNamed(h, 'wrong-secret')).toMatchObject({
        status: 'pending',
        statusCode: null,
      });
      expect(storedRow(h, connection.id).sealed).toEqual({
        clientSecret: false,
        accessToken: false,
        refreshToken: false,
      });
      const dm = await dmAbout(h, before, 'invalid_client');
      const retry = linkIn(dm);
      expect(retry).not.toBe(link);
      expect(retryLinkOn(callback)).toBe(new URL(retry).pathname);

      const again = await authorizeInBrowser(h, retry, { browser, secret: rotated });

      expect(again.callback.status).toBe(200);
      expect(connectionNamed(h, 'wrong-secret')).toMatchObject({
        id: connection.id,
        status: 'active',
        hasClientSecret: true,
      });
    } finally {
      h.okta.updateApp(CLIENT_ID, { clientSecret: CLIENT_SECRET });
    }
  });
});

describe('links and sign-ins that cannot be used', () => {
  let offset = 0;
  const harness = sharedHarness({ now: () => Date.now() + offset });
  const SIXTEEN_MINUTES = 16 * 60 * 1000;

  it('refuses a link after its 15 minutes, on the page and on the form', async () => {
    const h = harness();
    const { link, connection } = await requestSetupLink(h, { nickname: 'expired-link' });
    const browser = new HttpBrowser();
    const setup = await browser.get(link);
    const csrf = csrfFrom(setup.body);
    offset += SIXTEEN_MINUTES;
    try {
      const page = await browser.get(link);
      const posted = await browser.postForm(link, { csrf, client_secret: 'anything' });

      expect(page.status).toBe(410);
      expect(headingOf(page)).toContain('This link has expired');
      expect(posted.status).toBe(410);
      expect(headingOf(posted)).toContain('This link has expired');
      expect(connectionNamed(h, 'expired-link')).toMatchObject({
        id: connection.id,
        status: 'pending',
      });
    } finally {
      offset = 0;
    }
  });

  it('refuses a link that was already used, to a second post and to a later visit', async () => {
    const h = harness();
    const { link } = await requestSetupLink(h, { nickname: 'used-link' });
    const { browser, csrf } = await reachCallback(h, link);

    const again = await browser.postForm(link, { csrf, client_secret: CLIENT_SECRET });
    const visit = await browser.get(link);

    expect(again.status).toBe(410);
    expect(headingOf(again)).toContain('This link was already used');
    expect(visit.status).toBe(410);
    expect(headingOf(visit)).toContain('This link was already used');
    expect(connectionNamed(h, 'used-link').status).toBe('pending');
  });

  it('refuses a sign-in that comes back after the state expired and changes nothing', async () => {
    const h = harness();
    const { link, connection } = await requestSetupLink(h, { nickname: 'slow-sign-in' });
    const { browser, callbackUrl } = await reachCallback(h, link);
    const before = dmCount(h);
    offset += SIXTEEN_MINUTES;
    try {
      const callback = await browser.get(callbackUrl);

      expect(callback.status).toBe(410);
      expect(headingOf(callback)).toContain('This sign-in took too long');
      expect(textOf(await dmAbout(h, before, 'slow-sign-in'))).toContain('took too long');
      expect(connectionNamed(h, 'slow-sign-in')).toMatchObject({
        id: connection.id,
        status: 'pending',
        statusCode: null,
        hasRefreshToken: false,
      });
    } finally {
      offset = 0;
    }
  });

  it('refuses a replayed callback and leaves the connection as the first one left it', async () => {
    const h = harness();
    const { link } = await requestSetupLink(h, { nickname: 'replayed' });
    const { browser, callbackUrl } = await reachCallback(h, link);
    const before = dmCount(h);
    const first = await browser.get(callbackUrl);
    expect(first.status).toBe(200);
    await dmAbout(h, before, 'replayed is connected');
    const active = connectionNamed(h, 'replayed');
    const tokens = h.bot.flows.connections.readSecrets(active.id, ['accessToken']);

    const replay = await browser.get(callbackUrl);

    expect(replay.status).toBe(410);
    expect(headingOf(replay)).toContain('already completed');
    expect(connectionNamed(h, 'replayed')).toEqual(active);
    expect(h.bot.flows.connections.readSecrets(active.id, ['accessToken'])?.accessToken).toBe(
      tokens?.accessToken,
    );
    expect(
      h.bot.flows.audit
        .list(h.slack.identity.teamId, { connectionId: active.id })
        .map((event) => [event.action, event.details.reason]),
    ).toContainEqual(['callback.refused', 'state_used']);
    expect(dmCount(h)).toBe(before + 1);
  });

  it('refuses a callback without state, and audits it when it carries a code', async () => {
    const h = harness();
    const before = h.bot.flows.audit.list('unknown').length;

    const page = await new HttpBrowser().get(`${h.publicUrl}/oauth/okta/callback?code=abc123`);

    expect(page.status).toBe(400);
    expect(headingOf(page)).toContain('This sign-in cannot be finished');
    const events = h.bot.flows.audit.list('unknown');
    expect(events).toHaveLength(before + 1);
    expect(events[0]).toMatchObject({
      action: 'callback.refused',
      details: { reason: 'state_missing' },
    });
  });

  it('refuses and audits a forged state', async () => {
    const h = harness();
    const before = h.bot.flows.audit.list('unknown').length;

    const page = await new HttpBrowser().get(
      `${h.publicUrl}/oauth/okta/callback?code=abc123&state=forged-state-0123456789`,
    );

    expect(page.status).toBe(400);
    expect(headingOf(page)).toContain('was not started by the bot');
    const events = h.bot.flows.audit.list('unknown');
    expect(events).toHaveLength(before + 1);
    expect(events[0]).toMatchObject({
      action: 'callback.refused',
      actor: 'unknown',
      details: { reason: 'state_unknown' },
    });
  });

  it('refuses and audits a callback opened in another browser, and the right browser still finishes', async () => {
    const h = harness();
    const { link, connection } = await requestSetupLink(h, { nickname: 'other-browser' });
    const { browser, callbackUrl } = await reachCallback(h, link);

    const elsewhere = await new HttpBrowser().get(callbackUrl);

    expect(elsewhere.status).toBe(403);
    expect(headingOf(elsewhere)).toContain('started in another browser');
    expect(connectionNamed(h, 'other-browser').status).toBe('pending');
    expect(
      h.bot.flows.audit.list(h.slack.identity.teamId, { connectionId: connection.id })[0],
    ).toMatchObject({
      action: 'callback.refused',
      actor: ADMIN,
      details: { reason: 'browser_mismatch' },
    });

    const right = await browser.get(callbackUrl);

    expect(right.status).toBe(200);
    expect(connectionNamed(h, 'other-browser').status).toBe('active');
  });
});

describe('Okta failing at the token endpoint', () => {
  const harness = sharedHarness();

  it.each([
    ['answers 503', { kind: 'status', status: 503 } as const, 'Okta is having trouble'],
    ['answers 429', { kind: 'status', status: 429 } as const, 'Okta is rate limiting the bot'],
    ['drops the connection', { kind: 'drop' } as const, 'Okta could not be reached'],
  ])(
    'changes nothing when the token endpoint %s, and offers a link that works once Okta is back',
    async (what, fault, title) => {
      const h = harness();
      const nickname = `token-${what.replaceAll(' ', '-')}`;
      const { link, connection } = await requestSetupLink(h, { nickname });
      const before = dmCount(h);
      // After the setup page's own checks, so that the code exchange meets the fault.
      const { browser, callbackUrl } = await reachCallback(h, link);
      h.okta.injectFault('/oauth2/v1/token', fault);

      const callback = await browser
        .get(callbackUrl)
        .finally(() => h.okta.clearFaults('/oauth2/v1/token'));

      expect(callback.status).toBeGreaterThanOrEqual(502);
      expect(headingOf(callback)).toContain(title);
      expect(callback.body).toContain('Nothing was changed');
      expect(connectionNamed(h, nickname)).toMatchObject({ status: 'pending', statusCode: null });
      expect(storedRow(h, connection.id).sealed.accessToken).toBe(false);
      const dm = await dmAbout(h, before, title);
      const retry = linkIn(dm);
      expect(retryLinkOn(callback)).toBe(new URL(retry).pathname);

      const again = await authorizeInBrowser(h, retry);

      expect(again.callback.status).toBe(200);
      expect(connectionNamed(h, nickname)).toMatchObject({ id: connection.id, status: 'active' });
      await dmAbout(h, before, `${nickname} is connected`);
    },
  );
});

describe('Okta down when the setup form is posted', () => {
  it('shows the error on the setup page and keeps the link usable', async () => {
    await withHarness({}, async (h) => {
      // Down from the details step on, so no discovery document is cached: the details
      // step lets the admin go on, the setup page cannot build the way to Okta.
      h.okta.injectFault('/.well-known/openid-configuration', { kind: 'status', status: 503 });
      const { link } = await requestSetupLink(h, { nickname: 'discovery-down' });
      const browser = new HttpBrowser();
      const csrf = csrfFrom((await browser.get(link)).body);

      const refused = await browser.postForm(link, { csrf, client_secret: CLIENT_SECRET });

      expect(refused.status).toBe(502);
      expect(refused.body).toContain('Okta is having trouble');
      expect(refused.body).toContain('name="client_secret"');
      expect(connectionNamed(h, 'discovery-down').status).toBe('pending');

      h.okta.clearFaults();
      const before = dmCount(h);
      const { callback } = await authorizeInBrowser(h, link, { browser });

      expect(callback.status).toBe(200);
      expect(connectionNamed(h, 'discovery-down').status).toBe('active');
      await dmAbout(h, before, 'discovery-down is connected');
    });
  });
});

describe('answers from Okta that do not pass the checks', () => {
  const harness = sharedHarness();

  it.each(['foreign-key', 'wrong-iss', 'wrong-nonce', 'no-access-token'] as const)(
    'fails the connection and stores nothing when the token response has %s',
    async (tamper) => {
      const h = harness();
      const nickname = `tampered-${tamper}`;
      const { link, connection } = await requestSetupLink(h, { nickname });
      const before = dmCount(h);
      h.okta.tamperNextToken(tamper);

      const { callback } = await authorizeInBrowser(h, link);

      expect(callback.status).toBe(502);
      expect(headingOf(callback)).toContain('did not pass the bot’s checks');
      expect(connectionNamed(h, nickname)).toMatchObject({
        status: 'failed',
        statusCode: 'okta_bad_response',
        hasRefreshToken: false,
        hasClientSecret: false,
      });
      expect(storedRow(h, connection.id).sealed).toEqual({
        clientSecret: false,
        accessToken: false,
        refreshToken: false,
      });
      expect(textOf(await dmAbout(h, before, nickname))).toContain('Nothing was stored');
    },
  );
});

describe('warnings on a connection that works', () => {
  /** The default scopes, signed in as the harness's Okta user: the page and the DM. */
  async function connectWithDefaults(h: Harness, nickname: string) {
    const { link } = await requestSetupLink(h, { nickname });
    const before = dmCount(h);
    const { callback } = await authorizeInBrowser(h, link);
    expect(callback.status).toBe(200);
    const dm = textOf(await dmAbout(h, before, `${nickname} is connected`));
    return { page: callback.body, dm, connection: connectionNamed(h, nickname) };
  }

  it('warns that there is no refresh token when the app lacks the Refresh Token grant type', async () => {
    await withHarness({ grantTypes: ['authorization_code'] }, async (h) => {
      const { page, dm, connection } = await connectWithDefaults(h, 'no-refresh');

      expect(connection).toMatchObject({ status: 'active', hasRefreshToken: false });
      for (const text of [page, dm]) {
        expect(text).toContain('No refresh token');
        expect(text).toContain('Refresh Token grant type');
      }
    });
  });

  it.each([
    ['an org admin', ['ORG_ADMIN'] as const],
    ['an account without admin roles', [] as const],
  ])('warns when the account that signed in is %s, not a super admin', async (_who, roles) => {
    await withHarness({ roles: [...roles] }, async (h) => {
      const { page, dm, connection } = await connectWithDefaults(h, 'not-super');

      expect(connection.status).toBe('active');
      for (const text of [page, dm]) {
        expect(text).toContain('The Okta account is not a super admin');
        expect(text).not.toContain('could not check the admin role');
      }
    });
  });

  it('says it could not check the admin role when okta.roles.read is not granted', async () => {
    await withHarness({ grantedScopes: ['okta.users.read', 'okta.groups.read'] }, async (h) => {
      const { page, dm, connection } = await connectWithDefaults(h, 'roles-unread');

      expect(connection.status).toBe('active');
      expect(connection.grantedScopes).not.toContain('okta.roles.read');
      for (const text of [page, dm]) {
        expect(text).toContain('could not check the admin role');
        expect(text).toContain('okta.roles.read');
      }
    });
  });

  it('says it could not check the admin role when Okta fails to list the roles, and still connects', async () => {
    await withHarness({}, async (h) => {
      h.okta.injectFault('/api/v1/users/*', { kind: 'status', status: 503 });
      const { page, dm, connection } = await connectWithDefaults(h, 'roles-down');

      expect(connection).toMatchObject({ status: 'active', hasRefreshToken: true });
      expect(connection.grantedScopes).toContain('okta.roles.read');
      for (const text of [page, dm]) expect(text).toContain('could not check the admin role');
    });
  });
});
