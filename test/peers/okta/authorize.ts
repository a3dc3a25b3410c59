/** GET /oauth2/v1/authorize, the sign-in form it shows, and /oauth2/v1/logout. */
import { callbackLocation, checkAuthorizeRequest, errorLocation } from './authorizeRequest.ts';
import type { PeerCore } from './core.ts';
import { type Exchange, randomToken, readForm, redirect, sendHtml } from './http.ts';
import type { AuthorizeRequest, User } from './model.ts';
import { grantScopes } from './scopes.ts';
import { renderErrorPage, renderSignedOutPage, renderSignInPage } from './signInPage.ts';

/** Authorization codes are valid for 300 s on the org authorization server. */
const CODE_TTL_MS = 300_000;
/** How long a shown sign-in form stays usable. */
const SIGN_IN_TTL_MS = 600_000;
const NO_SESSION = 'The client specified not to prompt, but the user is not logged in.';
const DENIED = 'The resource owner or authorization server denied the request.';

export function handleAuthorize(core: PeerCore, { res, url }: Exchange): void {
  const { state } = core;
  const check = checkAuthorizeRequest(state.apps, core.knownScopes, url.searchParams);
  if (check.kind === 'page') {
    sendHtml(res, 400, renderErrorPage(check.error, check.description));
  } else if (check.kind === 'redirect') {
    redirect(res, check.location);
  } else if (url.searchParams.get('prompt') === 'none') {
    // OIDC Core §3.1.2.1: no page at all. The peer keeps no browser session, so a
    // request that may not prompt always goes back with login_required.
    redirect(
      res,
      errorLocation(check.request.redirectUri, check.request.state, 'login_required', NO_SESSION),
    );
  } else if (state.autoSignInUserId !== null) {
    redirect(
      res,
      completeAuthorization(core, check.request, state.requireUser(state.autoSignInUserId)),
    );
  } else {
    const transactionId = randomToken();
    state.transactions.set(transactionId, {
      request: check.request,
      expiresAt: core.clock.now() + SIGN_IN_TTL_MS,
    });
    sendHtml(res, 200, renderSignInPage({ transactionId, appLabel: check.app.label }));
  }
}

/** POST from the sign-in form: either the Sign In or the Cancel button. */
export async function handleSignIn(core: PeerCore, { req, res }: Exchange): Promise<void> {
  const { state } = core;
  const form = await readForm(req);
  const transactionId = form.get('tx') ?? '';
  const transaction = state.transactions.get(transactionId);
  if (!transaction || core.clock.now() >= transaction.expiresAt) {
    state.transactions.delete(transactionId);
    const page = renderErrorPage(
      'login_required',
      'Request expired, please start over and try again.',
    );
    return sendHtml(res, 400, page);
  }
  const { request } = transaction;
  if (form.get('action') === 'cancel') {
    state.transactions.delete(transactionId);
    return redirect(
      res,
      errorLocation(request.redirectUri, request.state, 'access_denied', DENIED),
    );
  }
  const username = form.get('username') ?? '';
  const user = state.usersByLogin.get(username);
  if (!user || user.password !== form.get('password')) {
    const appLabel = state.requireApp(request.clientId).label;
    const page = renderSignInPage({
      transactionId,
      appLabel,
      username,
      error: 'Unable to sign in',
    });
    return sendHtml(res, 401, page);
  }
  state.transactions.delete(transactionId);
  redirect(res, completeAuthorization(core, request, user));
}

/**
 * After sign-in: Okta's assignment and scope-grant rules, then a code. Returns where to
 * send the browser: the callback with a code, or with an error.
 */
function completeAuthorization(core: PeerCore, request: AuthorizeRequest, user: User): string {
  const { redirectUri, state } = request;
  const app = core.state.requireApp(request.clientId);
  core.systemLog.record('user.session.start', 'User login to Okta', user, app.clientId);
  if (!user.assignedTo.has(app.clientId)) {
    return errorLocation(
      redirectUri,
      state,
      'access_denied',
      'User is not assigned to the client application.',
    );
  }
  const granted = grantScopes(request.scopes, app.grantedScopes);
  if (!granted.ok) return errorLocation(redirectUri, state, granted.error, granted.description);
  const now = core.clock.now();
  const code = randomToken();
  core.state.codes.set(code, {
    request,
    userId: user.id,
    scopes: granted.scopes,
    authTime: now,
    expiresAt: now + CODE_TTL_MS,
  });
  return callbackLocation(redirectUri, { code, state });
}

/** GET /oauth2/v1/logout: the peer keeps no browser session, so this only sends the browser on. */
export function handleLogout(_core: PeerCore, { res, url }: Exchange): void {
  const target = url.searchParams.get('post_logout_redirect_uri');
  if (target === null) sendHtml(res, 200, renderSignedOutPage());
  else redirect(res, callbackLocation(target, { state: url.searchParams.get('state') }));
}
