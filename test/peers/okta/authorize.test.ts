import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OktaPeer } from './index.ts';
import {
  authorizeUrl,
  CLIENT_ID,
  callbackParams,
  getAuthorize,
  LOGIN,
  PASSWORD,
  pkce,
  REDIRECT_URI,
  startOrg,
} from './testkit.ts';

async function errorPage(response: Response): Promise<string> {
  expect(response.status).toBe(400);
  expect(response.headers.get('location')).toBeNull();
  expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  return response.text();
}

function submitForm(
  okta: OktaPeer,
  html: string,
  fields: Record<string, string>,
): Promise<Response> {
  const tx = /name="tx" value="([^"]+)"/.exec(html)?.[1] ?? '';
  return fetch(`${okta.origin}/login/signin`, {
    method: 'POST',
    body: new URLSearchParams({ tx, ...fields }),
    redirect: 'manual',
  });
}

describe('Okta peer /oauth2/v1/authorize', () => {
  let okta: OktaPeer;
  let userId: string;

  beforeEach(async () => {
    ({ okta, userId } = await startOrg());
  });
  afterEach(() => okta.close());

  describe('request checks', () => {
    it('shows an error page, not a redirect, for an unknown client_id', async () => {
      const html = await errorPage(await getAuthorize(okta, { client_id: '0oaUnknown' }));
      expect(html).toContain('invalid_client');
      expect(html).toContain("Invalid value for 'client_id' parameter.");
    });

    it('shows an error page, not a redirect, for a redirect_uri that is not registered', async () => {
      const html = await errorPage(
        await getAuthorize(okta, { redirect_uri: 'http://127.0.0.1:9/evil' }),
      );
      expect(html).toContain(
        "The 'redirect_uri' parameter must be a Login redirect URI in the client app settings.",
      );
    });

    it('with prompt=none and no session, redirects login_required with the state instead of showing a page', async () => {
      okta.autoSignIn(userId);
      const params = callbackParams(await getAuthorize(okta, { prompt: 'none' }));
      expect(params.get('error')).toBe('login_required');
      expect(params.get('error_description')).toBe(
        'The client specified not to prompt, but the user is not logged in.',
      );
      expect(params.get('state')).toBe('state-123');
      expect(params.get('code')).toBeNull();
    });

    it('with prompt=none, still shows the error page for an unknown client or an unregistered redirect_uri', async () => {
      const unknown = await errorPage(
        await getAuthorize(okta, { client_id: '0oaUnknown', prompt: 'none' }),
      );
      expect(unknown).toContain('invalid_client');
      const unregistered = await errorPage(
        await getAuthorize(okta, { redirect_uri: 'http://127.0.0.1:9/evil', prompt: 'none' }),
      );
      expect(unregistered).toContain("The 'redirect_uri' parameter must be a Login redirect URI");
    });

    it('redirects invalid_request when state is missing', async () => {
      const params = callbackParams(await getAuthorize(okta, { state: null }));
      expect(params.get('error')).toBe('invalid_request');
      expect(params.get('error_description')).toBe(
        "The authentication request has an invalid 'state' parameter.",
      );
    });

    it('redirects unsupported_response_type for anything but code, with the state', async () => {
      const params = callbackParams(await getAuthorize(okta, { response_type: 'token' }));
      expect(params.get('error')).toBe('unsupported_response_type');
      expect(params.get('state')).toBe('state-123');
    });

    it('redirects invalid_request when a code challenge comes without method S256', async () => {
      const { challenge } = pkce();
      for (const method of ['plain', null]) {
        const params = callbackParams(
          await getAuthorize(okta, { code_challenge: challenge, code_challenge_method: method }),
        );
        expect(params.get('error')).toBe('invalid_request');
        expect(params.get('error_description')).toBe(
          'PKCE code challenge method is not supported. Valid values: [S256]',
        );
      }
    });

    it('redirects invalid_request for a malformed code challenge', async () => {
      const params = callbackParams(
        await getAuthorize(okta, { code_challenge: 'short', code_challenge_method: 'S256' }),
      );
      expect(params.get('error_description')).toBe(
        'PKCE code challenge contains illegal characters.',
      );
    });

    it('requires a code challenge when the app requires PKCE', async () => {
      okta.updateApp(CLIENT_ID, { pkceRequired: true });
      const params = callbackParams(await getAuthorize(okta));
      expect(params.get('error')).toBe('invalid_request');
      expect(params.get('error_description')).toBe(
        'PKCE code challenge is required by the application.',
      );
    });
  });

  describe('sign-in form', () => {
    it('shows a self-contained form that a browser can fill', async () => {
      const response = await getAuthorize(okta);
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toContain('name="username"');
      expect(html).toContain('name="password"');
      expect(html).toContain('id="okta-signin-submit"');
      expect(html).toContain('Cancel');
      expect(html).not.toMatch(/<link|<script|src=|url\(/);
    });

    it('redirects with a code and the state after the right password', async () => {
      const html = await (await getAuthorize(okta)).text();
      const params = callbackParams(
        await submitForm(okta, html, { username: LOGIN, password: PASSWORD, action: 'signin' }),
      );
      expect(params.get('code')).toMatch(/^[\w-]{43}$/);
      expect(params.get('state')).toBe('state-123');
    });

    it('shows the form again with an error after a wrong password, and the form still works', async () => {
      const html = await (await getAuthorize(okta)).text();
      const retry = await submitForm(okta, html, {
        username: LOGIN,
        password: 'wrong',
        action: 'signin',
      });
      expect(retry.status).toBe(401);
      const retryHtml = await retry.text();
      expect(retryHtml).toContain('Unable to sign in');
      expect(retryHtml).toContain(`value="${LOGIN}"`);
      const params = callbackParams(
        await submitForm(okta, retryHtml, {
          username: LOGIN,
          password: PASSWORD,
          action: 'signin',
        }),
      );
      expect(params.get('code')).not.toBeNull();
    });

    it('redirects access_denied with the state when the user cancels', async () => {
      const html = await (await getAuthorize(okta)).text();
      const response = await submitForm(okta, html, { action: 'cancel' });
      expect(response.headers.get('location')).toBe(
        `${REDIRECT_URI}?error=access_denied&error_description=The+resource+owner+or+authorization+server+denied+the+request.&state=state-123`,
      );
    });

    it('refuses a form submitted after it expired', async () => {
      const html = await (await getAuthorize(okta)).text();
      okta.clock.advance(600_000);
      const response = await submitForm(okta, html, {
        username: LOGIN,
        password: PASSWORD,
        action: 'signin',
      });
      expect(await errorPage(response)).toContain(
        'Request expired, please start over and try again.',
      );
    });

    it('lets the signIn helper complete or cancel the form over HTTP', async () => {
      const signedIn = await okta.signIn(authorizeUrl(okta), {
        username: LOGIN,
        password: PASSWORD,
      });
      expect(signedIn.searchParams.get('code')).not.toBeNull();
      const cancelled = await okta.signIn(authorizeUrl(okta), { cancel: true });
      expect(cancelled.searchParams.get('error')).toBe('access_denied');
    });

    it("makes the signIn helper throw Okta's text for an error page or a wrong password", async () => {
      await expect(okta.signIn(authorizeUrl(okta, { client_id: 'nope' }))).rejects.toThrow(
        "Invalid value for 'client_id' parameter.",
      );
      await expect(
        okta.signIn(authorizeUrl(okta), { username: LOGIN, password: 'wrong' }),
      ).rejects.toThrow('Unable to sign in');
    });
  });

  describe('auto sign-in', () => {
    it('redirects straight back with a code and the state for the chosen user', async () => {
      okta.autoSignIn(userId);
      const params = callbackParams(await getAuthorize(okta));
      expect(params.get('code')).not.toBeNull();
      expect(params.get('state')).toBe('state-123');
    });

    it('shows the form again once turned off', async () => {
      okta.autoSignIn(userId);
      okta.autoSignIn(null);
      expect((await getAuthorize(okta)).status).toBe(200);
    });

    it('refuses an unknown user id', () => {
      expect(() => okta.autoSignIn('00uNobody')).toThrow('no user with id 00uNobody');
    });
  });
});
