import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestKeyLink } from '../e2e/apiKeySteps.ts';
import { ADMIN, type Harness, startHarness } from '../e2e/harness.ts';
import { expectAccessible } from './axe.ts';
import { launchChromium, openContext, screenshot } from './chromium.ts';
import { openLink, readPage } from './steps.ts';

describe('the API key page in Chromium', () => {
  let browser: Browser;
  let h: Harness;
  beforeAll(async () => {
    browser = await launchChromium();
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
    await browser?.close();
  });

  it('shows the key once, readable in light and dark mode, and the link then says it was used', async () => {
    const { link } = await requestKeyLink(h.slack, h.admin, ADMIN, 'browser-key', {
      actions: ['read', 'token'],
    });
    const watched = await openContext(browser);
    try {
      const page = await watched.context.newPage();
      expect((await openLink(page, link)).status()).toBe(200);
      const { heading, text } = await readPage(page);
      expect(heading).toBe('API key browser-key');
      expect(text).toContain('shown once');
      expect(text).toContain('whatever its scopes allow');
      const key = (await page.locator('#api-key').textContent()) ?? '';
      expect(key).toMatch(/^okc_[A-Za-z0-9_-]{43}$/);
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        await screenshot(page, 'api-key', colorScheme);
      }
      // WCAG 2.1 AA, text contrast (1.4.3) included, in light and dark mode.
      await expectAccessible(page, 'the API key page');
      const again = await openLink(page, link);
      expect(again.status()).toBe(410);
      expect((await readPage(page)).heading).toContain('already shown');
      expect(await page.content()).not.toContain(key);
      await expectAccessible(page, 'the key-already-shown page');
    } finally {
      await watched.close();
    }
    expect(watched.refusals).toEqual([]);
  });
});
