import { describe, expect, it } from 'vitest';
import { orgStepJson, orgStepView } from '../../src/views/orgStep.ts';
import { blockById, checkLimits, mrkdwnTexts } from './checkLimits.ts';

const REDIRECT_URI = 'https://okta-connect.example.com/oauth/okta/callback';
const HOME = { domain: 'acme.okta.com', clientId: '0oaHOME' };

function view(overrides: Partial<Parameters<typeof orgStepView>[0]> = {}) {
  return orgStepView({
    home: HOME,
    orgKind: 'home',
    redirectUri: REDIRECT_URI,
    metadata: '{"step":"org"}',
    ...overrides,
  });
}

function radio(v: ReturnType<typeof orgStepView>) {
  return blockById(v, 'org_kind').element as {
    action_id: string;
    options: { value: string; text: { text: string } }[];
    initial_option: { value: string };
  };
}

describe('orgStepView', () => {
  it('is the connect_org modal with Next and Cancel', () => {
    const v = view();
    expect(v.callback_id).toBe('connect_org');
    expect(v.title.text).toBe('Connect to Okta');
    expect(v.submit?.text).toBe('Next');
    expect(v.close?.text).toBe('Cancel');
    expect(v.private_metadata).toBe('{"step":"org"}');
    expect(checkLimits(v)).toEqual([]);
  });

  it('offers the home org or another org when a home org exists, and re-renders on change', () => {
    const v = view();
    const block = blockById(v, 'org_kind');
    expect(block.type).toBe('input');
    expect(block.dispatch_action).toBe(true);
    const element = radio(v);
    expect(element.action_id).toBe('org_kind');
    expect(element.options.map((o) => o.value)).toEqual(['home', 'other']);
    expect(element.options[0]?.text.text).toBe('Home org — acme.okta.com');
    expect(element.options[1]?.text.text).toBe('Another Okta org');
    expect(element.initial_option.value).toBe('home');
    expect(radio(view({ orgKind: 'other' })).initial_option.value).toBe('other');
  });

  it('offers no choice of org without a home org, and explains the app to create', () => {
    const v = view({ home: null, orgKind: 'home' });
    expect(v.blocks.some((b) => b.block_id === 'org_kind')).toBe(false);
    expect(mrkdwnTexts(v).join('\n')).toContain('Create App Integration');
    expect(checkLimits(v)).toEqual([]);
  });

  it('asks for the three prerequisites as checkboxes', () => {
    const block = blockById(view(), 'prereqs');
    const element = block.element as {
      type: string;
      action_id: string;
      options: { value: string; text: { text: string }; description?: { text: string } }[];
    };
    expect(element.type).toBe('checkboxes');
    expect(element.action_id).toBe('prereqs');
    expect(element.options.map((o) => [o.value, o.text.text])).toEqual([
      ['assigned', 'I am assigned to the OAuth app in Okta'],
      ['scopes_granted', 'The scopes I need are granted on the app’s Okta API Scopes tab'],
      ['super_admin', 'I have super admin rights (also needed to reauthorize later)'],
    ]);
    for (const o of element.options) expect(o.description?.text).toBeTruthy();
  });

  it('lists the numbered steps to create the OIDC web app in another org', () => {
    const text = mrkdwnTexts(view({ orgKind: 'other' })).join('\n');
    expect(text).toMatch(/1\. .*Create App Integration.*OIDC.*Web Application/);
    expect(text).toMatch(/2\. .*redirect URI/);
    expect(text).toMatch(/3\. .*Authorization Code.*Refresh Token/);
    expect(text).toMatch(/4\. .*Assignments.*super admins/);
    expect(text).toMatch(/5\. .*Okta API Scopes/);
  });

  it('shows the redirect URI exactly, in a code span, for either org', () => {
    for (const orgKind of ['home', 'other'] as const) {
      expect(mrkdwnTexts(view({ orgKind })).join('\n')).toContain(`\`${REDIRECT_URI}\``);
    }
  });

  it('says the home org app is already set up, without the creation steps', () => {
    const text = mrkdwnTexts(view()).join('\n');
    expect(text).toContain('already set up');
    expect(text).not.toContain('Create App Integration');
  });

  it('never shortens a long redirect URI', () => {
    const long = `https://${'a'.repeat(200)}.example.com/oauth/okta/callback`;
    expect(mrkdwnTexts(view({ orgKind: 'other', redirectUri: long })).join('\n')).toContain(long);
  });

  it('refuses metadata longer than Slack allows, which would be a bug', () => {
    expect(() => view({ metadata: 'x'.repeat(3001) })).toThrow(/private_metadata/);
    expect(view({ metadata: 'x'.repeat(3000) }).private_metadata).toHaveLength(3000);
  });

  it('keeps a long home domain within the option limit', () => {
    const v = view({ home: { domain: `${'a'.repeat(90)}.okta.com`, clientId: null } });
    expect(checkLimits(v)).toEqual([]);
  });
});

describe('orgStepJson (the org step serialised once, for views.open)', () => {
  const input = (overrides: Partial<Parameters<typeof orgStepView>[0]> = {}) => ({
    home: HOME,
    orgKind: 'home' as const,
    redirectUri: REDIRECT_URI,
    metadata: '{"v":1,"channelId":"C1"}',
    ...overrides,
  });

  it('is the view orgStepView builds, for each org, home org and metadata', () => {
    const cases = [
      input(),
      input({ orgKind: 'other' }),
      input({ home: null, orgKind: 'home' }),
      input({ home: { domain: 'other.okta.com', clientId: null } }),
      input({ redirectUri: 'https://elsewhere.example.com/cb', orgKind: 'other' }),
      // Metadata that needs escaping in JSON, and the same template again with other metadata.
      input({ metadata: '{"quote":"\\"","line":"a\\nb","u":"\u2028"}' }),
      input({ metadata: '' }),
    ];
    for (const one of cases) {
      expect(JSON.parse(orgStepJson(one))).toEqual(orgStepView(one));
    }
  });

  it('refuses metadata longer than Slack allows, like orgStepView', () => {
    expect(() => orgStepJson(input({ metadata: 'x'.repeat(3001) }))).toThrow(/private_metadata/);
    expect(
      JSON.parse(orgStepJson(input({ metadata: 'x'.repeat(3000) }))).private_metadata,
    ).toHaveLength(3000);
  });
});
