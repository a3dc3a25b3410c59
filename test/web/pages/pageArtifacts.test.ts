import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { failureMessage, secretRefusedText, warningMessage } from '../../../src/views/messages.ts';
import { checksUncheckedMessage } from '../../../src/views/oktaChecks.ts';
import { html } from '../../../src/web/pages/html.ts';
import type { PageResponse } from '../../../src/web/pages/page.ts';
import { renderContinuePage } from '../../../src/web/pages/renderContinuePage.ts';
import { renderNotFoundPage } from '../../../src/web/pages/renderNotFoundPage.ts';
import { renderProblemPage } from '../../../src/web/pages/renderProblemPage.ts';
import { renderResultPage } from '../../../src/web/pages/renderResultPage.ts';
import { renderSetupPage } from '../../../src/web/pages/renderSetupPage.ts';
import { HOSTILE_VALUES } from './hostileValues.ts';
import { problemInput, resultInput, setupInput } from './pageInputs.ts';

/**
 * Writes each page to `test-artifacts/pages/` (gitignored) so a person can open them in
 * a browser, from `index.html`. Opened as files they carry no CSP header; the tests
 * beside this one check that.
 */
const OUT = fileURLToPath(new URL('../../../test-artifacts/pages/', import.meta.url));

const hostile = Object.values(HOSTILE_VALUES).slice(0, 7).join(' ');

const PAGES: Record<string, () => PageResponse> = {
  'setup-create': () => renderSetupPage(setupInput()),
  'setup-create-error': () =>
    renderSetupPage(setupInput({ error: failureMessage('secret_malformed') })),
  'setup-secret-refused': () =>
    renderSetupPage(
      setupInput({ error: failureMessage('secret_refused'), credentialError: secretRefusedText }),
    ),
  'setup-checks-unchecked': () =>
    renderContinuePage({
      nickname: 'acme-prod',
      authorizeUrl: 'https://acme.okta.com/oauth2/v1/authorize?client_id=0oa1',
      notice: checksUncheckedMessage('acme.okta.com', ['credentials', 'redirect_uri']),
    }),
  'setup-reauthorize': () =>
    renderSetupPage(setupInput({ purpose: 'reauthorize', hasStoredSecret: true })),
  'setup-hostile': () =>
    renderSetupPage(
      setupInput({ nickname: hostile, domain: hostile, clientId: hostile, redirectUri: hostile }),
    ),
  'result-connected': () => renderResultPage(resultInput()),
  'result-reauthorized-warnings': () =>
    renderResultPage(
      resultInput({
        purpose: 'reauthorize',
        warnings: [warningMessage('not_super_admin'), warningMessage('no_refresh_token')],
      }),
    ),
  'problem-link-expired': () => renderProblemPage(problemInput()),
  'problem-okta-error': () =>
    renderProblemPage(
      problemInput({
        status: 502,
        message: failureMessage('okta_error', { description: hostile }),
        retryUrl: undefined,
      }),
    ),
  'not-found': () => renderNotFoundPage(),
};

describe('page artifacts', () => {
  it('writes every page and an index of them to test-artifacts/pages', () => {
    mkdirSync(OUT, { recursive: true });
    for (const [name, render] of Object.entries(PAGES)) {
      writeFileSync(`${OUT}${name}.html`, render().html);
    }
    const items = Object.keys(PAGES).map(
      (name) => html`<li><a href="${name}.html">${name}</a></li>`,
    );
    const index = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>okta-connect pages</title></head>
<body><h1>okta-connect pages</h1><ul>${items}</ul></body></html>
`;
    writeFileSync(`${OUT}index.html`, String(index));
    expect(readFileSync(`${OUT}not-found.html`, 'utf8')).toBe(renderNotFoundPage().html);
  });
});
