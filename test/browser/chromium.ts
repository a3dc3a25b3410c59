import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's package; Playwright's own browser download does not work in CI. */
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Headless and quiet: no sandbox (CI runs as root), no GPU, and nothing that reaches
// out to Google's servers while a test runs.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Chromium's content-setting value for "block". */
const BLOCK = 2;

const SCREENSHOT_DIR = join(import.meta.dirname, '../../test-artifacts/browser');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** A browser context and every message where Chromium refused something on its pages. */
export interface WatchedContext {
  context: BrowserContext;
  refusals: string[];
  close(): Promise<void>;
}

/**
 * How Chromium reports a CSP violation on the console, its only trace: older versions
 * say "Refused to apply inline style…", newer ones "Sending form data to … violates the
 * following Content Security Policy directive". A blocked form redirect otherwise looks
 * like a button that did nothing.
 */
const REFUSAL = /Refused to|violates the following Content Security Policy/;

/** Records CSP violations and uncaught page errors. */
function watchRefusals(context: BrowserContext): string[] {
  const refusals: string[] = [];
  context.on('console', (message) => {
    if (REFUSAL.test(message.text())) {
      refusals.push(`${message.page()?.url() ?? '?'}: ${message.text()}`);
    }
  });
  context.on('weberror', (error) => refusals.push(`page error: ${error.error().message}`));
  return refusals;
}

/**
 * The pages are served from 127.0.0.1 in milliseconds; a step that has not happened in
 * 10 s will not happen, and failing then leaves the test time to report why.
 */
function bound(context: BrowserContext): void {
  context.setDefaultTimeout(10_000);
}

/** A fresh context of `browser`: no cookies, no cache. */
export async function openContext(browser: Browser): Promise<WatchedContext> {
  const context = await browser.newContext();
  bound(context);
  return { context, refusals: watchRefusals(context), close: () => context.close() };
}

/**
 * A browser whose settings block cookies for `origin`, as an admin's browser might
 * (Settings → Privacy → "Sites that can never use cookies"). Playwright has no switch for
 * this, so the profile's preferences say it, and Chromium itself refuses the cookies.
 */
export async function openCookieBlockingContext(origin: string): Promise<WatchedContext> {
  const profile = mkdtempSync(join(tmpdir(), 'okc-chromium-'));
  mkdirSync(join(profile, 'Default'));
  const exceptions = { cookies: { [`${origin},*`]: { setting: BLOCK } } };
  writeFileSync(
    join(profile, 'Default', 'Preferences'),
    JSON.stringify({ profile: { content_settings: { exceptions } } }),
  );
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
  });
  bound(context);
  return {
    context,
    refusals: watchRefusals(context),
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Saves the whole page as `test-artifacts/browser/<test>-<step>.png`. */
export async function screenshot(page: Page, test: string, step: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${test}-${step}.png`), fullPage: true });
}
