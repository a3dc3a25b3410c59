import { describe, expect, it } from 'vitest';
import { warningMessage } from '../../../src/views/messages.ts';
import { renderResultPage } from '../../../src/web/pages/renderResultPage.ts';
import { HOSTILE_VALUES } from './hostileValues.ts';
import { expectSafePage, shownAs } from './pageChecks.ts';
import { resultInput } from './pageInputs.ts';
import { byTag, type HtmlElement, textOf } from './parseHtml.ts';

const SLACK_URL = 'https://slack.com/app_redirect?team=T123&channel=D456';

function render(overrides: Parameters<typeof resultInput>[0] = {}, links: string[] = []) {
  const page = renderResultPage(resultInput(overrides));
  return { page, document: expectSafePage(page, { formAction: ["'none'"], links }) };
}

function links(document: HtmlElement): [string, string][] {
  return byTag(document, 'a').map((a) => [textOf(a), a.attributes.find(([n]) => n === 'href')![1]]);
}

function headings(document: HtmlElement): string[] {
  return byTag(document, 'h2').map(textOf);
}

describe('renderResultPage', () => {
  it('says the connection is connected, who signed in and what Okta granted', () => {
    const { page, document } = render({}, [SLACK_URL]);
    expect(page.status).toBe(200);
    expect(textOf(byTag(document, 'h1')[0]!)).toBe('✓ acme-prod is connected');
    const text = textOf(document);
    expect(text).toContain('acme.okta.com');
    expect(text).toContain('admin@acme.example');
    const granted = byTag(document, 'ul')[0]!;
    expect(byTag(granted, 'code').map(textOf)).toEqual([
      'openid',
      'offline_access',
      'okta.users.read',
    ]);
    expect(text).toContain('The same summary is in your Slack DM.');
  });

  it('says a reauthorized connection is reauthorized', () => {
    const { document } = render({ purpose: 'reauthorize' }, [SLACK_URL]);
    expect(textOf(byTag(document, 'h1')[0]!)).toBe('✓ acme-prod is reauthorized');
  });

  it('shows the dropped scopes with the fix, and each warning', () => {
    const { document } = render({}, [SLACK_URL]);
    const dropped = warningMessage('scopes_dropped', { scopes: ['okta.groups.read'] });
    const unchecked = warningMessage('roles_unchecked');
    expect(headings(document)).toEqual([dropped.title, unchecked.title, 'Scopes Okta granted']);
    const text = textOf(document);
    for (const part of [dropped.text, dropped.next, unchecked.text, unchecked.next]) {
      expect(text).toContain(part);
    }
  });

  it('shows no warning when everything was granted', () => {
    const { document } = render({ dropped: [], warnings: [] }, [SLACK_URL]);
    expect(headings(document)).toEqual(['Scopes Okta granted']);
  });

  it('says so when Okta did not name the account', () => {
    const { document } = render({ authorizedLogin: null }, [SLACK_URL]);
    expect(textOf(document)).toContain('Okta did not name the account');
  });

  it('links back to Slack', () => {
    expect(links(render({}, [SLACK_URL]).document)).toEqual([['Back to Slack', SLACK_URL]]);
  });

  it.each([
    'http://slack.com/app_redirect',
    'javascript:alert(1)',
    '//slack.com/app_redirect',
    '/slack',
    'data:text/html,<script>alert(1)</script>',
    'slack://open',
  ])('does not link to %j', (slackUrl) => {
    expect(links(render({ slackUrl }).document)).toEqual([]);
  });

  it('has no Slack link when none is given', () => {
    expect(links(render({ slackUrl: undefined }).document)).toEqual([]);
  });
});

describe('renderResultPage with hostile values', () => {
  it.each(Object.entries(HOSTILE_VALUES))('shows %s as text in every field', (_, value) => {
    const shown = shownAs(value);
    const slackUrl = `https://slack.com/app_redirect?x=${value}`;
    const warning = { title: `T${value}`, text: `X${value}`, next: `N${value}` };
    const page = renderResultPage(
      resultInput({
        nickname: value,
        domain: value,
        granted: [value],
        dropped: [value],
        warnings: [warning],
        authorizedLogin: `L${value}`,
        slackUrl,
      }),
    );
    const normalized = new URL(slackUrl).href;
    const document = expectSafePage(page, { formAction: ["'none'"], links: [normalized] });

    expect(textOf(byTag(document, 'h1')[0]!)).toBe(`✓ ${shown} is connected`);
    expect(textOf(byTag(document, 'title')[0]!)).toContain(shown);
    expect(byTag(document, 'code').map(textOf)).toEqual([shown]);
    expect(links(document)).toEqual([['Back to Slack', normalized]]);
    const text = textOf(document);
    const dropped = warningMessage('scopes_dropped', { scopes: [value] });
    for (const part of [
      `L${shown}`,
      `T${shown}`,
      `X${shown}`,
      `N${shown}`,
      shownAs(dropped.text),
    ]) {
      expect(text).toContain(part);
    }
  });
});
