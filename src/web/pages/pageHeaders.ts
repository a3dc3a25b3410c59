import { COPY_SCRIPT_SOURCE } from './copyScript.ts';
import { PAGE_CSS_SOURCE } from './pageStyle.ts';
import { httpOrigin } from './urls.ts';

/**
 * Where a page's forms may send the browser. The setup form needs its own origin and
 * the Okta org: Chromium applies `form-action` to the redirect that follows the POST,
 * so the 303 to `/oauth2/v1/authorize` would be blocked without the Okta origin.
 */
export type FormTargets = 'none' | { oktaOrigin: string };

function formActionSources(targets: FormTargets): string {
  return targets === 'none' ? "'none'" : `'self' ${httpOrigin(targets.oktaOrigin)}`;
}

/**
 * `same-origin`, not `no-referrer`: under `no-referrer` browsers send `Origin: null` with
 * the setup form's POST, and the origin check refuses it. Page URLs hold the link token
 * or Okta's code, so other origins (Okta, Slack) still get no referrer.
 */
export const REFERRER_POLICY = 'same-origin';

/**
 * The headers every HTML page carries: a CSP that allows no script but, on pages with a
 * copy button, that one by its hash; no framing, no caching.
 */
export function pageHeaders(targets: FormTargets, copyScript = false): Record<string, string> {
  const csp = [
    "default-src 'none'",
    ...(copyScript ? [`script-src ${COPY_SCRIPT_SOURCE}`] : []),
    `style-src ${PAGE_CSS_SOURCE}`,
    'img-src data:',
    `form-action ${formActionSources(targets)}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
  return {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': csp,
    'X-Frame-Options': 'DENY',
    'Cache-Control': 'no-store',
    'Referrer-Policy': REFERRER_POLICY,
    'X-Content-Type-Options': 'nosniff',
  };
}
