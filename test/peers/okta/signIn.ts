/**
 * Drives the authorize step over plain HTTP, the way a browser would, so end-to-end
 * tests without Chromium can complete a code flow.
 */
import { SIGN_IN_PATH } from './signInPage.ts';

export type SignInAction = { username: string; password: string } | { cancel: true };

const isRedirect = (status: number) => status >= 300 && status < 400;

function textOf(html: string, id: string): string | undefined {
  return new RegExp(`id="${id}"[^>]*>([^<]*)<`).exec(html)?.[1];
}

/**
 * Opens `authorizeUrl`; if the peer redirects at once (auto sign-in, or an error
 * redirect) returns that Location, otherwise submits the sign-in form with `action` and
 * returns the Location it redirects to. Throws with Okta's text when the peer shows an
 * error page or refuses the credentials.
 */
export async function signIn(
  origin: string,
  authorizeUrl: string | URL,
  action?: SignInAction,
): Promise<URL> {
  const page = await fetch(authorizeUrl, { redirect: 'manual' });
  const html = await page.text();
  if (isRedirect(page.status)) return new URL(page.headers.get('location') ?? '', origin);
  if (page.status !== 200) {
    throw new Error(
      `authorize answered ${page.status}: ${textOf(html, 'error-code')}: ${textOf(html, 'error-description')}`,
    );
  }
  if (!action)
    throw new Error(
      'the Okta peer shows its sign-in form: pass credentials, or call autoSignIn(userId) first',
    );
  const transactionId = /name="tx" value="([^"]+)"/.exec(html)?.[1];
  if (!transactionId) throw new Error('the sign-in form has no transaction id');
  const form = new URLSearchParams({ tx: transactionId });
  if ('cancel' in action) form.set('action', 'cancel');
  else {
    form.set('action', 'signin');
    form.set('username', action.username);
    form.set('password', action.password);
  }
  const answer = await fetch(new URL(SIGN_IN_PATH, origin), {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
  const answerHtml = await answer.text();
  if (isRedirect(answer.status)) return new URL(answer.headers.get('location') ?? '', origin);
  throw new Error(
    `sign-in answered ${answer.status}: ${textOf(answerHtml, 'okta-signin-error') ?? textOf(answerHtml, 'error-description')}`,
  );
}
