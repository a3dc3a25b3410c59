import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import type { PageResponse } from '../../../src/web/pages/page.ts';
import { allElements, attribute, byTag, type HtmlElement, parseHtml, textOf } from './parseHtml.ts';

/** Every element and attribute the pages are meant to write; an injection adds others. */
const ELEMENTS = new Set(
  'html head meta title link style script body div section header svg circle span main h1 h2 p ul ol li code pre bdi dl dt dd time form input label button a strong'.split(
    ' ',
  ),
);
const ATTRIBUTES = new Set(
  'lang charset name content rel href class viewBox width height aria-hidden focusable cx cy r fill stroke stroke-width role datetime method action type value id for autocomplete spellcheck autocapitalize maxlength required aria-describedby hidden data-copy data-status data-done data-fallback aria-invalid'.split(
    ' ',
  ),
);
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'srcset', 'poster']);

export function cspDirectives(page: PageResponse): Map<string, string[]> {
  const csp = page.headers['Content-Security-Policy'] ?? '';
  return new Map(
    csp.split(';').map((directive) => {
      const [name = '', ...sources] = directive.trim().split(/\s+/);
      return [name, sources];
    }),
  );
}

export interface SafePageExpectations {
  formAction: readonly string[];
  /** Absolute URLs the page may link to (a Slack link, a retry URL). */
  links?: readonly string[];
  /** The page carries the copy-button script, allowed by its hash and nothing else. */
  copyScript?: boolean;
}

/**
 * What every page must satisfy: the security headers, a CSP whose style hash matches
 * the style block actually sent, the document's meta tags, and only the elements,
 * attributes and link targets the renderers write.
 */
export function expectSafePage(page: PageResponse, expected: SafePageExpectations): HtmlElement {
  expect(page.headers).toMatchObject({
    'Content-Type': 'text/html; charset=utf-8',
    'X-Frame-Options': 'DENY',
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'same-origin',
    'X-Content-Type-Options': 'nosniff',
  });
  const document = parseHtml(page.html);
  const scripts = byTag(document, 'script');
  expect(scripts).toHaveLength(expected.copyScript ? 1 : 0);
  expect(page.html.toLowerCase().split('<script').length).toBe(scripts.length + 1);
  const scriptSources = scripts.map(
    (script) => `'sha256-${createHash('sha256').update(textOf(script), 'utf8').digest('base64')}'`,
  );
  for (const script of scripts) expect(script.attributes).toEqual([]);
  const styles = byTag(document, 'style');
  expect(styles).toHaveLength(1);
  const css = textOf(styles[0]!);
  const hash = createHash('sha256').update(css, 'utf8').digest('base64');

  const csp = page.headers['Content-Security-Policy'] ?? '';
  expect(csp).not.toMatch(/unsafe-|nonce-|\*/);
  expect(Object.fromEntries(cspDirectives(page))).toEqual({
    'default-src': ["'none'"],
    ...(expected.copyScript ? { 'script-src': scriptSources } : {}),
    'style-src': [`'sha256-${hash}'`],
    'img-src': ['data:'],
    'form-action': expected.formAction,
    'frame-ancestors': ["'none'"],
    'base-uri': ["'none'"],
  });

  const [root, ...others] = document.children.filter((child) => typeof child !== 'string');
  expect(others).toEqual([]);
  expect(root?.name).toBe('html');
  expect(attribute(root!, 'lang')).toBe('en');
  const metas = byTag(document, 'meta').map((meta) => Object.fromEntries(meta.attributes));
  expect(metas).toEqual(
    expect.arrayContaining([
      { charset: 'utf-8' },
      { name: 'viewport', content: 'width=device-width, initial-scale=1' },
      { name: 'referrer', content: 'same-origin' },
      { name: 'robots', content: 'noindex' },
    ]),
  );

  for (const element of allElements(document)) {
    expect(ELEMENTS, `element <${element.name}>`).toContain(element.name);
    const names = element.attributes.map(([name]) => name);
    expect(new Set(names).size, `duplicate attribute on <${element.name}>`).toBe(names.length);
    for (const [name, value] of element.attributes) {
      expect(ATTRIBUTES, `attribute ${name} on <${element.name}>`).toContain(name);
      if (URL_ATTRIBUTES.has(name)) expectAllowedUrl(element, value, expected.links ?? []);
    }
  }
  return document;
}

function expectAllowedUrl(element: HtmlElement, url: string, links: readonly string[]): void {
  if (element.name === 'link' && attribute(element, 'rel') === 'icon') {
    expect(url.startsWith('data:image/svg+xml,')).toBe(true);
  } else if (!links.includes(url)) {
    expect(url, `<${element.name}> points off the page's origin`).toMatch(/^\/(?![/\\])/);
  }
}

/** The text a value shows as: `escapeHtml` turns controls other than tab, LF, CR into U+FFFD. */
export function shownAs(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: mirrors what escapeHtml replaces
  return value.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g, '\uFFFD');
}
