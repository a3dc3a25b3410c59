import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';

type ParamsIncomingMessage = Parameters<CustomRoute['handler']>[0];

import { formatPublicJwk } from '../clientCredential.ts';
import type { FlowDeps } from '../flows/deps.ts';
import {
  auditSetupRefusal,
  beginAuthorization,
  loadSetup,
  type SetupView,
} from '../flows/setupAuthorization.ts';
import { describeScope, isKnownScope } from '../okta/scopeCatalog.ts';
import {
  type AdminMessage,
  failureMessage,
  keyNotAcceptedText,
  secretRefusedText,
} from '../views/messages.ts';
import { checksUncheckedMessage } from '../views/oktaChecks.ts';
import {
  BodyTooLarge,
  parseCookies,
  readForm,
  redirect,
  sendPage,
  serializeCookie,
} from './http.ts';
import { renderContinuePage } from './pages/renderContinuePage.ts';
import { renderSetupPage } from './pages/renderSetupPage.ts';
import { problemPage } from './problemPages.ts';

/** Double-submit token for the setup form, scoped to the setup pages. */
const CSRF_COOKIE = 'okc_csrf';
/**
 * Ties the Okta callback to the browser that posted the secret. SameSite=Lax, not
 * Strict: the callback is a cross-site top-level navigation from Okta, and Strict
 * cookies are not sent on those.
 */
export const BROWSER_COOKIE = 'okc_browser';
const COOKIE_VALUE = /^[A-Za-z0-9_-]{32,128}$/;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{20,100}$/;

function tokenParam(req: ParamsIncomingMessage): string {
  const token = req.params?.token;
  return typeof token === 'string' ? token : '';
}

const newCookieValue = () => randomBytes(32).toString('base64url');

function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * The setup page (design §5): `GET /connect/:token` shows what will be authorized and
 * asks for the client secret; `POST` checks the form came from this page in this browser,
 * then sends the admin to Okta with a 303.
 */
