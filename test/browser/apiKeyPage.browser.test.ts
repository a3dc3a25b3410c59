import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestKeyLink } from '../e2e/apiKeySteps.ts';
import { ADMIN, type Harness, startHarness } from '../e2e/harness.ts';
import { launchChromium, openContext, screenshot } from './chromium.ts';
import { openLink, readPage } from './steps.ts';

/**
 * WCAG 2.1 AA 1.4.3: every text of the page against the background it is drawn on,
 * 4.5:1 (3:1 for large text). Colours are read as Chromium computed them.
 */
function lowContrastTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    // The suite compiles without the DOM library: the little of it used here, typed.
    type El = {
      tagName: string;
      parentElement: El | null;
      childNodes: ArrayLike<{ nodeType: number; textContent: string | null }>;
    };
    const { document, getComputedStyle } = globalThis as unknown as {
      document: { querySelectorAll(selector: string): Iterable<El> };
      getComputedStyle(el: El): {
        color: string;
        backgroundColor: string;
        fontSize: string;
        fontWeight: string;
      };
    };
    const rgb = (css: string) => (css.match(/[\d.]+/g) ?? []).map(Number);
    const lum = ([r = 0, g = 0, b = 0]: number[]) => {
      const c = [r, g, b].map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * (c[0] ?? 0) + 0.7152 * (c[1] ?? 0) + 0.0722 * (c[2] ?? 0);
    };
    const background = (el: El | null): number[] => {
      for (let e = el; e; e = e.parentElement) {
        const parts = rgb(getComputedStyle(e).backgroundColor);
        if (parts.length === 3 || (parts[3] ?? 0) > 0) return parts.slice(0, 3);
      }
      return [255, 255, 255];
    };
    const problems: string[] = [];
    for (const el of document.querySelectorAll('body *')) {
      const own = Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent?.trim());
      if (!own) continue;
      const style = getComputedStyle(el);
      const a = lum(rgb(style.color));
      const b = lum(background(el));
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      const size = Number.parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) problems.push(`${el.tagName} ${ratio.toFixed(2)}`);
    }
    return problems;
  });
}

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
        expect(await lowContrastTexts(page), colorScheme).toEqual([]);
      }
      const again = await openLink(page, link);
      expect(again.status()).toBe(410);
      expect((await readPage(page)).heading).toContain('already shown');
      expect(await page.content()).not.toContain(key);
      expect(await lowContrastTexts(page)).toEqual([]);
    } finally {
      await watched.close();
    }
    expect(watched.refusals).toEqual([]);
  });
});
