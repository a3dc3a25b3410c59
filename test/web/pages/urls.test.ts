import { describe, expect, it } from 'vitest';
import { httpOrigin, isSameOriginPath, linkTarget } from '../../../src/web/pages/urls.ts';

describe('isSameOriginPath', () => {
  it.each(['/', '/connect/abc', '/connect/a b?x="<y>"#z', '/a//b'])('accepts %j', (path) => {
    expect(isSameOriginPath(path)).toBe(true);
  });

  it.each([
    '',
    'connect/abc',
    '//evil.example/x',
    '/\\evil.example/x',
    '/\t/evil.example',
    '/\n/evil.example',
    '/a\u0000b',
    'javascript:alert(1)',
    'https://bot.example.com/connect/abc',
  ])('refuses %j, which a browser could resolve to another origin', (path) => {
    expect(isSameOriginPath(path)).toBe(false);
  });
});

describe('linkTarget', () => {
  it('keeps a same-origin path as given', () => {
    expect(linkTarget('/connect/abc?x=1')).toBe('/connect/abc?x=1');
  });

  it('normalizes an http(s) URL', () => {
    expect(linkTarget('https://Bot.Example.com/a b?q="x"')).toBe(
      'https://bot.example.com/a%20b?q=%22x%22',
    );
    expect(linkTarget('http://127.0.0.1:3000/x')).toBe('http://127.0.0.1:3000/x');
  });

  it.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    ' javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:x',
    '//evil.example',
    'ftp://files.example',
    'not a url',
  ])('refuses %j', (url) => {
    expect(linkTarget(url)).toBeUndefined();
  });
});

describe('httpOrigin', () => {
  it('reduces a URL to its origin', () => {
    expect(httpOrigin('https://acme.okta.com/oauth2/v1/authorize?x=1')).toBe(
      'https://acme.okta.com',
    );
    expect(httpOrigin('http://127.0.0.1:53211')).toBe('http://127.0.0.1:53211');
  });

  it.each([
    "https://acme.okta.com; script-src 'unsafe-inline'",
    'https://acme.okta.com\r\nSet-Cookie: x=1',
    'javascript:alert(1)',
    'acme.okta.com',
    '',
  ])('refuses %j instead of letting it reach a header', (value) => {
    expect(() => httpOrigin(value)).toThrow(TypeError);
  });
});