export function setupRoutes(flows: FlowDeps): CustomRoute[] {
  const secure = flows.settings.publicUrl.startsWith('https:');
  const publicOrigin = new URL(flows.settings.publicUrl).origin;

  const render = (
    res: ServerResponse,
    setup: SetupView,
    csrf: string,
    token: string,
    error?: AdminMessage,
    status = 200,
    credentialError?: string,
  ) => {
    const { request, connection } = setup;
    const page = renderSetupPage({
      purpose: request.purpose,
      nickname: connection.nickname,
      domain: connection.domain,
      oktaOrigin: setup.oktaOrigin,
      clientId: connection.clientId,
      scopes: request.requestedScopes.map((name) => ({
        name,
        ...(describeScope(name) ? { description: describeScope(name) } : {}),
      })),
      unknownScopes: request.requestedScopes.filter((name) => !isKnownScope(name)),
      redirectUri: flows.settings.redirectUri,
      csrfToken: csrf,
      formAction: `/connect/${token}`,
      hasStoredSecret: request.purpose === 'reauthorize' && connection.hasClientSecret,
      ...(connection.clientKey
        ? {
            clientKey: {
              jwk: formatPublicJwk(connection.clientKey),
              keyId: connection.clientKey.kid,
            },
          }
        : {}),
      expiresAt: request.expiresAt,
      ...(error ? { error } : {}),
      ...(credentialError ? { credentialError } : {}),
    });
    sendPage(
      res,
      { ...page, status },
      {
        'Set-Cookie': serializeCookie({
          name: CSRF_COOKIE,
          value: csrf,
          path: '/connect',
          maxAgeSeconds: 15 * 60,
          sameSite: 'Strict',
          secure,
        }),
      },
    );
  };

  const show = async (req: ParamsIncomingMessage, res: ServerResponse) => {
    const token = tokenParam(req);
    if (!TOKEN_PATTERN.test(token)) return sendPage(res, problemPage('link_unknown'));
    const lookup = await loadSetup(flows, token);
    if (!lookup.ok) return sendPage(res, problemPage(lookup.code, lookup.facts));
    const existing = parseCookies(req.headers.cookie).get(CSRF_COOKIE);
    render(
      res,
      lookup.setup,
      existing && COOKIE_VALUE.test(existing) ? existing : newCookieValue(),
      token,
    );
  };

  const submit = async (req: ParamsIncomingMessage, res: ServerResponse) => {
    const token = tokenParam(req);
    if (!TOKEN_PATTERN.test(token)) return sendPage(res, problemPage('link_unknown'));
    const origin = req.headers.origin;
    const site = req.headers['sec-fetch-site'];
    const fetchSite = site === undefined ? undefined : String(site);
    if (
      (origin !== undefined && origin !== publicOrigin) ||
      (fetchSite !== undefined && fetchSite !== 'same-origin')
    ) {
      flows.logger.warn({ origin, fetchSite }, 'setup form posted from another origin');
      await auditSetupRefusal(flows, {
        linkToken: token,
        reason: 'cross_origin',
        origin,
        fetchSite,
      });
      return sendPage(res, problemPage('origin_refused'));
    }
    let form: URLSearchParams;
    try {
      form = await readForm(req);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        res.writeHead(413, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' });
        return res.end('Request body too large');
      }
      throw error;
    }
    const cookies = parseCookies(req.headers.cookie);
    const csrfCookie = cookies.get(CSRF_COOKIE);
    const csrfField = form.get('csrf') ?? '';
    if (!csrfCookie || !COOKIE_VALUE.test(csrfCookie)) {
      const lookup = await loadSetup(flows, token);
      if (!lookup.ok) return sendPage(res, problemPage(lookup.code, lookup.facts));
      await auditSetupRefusal(flows, { linkToken: token, reason: 'cookies_blocked' });
      return render(
        res,
        lookup.setup,
        newCookieValue(),
        token,
        failureMessage('cookies_blocked'),
        400,
      );
    }
    if (!sameToken(csrfCookie, csrfField)) {
      await auditSetupRefusal(flows, { linkToken: token, reason: 'csrf_mismatch' });
      return sendPage(res, problemPage('origin_refused'));
    }

    const existingBrowser = cookies.get(BROWSER_COOKIE);
    const browser =
      existingBrowser && COOKIE_VALUE.test(existingBrowser) ? existingBrowser : newCookieValue();
    const outcome = await beginAuthorization(flows, {
      linkToken: token,
      clientSecret: form.get('client_secret') ?? '',
      browserBinding: browser,
    });
    if (outcome.ok) {
      const bind = {
        'Set-Cookie': serializeCookie({
          name: BROWSER_COOKIE,
          value: browser,
          path: '/oauth/okta/callback',
          maxAgeSeconds: 60 * 60,
          sameSite: 'Lax',
          secure,
        }),
      };
      if (outcome.unchecked.length === 0) return redirect(res, outcome.authorizeUrl, bind);
      const { connection } = outcome.setup;
      return sendPage(
        res,
        renderContinuePage({
          nickname: connection.nickname,
          authorizeUrl: outcome.authorizeUrl,
          notice: checksUncheckedMessage(
            connection.domain,
            outcome.unchecked,
            connection.clientAuthMethod,
          ),
        }),
        bind,
      );
    }
    if (!outcome.setup) return sendPage(res, problemPage(outcome.code));
    const facts = {
      nickname: outcome.setup.connection.nickname,
      domain: outcome.setup.connection.domain,
      clientId: outcome.setup.connection.clientId,
      redirectUri: flows.settings.redirectUri,
      ...('badAnswer' in outcome && outcome.badAnswer ? { badAnswer: outcome.badAnswer } : {}),
    };
    return render(
      res,
      outcome.setup,
      csrfCookie,
      token,
      failureMessage(outcome.code, facts),
      outcome.code.startsWith('okta_') ? 502 : 400,
      outcome.code === 'secret_refused'
        ? secretRefusedText
        : outcome.code === 'key_not_accepted'
          ? keyNotAcceptedText
          : undefined,
    );
  };

  return [
    { path: '/connect/:token', method: ['GET', 'HEAD'], handler: show },
    {
      path: '/connect/:token',
      method: ['POST'],
      handler: (req, res) => {
        submit(req, res).catch((error: unknown) => {
          flows.logger.error({ err: error }, 'setup POST failed');
          if (!res.headersSent) sendPage(res, problemPage('okta_error'));
        });
      },
    },
  ];
}
