import type { Locator, Page, Response } from 'playwright-core';
import { ADMIN_PASSWORD, CLIENT_SECRET, type Harness } from '../e2e/harness.ts';
import { screenshot } from './chromium.ts';

/** The text as Chromium renders it (line breaks between blocks), which is what the admin reads. */
export async function renderedText(locator: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: Playwright's Locator.innerText, not the DOM property; the rendered text is the point
  return (await locator.innerText()).trim();
}

/** What the admin reads: the page's heading and its main text. */
export async function readPage(page: Page): Promise<{ heading: string; text: string }> {
  return {
    heading: await renderedText(page.locator('h1').first()),
    text: await renderedText(page.locator('main')),
  };
}

/** Opens the DM's link as a click from Slack would. */
export async function openLink(page: Page, link: string): Promise<Response> {
  const response = await page.goto(link);
  if (!response) throw new Error(`no response for ${link}`);
  return response;
}

/** Types the secret into the setup page's password field, key by key. */
export async function typeSecret(page: Page, secret = CLIENT_SECRET): Promise<void> {
  await page.locator('input[type="password"]#client_secret').pressSequentially(secret);
}

/**
 * Clicks "Continue to Okta"; returns the bot's answer to the POST once a page has loaded.
 * Throws when Chromium cancels the POST, as it does when a redirect breaks the CSP.
 */
export async function submitSecretForm(page: Page): Promise<Response> {
  const [request] = await Promise.all([
    page.waitForRequest((r) => r.method() === 'POST'),
    page.getByRole('button', { name: 'Continue to Okta' }).click(),
  ]);
  const answer = await request.response();
  if (!answer) {
    throw new Error(`Chromium cancelled the setup POST (${request.failure()?.errorText})`);
  }
  await page.waitForLoadState('load');
  return answer;
}

/**
 * Clicks "Continue to Okta" and waits for Okta's sign-in form. The form's POST answers
 * with a 303 to Okta: Chromium checks that redirect against the page's `form-action`.
 */
export async function continueToOkta(page: Page, h: Harness): Promise<void> {
  const answer = await submitSecretForm(page);
  if (answer.status() !== 303) {
    const { heading } = await readPage(page);
    throw new Error(`the setup form answered ${answer.status()} "${heading}", not a redirect`);
  }
  await page.waitForURL(
    (url) => url.origin === h.okta.origin && url.pathname === '/oauth2/v1/authorize',
  );
  await page.locator('#okta-signin-submit').waitFor();
}

/** Fills the Okta peer's sign-in form and waits for whatever the bot's callback answers. */
export async function signInAtOkta(page: Page, h: Harness): Promise<Response | null> {
  await page.locator('input[name="username"]').fill('ada@acme.example');
  await page.locator('input[name="password"]').fill(ADMIN_PASSWORD);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().startsWith(`${h.publicUrl}/oauth/okta/callback`)),
    page.waitForURL((url) => url.href.startsWith(`${h.publicUrl}/oauth/okta/callback`)),
    page.locator('#okta-signin-submit').click(),
  ]);
  await page.waitForLoadState('load');
  return response;
}

/** Setup page → secret → Okta's sign-in → the callback page, with a screenshot of each. */
export async function authorize(
  page: Page,
  h: Harness,
  link: string,
  shots: string,
): Promise<Response | null> {
  await openLink(page, link);
  await screenshot(page, shots, '1-setup');
  await typeSecret(page);
  await continueToOkta(page, h);
  await screenshot(page, shots, '2-okta-sign-in');
  const callback = await signInAtOkta(page, h);
  await screenshot(page, shots, '3-result');
  return callback;
}
