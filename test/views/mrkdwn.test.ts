import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  clipMrkdwn,
  code,
  codeList,
  escapeMrkdwn,
  escapeValue,
  inline,
  mention,
  truncate,
} from '../../src/views/mrkdwn.ts';

describe('escapeMrkdwn', () => {
  it('turns the three characters Slack decodes into entities', () => {
    expect(escapeMrkdwn('<!channel> & <@U123> <https://evil|click>')).toBe(
      '&lt;!channel&gt; &amp; &lt;@U123&gt; &lt;https://evil|click&gt;',
    );
  });

  it('escapes an entity that was typed, so it shows as typed', () => {
    expect(escapeMrkdwn('&amp;')).toBe('&amp;amp;');
  });

  it('leaves formatting characters alone', () => {
    expect(escapeMrkdwn('*bold* _it_ `code`')).toBe('*bold* _it_ `code`');
  });
});

/**
 * The plain forms of `inline` and `escapeMrkdwn`, as they were before their fast paths
 * (a value with nothing to change is returned as it is): both must agree on any text.
 */
const plainInline = (text: string) =>
  text
    .replace(/[\t\n\r]/g, ' ')
    .replace(/\p{Cc}|[\u2028\u2029\u202A-\u202E\u2066-\u2069]/gu, '\uFFFD');
const plainEscape = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** Text with the characters the fast paths look for, often enough to matter. */
const awkwardText = fc.string({
  unit: fc.oneof(
    fc.constantFrom(
      ...'\t\n\r\u0000\u001F\u007F\u0080\u009F\u00A0\u2028\u2029\u202A\u202E\u202F\u2066\u2069\u206A&<>'.split(
        '',
      ),
    ),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  ),
});

describe('fast paths', () => {
  it('inline changes exactly what the plain form changes', () => {
    fc.assert(
      fc.property(awkwardText, (text) => inline(text) === plainInline(text)),
      {
        numRuns: 2000,
      },
    );
  });

  it('escapeMrkdwn changes exactly what the plain form changes', () => {
    fc.assert(
      fc.property(awkwardText, (text) => escapeMrkdwn(text) === plainEscape(text)),
      {
        numRuns: 2000,
      },
    );
  });

  it('codeList lists what fits, as joining each step again did', () => {
    const plainCodeList = (names: readonly string[], max: number) => {
      const shown: string[] = [];
      for (const [i, name] of names.entries()) {
        const rest = names.length - i - 1;
        const next = [...shown, code(name, 100)].join(' ');
        const suffix = rest > 0 ? ` and ${rest} more` : '';
        if (next.length + suffix.length > max) break;
        shown.push(code(name, 100));
      }
      const hidden = names.length - shown.length;
      if (hidden === 0) return shown.join(' ');
      if (shown.length === 0) return `${hidden} scopes (too many to list)`;
      return `${shown.join(' ')} and ${hidden} more`;
    };
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 30 }), { maxLength: 30 }),
        fc.integer({ min: 0, max: 300 }),
        (names, max) => codeList(names, max) === plainCodeList(names, max),
      ),
      { numRuns: 1000 },
    );
  });
});

describe('inline', () => {
  it('keeps a value on one line', () => {
    expect(inline('a\nb\r\nc\td')).toBe('a b  c d');
  });

  it('makes control characters and direction overrides visible but inert', () => {
    expect(inline('a\u0000b\u007Fc\u202Ed\u2066e')).toBe('a\uFFFDb\uFFFDc\uFFFDd\uFFFDe');
  });

  it('keeps emoji sequences joined', () => {
    expect(inline('👩‍💻')).toBe('👩‍💻');
  });
});

describe('truncate', () => {
  it('keeps short text as it is', () => {
    expect(truncate('acme-prod', 24)).toBe('acme-prod');
  });

  it('cuts long text to the limit with an ellipsis', () => {
    const cut = truncate('Only Okta connection admins can do this', 24);
    expect(cut).toBe('Only Okta connection ad…');
    expect(cut).toHaveLength(24);
  });

  it('never splits an emoji', () => {
    const cut = truncate('😀'.repeat(40), 24);
    expect(cut.length).toBeLessThanOrEqual(24);
    expect(cut).toBe(`${'😀'.repeat(11)}…`);
  });
});

describe('clipMrkdwn', () => {
  it('does not leave half an entity at the end', () => {
    const clipped = clipMrkdwn(`${'a'.repeat(8)}&amp;rest`, 12);
    expect(clipped).toBe(`${'a'.repeat(8)}…`);
  });

  it('does not leave half a mention at the end', () => {
    expect(clipMrkdwn('by <@U0ADMIN1> today', 10)).toBe('by …');
  });
});

describe('escapeValue', () => {
  it('escapes, keeps on one line and shortens a typed value', () => {
    expect(escapeValue('<!here>\nhi', 200)).toBe('&lt;!here&gt; hi');
    expect(escapeValue('x'.repeat(300), 50)).toHaveLength(50);
  });
});

describe('code', () => {
  it('puts the value in a code span, escaped', () => {
    expect(code('https://bot.example/cb?a=1&b=2')).toBe('`https://bot.example/cb?a=1&amp;b=2`');
  });

  it('cannot be ended early by a backtick', () => {
    expect(code('a`b')).toBe('`aˋb`');
  });
});

describe('mention', () => {
  it('mentions a Slack user id', () => {
    expect(mention('U0ADMIN1')).toBe('<@U0ADMIN1>');
    expect(mention('W0ENTERPRISE')).toBe('<@W0ENTERPRISE>');
  });

  it('shows anything else as text', () => {
    expect(mention('<!channel>')).toBe('&lt;!channel&gt;');
    expect(mention('u0lower')).toBe('u0lower');
  });
});

describe('codeList', () => {
  it('lists every name when they fit', () => {
    expect(codeList(['openid', 'okta.users.read'], 100)).toBe('`openid` `okta.users.read`');
  });

  it('says how many more there are when they do not fit', () => {
    const names = Array.from({ length: 50 }, (_, i) => `okta.scope${i}.read`);
    const text = codeList(names, 120);
    expect(text.length).toBeLessThanOrEqual(120);
    expect(text).toMatch(/ and \d+ more$/);
  });
});
