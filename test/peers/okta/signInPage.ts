/**
 * The peer's hosted pages: a minimal sign-in form (inline styles, no external assets, so
 * headless Chromium renders it offline) and Okta's 400 error page.
 */
import { escapeHtml } from './http.ts';

export const SIGN_IN_PATH = '/login/signin';

const PAGE = 'font-family:system-ui,sans-serif;background:#f4f4f4;margin:0;color:#1d1d21';
const CARD =
  'max-width:360px;margin:64px auto;background:#fff;padding:32px;border:1px solid #d7d7dc;border-radius:6px';
const INPUT =
  'display:block;width:100%;box-sizing:border-box;margin:4px 0 16px;padding:8px;font-size:16px';
const PRIMARY =
  'width:100%;padding:10px;font-size:16px;background:#1662dd;color:#fff;border:0;border-radius:4px';
const SECONDARY =
  'width:100%;margin-top:8px;padding:10px;font-size:16px;background:#fff;border:1px solid #d7d7dc;border-radius:4px';

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title></head>
<body style="${PAGE}"><main style="${CARD}">${body}</main></body>
</html>`;
}

interface SignInPageOptions {
  transactionId: string;
  appLabel: string;
  username?: string;
  error?: string;
}

export function renderSignInPage({
  transactionId,
  appLabel,
  username,
  error,
}: SignInPageOptions): string {
  const alert = error
    ? `<p role="alert" id="okta-signin-error" style="color:#d93934;margin:0 0 16px">${escapeHtml(error)}</p>`
    : '';
  return layout(
    'Sign In',
    `<h1 style="font-size:22px;margin:0 0 4px">Sign In</h1>
<p style="margin:0 0 24px;color:#6e6e78">to ${escapeHtml(appLabel)}</p>
${alert}<form method="post" action="${SIGN_IN_PATH}">
<input type="hidden" name="tx" value="${escapeHtml(transactionId)}">
<label for="okta-signin-username">Username</label>
<input id="okta-signin-username" name="username" autocomplete="username" required value="${escapeHtml(username ?? '')}" style="${INPUT}">
<label for="okta-signin-password">Password</label>
<input id="okta-signin-password" name="password" type="password" autocomplete="current-password" required style="${INPUT}">
<button type="submit" id="okta-signin-submit" name="action" value="signin" style="${PRIMARY}">Sign In</button>
<button type="submit" id="okta-signin-cancel" name="action" value="cancel" formnovalidate style="${SECONDARY}">Cancel</button>
</form>`,
  );
}

/** Okta shows this page instead of redirecting when the client or redirect URI cannot be trusted. */
export function renderErrorPage(error: string, description: string): string {
  return layout(
    'Error',
    `<h1 style="font-size:22px">400 Bad Request</h1>
<p>Error Code: <code id="error-code">${escapeHtml(error)}</code></p>
<p>Description: <span id="error-description">${escapeHtml(description)}</span></p>`,
  );
}

export function renderSignedOutPage(): string {
  return layout('Signed out', '<h1 style="font-size:22px">You have been signed out.</h1>');
}
