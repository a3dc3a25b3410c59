import { describe, expect, it } from 'vitest';
import { escapeHtml, type HtmlValue, html, raw } from '../../../src/web/pages/html.ts';
import { HOSTILE_VALUES } from './hostileValues.ts';
import { shownAs } from './pageChecks.ts';
import { decodeEntities } from './parseHtml.ts';

describe('escapeHtml', () => {
  it('escapes the five characters that can end text or a quoted attribute', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('escapes an already escaped entity again, so it shows as typed', () => {
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
  });

  it('shows control characters as U+FFFD but keeps tab, LF and CR', () => {
    expect(escapeHtml('a\u0000b\u001bc\u007fd\u0085e\tf\ng\rh')).toBe(
      'a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\tf\ng\rh',
    );
  });

  it('leaves Unicode look-alikes as they are', () => {
    expect(escapeHtml('＜script＞ аcme \u202E')).toBe('＜script＞ аcme \u202E');
  });

  it.each(Object.entries(HOSTILE_VALUES))('round-trips %s through a parser', (_, value) => {
    const escaped = escapeHtml(value);
    expect(escaped).not.toMatch(/[<>"']/);
    expect(decodeEntities(escaped)).toBe(shownAs(value));
  });
});

describe('the html template', () => {
  it('escapes every interpolated string and number', () => {
    const title = '<script>alert(1)</script>';
    expect(String(html`<p title="${title}">${title} ${42}</p>`)).toBe(
      '<p title="&lt;script&gt;alert(1)&lt;/script&gt;">&lt;script&gt;alert(1)&lt;/script&gt; 42</p>',
    );
  });

  it('keeps nested templates and raw fragments as markup', () => {
    const inner = html`<b>${'&'}</b>`;
    expect(String(html`<p>${inner}${raw('<i>ok</i>')}</p>`)).toBe('<p><b>&amp;</b><i>ok</i></p>');
  });

  it('joins arrays and drops false, null and undefined but not 0 or ""', () => {
    const items: HtmlValue[] = ['<a>', html`<br>`, false, null, undefined, 0, ''];
    expect(String(html`${items}`)).toBe('&lt;a&gt;<br>0');
  });

  it('does not treat a string that looks like markup as markup', () => {
    const lookalike = { toString: () => '<b>' } as unknown as string;
    expect(String(html`${lookalike}`)).toBe('&lt;b&gt;');
  });
});
