import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, CLIENT_ID, type Harness, startHarness } from '../e2e/harness.ts';
import { lastDm, linkIn, publicJwkIn, runWizard } from '../e2e/journey.ts';
import { expectAccessible } from './axe.ts';
import { launchChromium, openContext, screenshot, type WatchedContext } from './chromium.ts';
import { continueToOkta, openLink, readPage, signInAtOkta, submitSecretForm } from './steps.ts';

describe('the key-pair setup page in Chromium', () => {
  let browser: Browser;
  let h: Harness;
  let opened: WatchedContext[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    h = await startHarness();
    opened = [];
  });
  afterEach(async () => {
    for (const watched of opened) await watched.close();
    await h?.close();
    const refusals = opened.flatMap((watched) => watched.refusals);
    expect(refusals, 'Chromium refused something on a page').toEqual([]);
  });

  async function keyPairLink(): Promise<string> {
    const done = await runWizard(h, { clientAuth: 'private_key_jwt' });
    expect(done.outcome).toMatchObject({ kind: 'updated' });
    return linkIn(await lastDm(h, ADMIN, 1));
  }

  /** Tabs from the top of the page until `selector` has the focus, as a keyboard user would. */
  async function tabTo(page: Page, selector: string) {
    for (let i = 0; i < 30; i += 1) {
      await page.keyboard.press('Tab');
      const focused = `document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`;
      if (await page.evaluate<boolean>(focused)) return;
    }
    throw new Error(`Tab never reached ${selector}`);
  }

  it('shows the public key to add in Okta with a keyboard copy button and no secret field, says Okta does not accept the key until it is added, then connects', async () => {
    const link = await keyPairLink();
    const watched = await openContext(browser);
    opened.push(watched);
    await watched.context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: h.publicUrl,
    });
    const page = await watched.context.newPage();

    const setup = await openLink(page, link);
    expect(setup.status()).toBe(200);
    const read = await readPage(page);
    expect(read.heading).toBe('Connect acme-prod to Okta');
    expect(read.text).toContain('Public key / Private key');
    expect(read.text).toContain('Add key');
    expect(await page.locator('#client_secret').count()).toBe(0);
    const jwk = publicJwkIn(await page.content());
    await screenshot(page, 'keypair', '1-setup-public-key');
    await expectAccessible(page, 'the key-pair setup page');

    await tabTo(page, 'button[data-copy]');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#copy-status').textContent()).toContain('Copied');
    const copied = await page.evaluate<string>('navigator.clipboard.readText()');
    expect(JSON.parse(copied)).toEqual(jwk);

    // Before the key is in Okta: the page says so and keeps the admin here.
    const refused = await submitSecretForm(page);
    expect(refused.status()).toBe(400);
    expect(new URL(page.url()).origin).toBe(h.publicUrl);
    expect(await page.locator('#public-jwk-error').textContent()).toContain(
      'Okta does not accept the bot’s key yet: add the public key above',
    );
    await screenshot(page, 'keypair', '2-key-not-accepted');
    await expectAccessible(page, 'the key-pair setup page, key not accepted yet');

    h.okta.updateApp(CLIENT_ID, { authMethod: 'private_key_jwt', jwks: [jwk] });
    await continueToOkta(page, h);
    const callback = await signInAtOkta(page, h);
    await screenshot(page, 'keypair', '3-result');
    expect(callback?.status()).toBe(200);
    expect((await readPage(page)).heading).toContain('acme-prod is connected');
  });

  it('keeps the key as selectable text without JavaScript, the copy button hidden', async () => {
    const link = await keyPairLink();
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    try {
      await openLink(page, link);
      await expect(page.locator('button[data-copy]').isVisible()).resolves.toBe(false);
      await page.locator('#public-jwk').selectText();
      const selected = await page.evaluate<string>('String(window.getSelection())');
      expect(JSON.parse(selected)).toMatchObject({ kty: 'EC', alg: 'ES256' });
    } finally {
      await context.close();
    }
  });
});
