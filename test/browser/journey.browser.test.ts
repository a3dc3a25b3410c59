import type { Browser, BrowserContext, Request } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LINK_TTL_MS } from '../../src/flows/deps.ts';
import { ADMIN, type Harness, startHarness } from '../e2e/harness.ts';
import { lastDm, linkIn, runWizard } from '../e2e/journey.ts';
import { expectAccessible } from './axe.ts';
import {
  launchChromium,
  openContext,
  openCookieBlockingContext,
  screenshot,
  type WatchedContext,
} from './chromium.ts';
import {
  authorize,
  continueToOkta,
  openLink,
  readPage,
  renderedText,
  signInAtOkta,
  submitSecretForm,
  typeSecret,
} from './steps.ts';

// The app is granted these; okta.apps.read is requested too, so Okta drops it.
const GRANTED = ['okta.users.read', 'okta.groups.read', 'okta.roles.read', 'okta.logs.read'];
const PICKED = ['okta.users.read', 'okta.roles.read'];
const NOT_GRANTED = 'okta.apps.read';

describe('the connect journey in Chromium', () => {
  let browser: Browser;
  let h: Harness;
  let context: BrowserContext;
  /** Every context a test opened; closed, and checked for refusals, after it. */
  let opened: WatchedContext[] = [];
  /** Added to the bot's clock: the link's 15 minutes pass without waiting. */
  let clockOffset = 0;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    clockOffset = 0;
    h = await startHarness({ grantedScopes: GRANTED, now: () => Date.now() + clockOffset });
    const fresh = await openContext(browser);
    opened = [fresh];
    context = fresh.context;
  });
  afterEach(async () => {
    for (const watched of opened) await watched.close();
    await h?.close();
    const refusals = opened.flatMap((watched) => watched.refusals);
    expect(refusals, 'Chromium refused something on a page').toEqual([]);
  });

  /** The Slack side: `/okta-connect` through the wizard, then the setup link from the DM. */
  async function linkFromDm(): Promise<string> {
    const done = await runWizard(h, { scopeMode: 'custom', pick: PICKED, typed: NOT_GRANTED });
    expect(done.outcome).toMatchObject({ kind: 'updated' });
    return linkIn(await lastDm(h, ADMIN, 1));
  }

  const connection = async () =>
    await h.bot.flows.connections.findByNickname(h.slack.identity.teamId, 'acme-prod');
  const connectionCount = async () =>
    await h.bot.flows.connections.countByTeam(h.slack.identity.teamId);
  const dmCount = () => h.slack.messagesTo(h.slack.dmChannelFor(ADMIN)).length;
  /** The auth requests as stored: how each attempt ended, and whether its PKCE verifier is gone. */
  const attempts = () =>
    h
      .sqlite()
      .prepare(
        `SELECT outcome, link_used_at IS NOT NULL AS linkUsed, consumed_at IS NOT NULL AS consumed,
                pkce_verifier IS NULL AS verifierWiped FROM auth_requests`,
      )
      .all();
  /** Browsers sent to Okta's sign-in; the setup page's redirect-URI check asks with prompt=none. */
  const sentToOkta = () =>
    h.okta.requests.filter((r) => r.path === '/oauth2/v1/authorize' && r.query.prompt !== 'none')
      .length;
  const AUTHORIZED = { outcome: 'authorized', linkUsed: 1, consumed: 1, verifierWiped: 1 };
  const UNUSED = { outcome: null, linkUsed: 0, consumed: 0, verifierWiped: 1 };

  it('connects from the DM link through Okta’s sign-in form and shows what was granted and dropped', async () => {
    const link = await linkFromDm();
    const page = await context.newPage();

    const setup = await openLink(page, link);
    expect(setup.status()).toBe(200);
    expect(setup.headers()['content-security-policy']).toContain(
      `form-action 'self' ${h.okta.origin}`,
    );
    const setupPage = await readPage(page);
    expect(setupPage.heading).toBe('Connect acme-prod to Okta');
    expect(setupPage.text).toContain(`${h.publicUrl}/oauth/okta/callback`);
    expect(setupPage.text).toContain(NOT_GRANTED);
    await screenshot(page, 'journey', '1-setup');
    await expectAccessible(page, 'the setup page');

    await typeSecret(page);
    const sent: Request[] = [];
    page.on('request', (request) => sent.push(request));
    await continueToOkta(page, h);
    await screenshot(page, 'journey', '2-okta-sign-in');
    // The bot refuses a setup POST whose Origin is not its own, and Chromium sends
    // `Origin: null` under a `no-referrer` policy; the link's URL must not reach Okta.
    const posted = sent.find((request) => request.method() === 'POST');
    expect(await posted?.headerValue('origin')).toBe(h.publicUrl);
    const toOkta = sent.find((request) => request.url().startsWith(h.okta.origin));
    expect(toOkta, 'the redirect to Okta').toBeDefined();
    expect(await toOkta?.headerValue('referer')).toBeNull();
    expect((await readPage(page)).heading).toBe('Sign In');

    const callback = await signInAtOkta(page, h);
    await screenshot(page, 'journey', '3-result');
    expect(callback?.status()).toBe(200);
    const result = await readPage(page);
    expect(result.heading).toContain('acme-prod is connected');
    expect(result.text).toContain('Signed in as\nada@acme.example');
    expect(result.text).toContain('Okta dropped some scopes');
    expect(result.text).toMatch(/left out scopes the app is not granted: .*okta\.apps\.read/);
    expect(result.text).toContain('What to do: Grant them on the app’s Okta API Scopes tab');
    const granted = await page.locator('h2:text("Scopes Okta granted") + ul li').allInnerTexts();
    expect(granted).toEqual(expect.arrayContaining(PICKED));
    expect(granted).not.toContain(NOT_GRANTED);
    await expectAccessible(page, 'the result page with dropped scopes');

    expect(await connection()).toMatchObject({
      status: 'active',
      authorizedLogin: 'ada@acme.example',
      authorizedBy: ADMIN,
      hasClientSecret: true,
      hasRefreshToken: true,
    });
    expect((await connection())?.grantedScopes).toEqual(expect.arrayContaining(PICKED));
    expect((await connection())?.grantedScopes).not.toContain(NOT_GRANTED);
    expect(await connectionCount()).toBe(1);
    expect(attempts()).toEqual([AUTHORIZED]);
    expect(JSON.stringify((await lastDm(h, ADMIN, 2)).blocks)).toContain(NOT_GRANTED);
  });

  it('explains that an expired link is too old and how to get a new one', async () => {
    const link = await linkFromDm();
    const page = await context.newPage();
    await openLink(page, link);
    await typeSecret(page);
    await screenshot(page, 'expired-link', '1-setup-before-expiry');

    // The admin left the page open past the link's lifetime, then clicked.
    clockOffset = LINK_TTL_MS + 60_000;
    const answer = await submitSecretForm(page);
    await screenshot(page, 'expired-link', '2-submitted');
    expect(answer.status()).toBe(410);
    const submitted = await readPage(page);
    expect(submitted.heading).toContain('This link has expired');
    expect(submitted.text).toContain('Setup links work for 15 minutes');
    expect(submitted.text).toContain('What to do: Get a new one with /okta-connect in Slack.');
    await expectAccessible(page, 'the expired-link page after the POST');

    const reopened = await openLink(page, link);
    await screenshot(page, 'expired-link', '3-reopened');
    expect(reopened.status()).toBe(410);
    expect((await readPage(page)).heading).toContain('This link has expired');
    await expectAccessible(page, 'the expired-link page');

    expect(sentToOkta()).toBe(0);
    expect((await connection())?.status).toBe('pending');
    expect(attempts()).toEqual([UNUSED]);
  });

  it('shows "already used" when the link is opened again after connecting', async () => {
    const link = await linkFromDm();
    const page = await context.newPage();
    await authorize(page, h, link, 'reused-link');
    expect((await connection())?.status).toBe('active');

    const again = await context.newPage();
    const reopened = await openLink(again, link);
    await screenshot(again, 'reused-link', '4-reopened');
    expect(reopened.status()).toBe(410);
    const used = await readPage(again);
    expect(used.heading).toContain('This link was already used');
    expect(used.text).toContain('Each setup link works once');
    expect(used.text).toContain('What to do: If that sign-in did not finish, get a new link');
    await expectAccessible(again, 'the link-used page');
    expect((await connection())?.status).toBe('active');
    expect(await connectionCount()).toBe(1);
  });

  it('keeps the one active connection when the admin goes back and forward after connecting', async () => {
    const link = await linkFromDm();
    const page = await context.newPage();
    await authorize(page, h, link, 'back-button');
    const activeBefore = await connection();
    expect(activeBefore?.status).toBe('active');
    await lastDm(h, ADMIN, 2);

    // Back from the result page: Okta's sign-in form (the authorize URL) again.
    await page.goBack();
    await screenshot(page, 'back-button', '4-back-to-okta');
    expect(new URL(page.url()).origin).toBe(h.okta.origin);

    // Forward: the callback URL is asked for again, with a code and state already used.
    const forward = await page.goForward();
    await screenshot(page, 'back-button', '5-forward-to-callback');
    expect(forward?.status()).toBe(410);
    const replayed = await readPage(page);
    expect(replayed.heading).toContain('This sign-in was already completed');
    expect(replayed.text).toContain('What to do: Check your DM with the bot for the result.');
    await expectAccessible(page, 'the sign-in-already-completed page');

    // Back to Okta and sign in again: a new code, but the state was used.
    await page.goBack();
    await page.locator('#okta-signin-submit').waitFor();
    const resubmitted = await signInAtOkta(page, h);
    await screenshot(page, 'back-button', '6-signed-in-again');
    expect(resubmitted?.status()).toBe(410);
    expect((await readPage(page)).heading).toContain('This sign-in was already completed');

    // Back to the setup page: the link is used up, so the form is not shown again.
    await page.goBack();
    await page.goBack();
    await screenshot(page, 'back-button', '7-back-to-setup');
    expect(page.url()).toBe(link);
    expect((await readPage(page)).heading).toContain('This link was already used');
    expect(await page.locator('form').count()).toBe(0);

    const after = await connection();
    expect(after?.status).toBe('active');
    expect(after?.authorizedAt).toBe(activeBefore?.authorizedAt);
    expect(await connectionCount()).toBe(1);
    expect(h.okta.authorizations({ clientId: activeBefore?.clientId })).toHaveLength(1);
    expect(attempts()).toEqual([AUTHORIZED]);
    expect(dmCount()).toBe(2);
  });

  it('lets one of two tabs on the same link reach Okta and tells the other it was already used', async () => {
    const link = await linkFromDm();
    const tabs = [await context.newPage(), await context.newPage()];
    for (const tab of tabs) {
      await openLink(tab, link);
      await typeSecret(tab);
    }

    await Promise.all(
      tabs.map((tab) => tab.getByRole('button', { name: 'Continue to Okta' }).click()),
    );
    const outcomes = await Promise.all(
      tabs.map(async (tab) => {
        await tab.locator('h1', { hasText: /^Sign In$|already used/ }).waitFor();
        return new URL(tab.url()).origin === h.okta.origin ? 'okta' : 'used';
      }),
    );
    expect([...outcomes].sort()).toEqual(['okta', 'used']);
    const winner = tabs[outcomes.indexOf('okta')]!;
    const loser = tabs[outcomes.indexOf('used')]!;
    await screenshot(winner, 'two-tabs', '1-winner-at-okta');
    await screenshot(loser, 'two-tabs', '2-loser-already-used');
    expect((await readPage(loser)).heading).toContain('This link was already used');
    await expectAccessible(loser, 'the link-used page of the tab that lost');

    const callback = await signInAtOkta(winner, h);
    await screenshot(winner, 'two-tabs', '3-winner-result');
    expect(callback?.status()).toBe(200);
    expect((await readPage(winner)).heading).toContain('acme-prod is connected');
    expect((await connection())?.status).toBe('active');
    expect(await connectionCount()).toBe(1);
    expect(attempts()).toEqual([AUTHORIZED]);
    expect(sentToOkta()).toBe(1);
  });

  it('shows Okta’s refusal of a wrong secret at the field, and the same page goes on with the right one', async () => {
    const link = await linkFromDm();
    const page = await context.newPage();
    await openLink(page, link);
    await typeSecret(page, 'not-the-secret-0123456789abcdefghijklmn');
    const answer = await submitSecretForm(page);
    await screenshot(page, 'wrong-secret', '1-setup-error');
    expect(answer.status()).toBe(400);
    const field = page.locator('input[type="password"]#client_secret');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await renderedText(page.locator('#client_secret-error'))).toBe(
      'Okta refused this client ID and secret: copy the secret again from the app’s General tab.',
    );
    expect(await field.inputValue()).toBe('');
    await expectAccessible(page, 'the setup page with the secret refused');
    expect(sentToOkta()).toBe(0);
    expect(attempts()).toEqual([UNUSED]);

    await typeSecret(page);
    await continueToOkta(page, h);
    await signInAtOkta(page, h);
    await screenshot(page, 'wrong-secret', '2-result');
    expect((await readPage(page)).heading).toContain('acme-prod is connected');
  });

  it('says which checks Okta did not answer and lets the admin continue to Okta from the page', async () => {
    const link = await linkFromDm();
    h.okta.injectFault('/oauth2/v1/token', { kind: 'status', status: 503, times: 1 });
    h.okta.injectFault('/oauth2/v1/authorize', { kind: 'status', status: 503, times: 1 });
    const page = await context.newPage();
    await openLink(page, link);
    await typeSecret(page);
    const answer = await submitSecretForm(page);
    await screenshot(page, 'checks-unchecked', '1-continue');
    expect(answer.status()).toBe(200);
    const shown = await readPage(page);
    expect(shown.heading).toBe('Sign in to Okta for acme-prod');
    expect(shown.text).toContain('Some checks could not be made');
    await expectAccessible(page, 'the continue page');
    await Promise.all([
      page.waitForURL((url) => url.origin === h.okta.origin),
      page.getByRole('link', { name: 'Continue to Okta' }).click(),
    ]);
    await page.locator('#okta-signin-submit').waitFor();
    await signInAtOkta(page, h);
    await screenshot(page, 'checks-unchecked', '2-result');
    expect((await readPage(page)).heading).toContain('acme-prod is connected');
  });

  it('says cookies are needed when the browser blocks them, and the link works once they are allowed', async () => {
    const link = await linkFromDm();
    const blocking = await openCookieBlockingContext(h.publicUrl);
    opened.push(blocking);
    const page = await blocking.context.newPage();
    await openLink(page, link);
    await typeSecret(page);
    const answer = await submitSecretForm(page);
    await screenshot(page, 'cookies-blocked', '1-setup-error');
    expect(answer.status()).toBe(400);
    expect(await blocking.context.cookies()).toEqual([]);
    const blocked = await readPage(page);
    expect(blocked.heading).toBe('Connect acme-prod to Okta');
    const alert = await renderedText(page.getByRole('alert'));
    expect(alert).toContain('Your browser did not send the bot’s cookie');
    expect(alert).toContain(
      'What to do: Allow cookies for this site (or leave private browsing), then open the link from your DM again.',
    );
    await expectAccessible(page, 'the setup page saying cookies are blocked');
    expect(sentToOkta()).toBe(0);
    expect((await connection())?.status).toBe('pending');
    expect(attempts()).toEqual([UNUSED]);

    // Following the advice: a browser that allows cookies, the same link from the DM.
    const allowed = await context.newPage();
    await authorize(allowed, h, link, 'cookies-blocked-then-allowed');
    expect((await readPage(allowed)).heading).toContain('acme-prod is connected');
    expect((await connection())?.status).toBe('active');
  });
});
