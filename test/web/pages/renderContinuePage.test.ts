import { describe, expect, it } from 'vitest';
import { checksUncheckedMessage } from '../../../src/views/oktaChecks.ts';
import { renderContinuePage } from '../../../src/web/pages/renderContinuePage.ts';
import { expectSafePage } from './pageChecks.ts';
import { attribute, byId, byTag, textOf } from './parseHtml.ts';

const AUTHORIZE = 'https://acme.okta.com/oauth2/v1/authorize?client_id=0oa1&state=s&x=<y>';

describe('renderContinuePage', () => {
  it('says which checks could not be made and links on to Okta', () => {
    const page = renderContinuePage({
      nickname: 'acme-prod',
      authorizeUrl: AUTHORIZE,
      notice: checksUncheckedMessage('acme.okta.com', ['credentials', 'redirect_uri']),
    });
    const document = expectSafePage(page, {
      formAction: ["'none'"],
      links: [new URL(AUTHORIZE).href],
    });
    expect(page.status).toBe(200);
    expect(textOf(byTag(document, 'h1')[0]!)).toBe('Sign in to Okta for acme-prod');
    const text = textOf(document);
    expect(text).toContain('Some checks could not be made');
    expect(text).toContain('could not check the client ID and secret and the redirect URI');
    expect(attribute(byId(document, 'continue'), 'href')).toBe(new URL(AUTHORIZE).href);
  });

  it('names the bot’s key, not a secret, for a key-pair connection', () => {
    const notice = checksUncheckedMessage('acme.okta.com', ['credentials'], 'private_key_jwt');
    expect(notice.text).toContain('could not check the client ID and the bot’s key before');
  });

  it('refuses a target that is not an http(s) URL', () => {
    expect(() =>
      renderContinuePage({
        nickname: 'x',
        authorizeUrl: 'javascript:alert(1)',
        notice: checksUncheckedMessage('acme.okta.com', ['credentials']),
      }),
    ).toThrow(TypeError);
  });
});
