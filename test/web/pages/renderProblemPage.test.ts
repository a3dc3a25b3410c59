import { describe, expect, it } from 'vitest';
import { failureMessage } from '../../../src/views/messages.ts';
import { renderProblemPage } from '../../../src/web/pages/renderProblemPage.ts';
import { HOSTILE_VALUES } from './hostileValues.ts';
import { expectSafePage, shownAs } from './pageChecks.ts';
import { problemInput } from './pageInputs.ts';
import { attribute, byTag, type HtmlElement, textOf } from './parseHtml.ts';

function render(overrides: Parameters<typeof problemInput>[0] = {}, links: string[] = []) {
  const page = renderProblemPage(problemInput(overrides));
  return { page, document: expectSafePage(page, { formAction: ["'none'"], links }) };
}

function retryLinks(document: HtmlElement): (string | undefined)[] {
  return byTag(document, 'a')
    .filter((a) => textOf(a) === 'Try again')
    .map((a) => attribute(a, 'href'));
}

describe('renderProblemPage', () => {
  it('shows the message as the page heading, what happened and what to do', () => {
    const message = failureMessage('link_expired', { nickname: 'acme-prod' });
    const { document } = render({ message });
    expect(textOf(byTag(document, 'h1')[0]!)).toBe(`! ${message.title}`);
    expect(textOf(byTag(document, 'title')[0]!)).toBe(`${message.title} · okta-connect`);
    const text = textOf(document);
    expect(text).toContain(message.text);
    expect(text).toContain('Get a new one with /okta-connect reauth acme-prod in Slack.');
    expect(byTag(document, 'code').map(textOf)).toContain('/okta-connect reauth acme-prod');
    expect(text).toContain('acme-prod');
  });

  it.each([400, 403, 410, 502])('answers with the status it is given (%i)', (status) => {
    expect(render({ status }).page.status).toBe(status);
  });

  it('offers to try again at a same-origin path or an http(s) URL', () => {
    expect(retryLinks(render().document)).toEqual(['/connect/tok_abc123']);
    const url = 'https://bot.example.com/connect/abc';
    expect(retryLinks(render({ retryUrl: url }, [url]).document)).toEqual([url]);
  });

  it.each([
    'javascript:alert(1)',
    ' javascript:alert(1)',
    'data:text/html,x',
    '//evil.example',
    '/\\evil.example',
    '/\t/evil.example',
  ])('does not offer to try again at %j', (retryUrl) => {
    expect(retryLinks(render({ retryUrl }).document)).toEqual([]);
  });

  it('shows neither a retry link nor a connection when they are not given', () => {
    const { document } = render({ retryUrl: undefined, nickname: undefined });
    expect(byTag(document, 'a')).toEqual([]);
    expect(byTag(document, 'dl')).toEqual([]);
  });
});

describe('renderProblemPage with hostile values', () => {
  it.each(Object.entries(HOSTILE_VALUES))('shows %s as text in every field', (_, value) => {
    const shown = shownAs(value);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: browsers strip them from URLs
    const retryUrl = `/connect/${value.replace(/[\u0000-\u001F\u007F]/g, '')}`;
    const message = { title: `T${value}`, text: `X${value}`, next: `N${value}` };
    const { document } = render({ message, nickname: `K${value}`, retryUrl });
    expect(textOf(byTag(document, 'h1')[0]!)).toBe(`! T${shown}`);
    expect(retryLinks(document)).toEqual([shownAs(retryUrl)]);
    const text = textOf(document);
    for (const part of [`X${shown}`, `N${shown}`, `K${shown}`]) expect(text).toContain(part);
  });

  it('shows an error description from Okta as text', () => {
    const message = failureMessage('okta_error', { description: '<img src=x onerror=alert(1)>' });
    const { page, document } = render({ message });
    expect(textOf(document)).toContain('Okta said: <img src=x onerror=alert(1)>');
    expect(page.html).not.toContain('<img');
  });
});
