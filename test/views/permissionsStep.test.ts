import { describe, expect, it } from 'vitest';
import { DEFAULT_SCOPES, describeScope, scopeGroups } from '../../src/okta/scopeCatalog.ts';
import {
  permissionsStepView,
  SCOPE_SEARCH_MAX,
  scopeSearch,
} from '../../src/views/permissionsStep.ts';
import { validateOptionsAnswer } from '../peers/slack/index.ts';
import { blockById, checkLimits, mrkdwnTexts } from './checkLimits.ts';
import { expectNothingRaw, HOSTILE } from './fixtures.ts';

type Input = Parameters<typeof permissionsStepView>[0];

function view(overrides: Partial<Input> = {}) {
  return permissionsStepView({
    purpose: 'create',
    nickname: 'acme-prod',
    domain: 'acme.okta.com',
    mode: 'default',
    defaultScopes: DEFAULT_SCOPES,
    selected: [],
    metadata: 'm',
    ...overrides,
  });
}

interface Opt {
  text: { text: string };
  value: string;
  description?: { text: string };
}

function picker(v: ReturnType<typeof view>) {
  return blockById(v, 'scope_pick').element as {
    type: string;
    action_id: string;
    min_query_length?: number;
    initial_options?: Opt[];
  };
}

function textBox(v: ReturnType<typeof view>) {
  return blockById(v, 'scope_text').element as {
    action_id: string;
    multiline: boolean;
    initial_value?: string;
  };
}

describe('permissionsStepView', () => {
  it.each([
    ['create', 'connect_scopes', 'Permissions', 'Create link'],
    ['reauthorize', 'reauth_scopes', 'Reauthorize', 'Get link'],
    ['edit_scopes', 'edit_scopes', 'Edit scopes', 'Save scopes'],
  ] as const)('for %s is the %s modal titled %s with %s', (purpose, callbackId, title, submit) => {
    const v = view({ purpose });
    expect(v.callback_id).toBe(callbackId);
    expect(v.title.text).toBe(title);
    expect(v.submit?.text).toBe(submit);
    expect(v.private_metadata).toBe('m');
    expect(checkLimits(v)).toEqual([]);
  });

  it('offers default or customized scopes, with the current mode chosen', () => {
    const block = blockById(view({ mode: 'custom' }), 'scope_mode');
    const element = block.element as {
      action_id: string;
      options: Opt[];
      initial_option: Opt;
    };
    expect(element.action_id).toBe('scope_mode');
    expect(element.options.map((o) => [o.value, o.text.text])).toEqual([
      ['default', 'Use default scopes'],
      ['custom', 'Customize scopes (advanced)'],
    ]);
    expect(element.options[0]?.description?.text).toContain(String(DEFAULT_SCOPES.length));
    expect(element.initial_option.value).toBe('custom');
  });

  it('lists the default scopes by name', () => {
    const text = mrkdwnTexts(view()).join('\n');
    for (const scope of DEFAULT_SCOPES) expect(text).toContain(`\`${scope}\``);
  });

  it('searches the catalog as the admin types instead of sending it with the view', () => {
    const element = picker(view());
    expect(element.type).toBe('multi_external_select');
    expect(element.action_id).toBe('scope_pick');
    expect(element.min_query_length).toBe(0);
    expect(blockById(view(), 'scope_pick').optional).toBe(true);
    expect(JSON.stringify(view()).length).toBeLessThan(4000);
  });

  it('finds every catalog scope by its name, in its group, with its description', () => {
    for (const group of scopeGroups()) {
      for (const scope of group.scopes) {
        const found = scopeSearch(scope.name);
        const inGroup = found.find((g) => g.label.text === group.label);
        const option = inGroup?.options.find((o) => o.value === scope.name);
        expect(option, scope.name).toBeDefined();
        expect(option?.text.text).toBe(scope.name);
        expect(option?.description?.text).toBe(describeScope(scope.name));
      }
    }
  });

  it('opens on the start of the catalog, within Slack’s 100 options, groups in order', () => {
    const all = scopeGroups().flatMap((g) => g.scopes.map((scope) => scope.name));
    const opened = scopeSearch('');
    const offered = opened.flatMap((g) => g.options.map((o) => o.value));
    expect(offered).toEqual(all.slice(0, SCOPE_SEARCH_MAX));
    expect(opened.map((g) => g.label.text)).toEqual(
      scopeGroups()
        .map((g) => g.label)
        .slice(0, opened.length),
    );
    expect(validateOptionsAnswer({ option_groups: opened })).toEqual([]);
  });

  it('keeps the scopes matching every word typed, in name, description or group', () => {
    const offered = (typed: string) =>
      scopeSearch(typed).flatMap((g) => g.options.map((o) => o.value ?? ''));
    const users = offered('Users READ');
    expect(users).toContain('okta.users.read');
    expect(users).not.toContain('okta.users.manage');
    const groupOf = (name: string) =>
      scopeGroups().find((g) => g.scopes.some((scope) => scope.name === name))?.label ?? '';
    for (const name of users) {
      const searched = `${name} ${describeScope(name)} ${groupOf(name)}`.toLowerCase();
      expect(searched, name).toContain('users');
      expect(searched, name).toContain('read');
    }
    expect(offered('system log')).toContain('okta.logs.read');
    expect(offered('okta.groups.manage,')).toEqual(['okta.groups.manage']);
    expect(offered('no-such-scope-anywhere')).toEqual([]);
    expect(scopeSearch('no-such-scope-anywhere')).toEqual([]);
  });

  it('preselects the catalog scopes in the menu and types the others in the text box', () => {
    const v = view({
      mode: 'custom',
      selected: ['okta.users.read', 'okta.custom.thing', 'okta.logs.read', 'okta.users.read'],
    });
    expect(picker(v).initial_options?.map((o) => o.value)).toEqual([
      'okta.users.read',
      'okta.logs.read',
    ]);
    expect(textBox(v).initial_value).toBe('okta.custom.thing');
    expect(checkLimits(v)).toEqual([]);
  });

  it('preselects options identical to those the search offers', () => {
    const v = view({ selected: DEFAULT_SCOPES });
    const chosen = picker(v).initial_options ?? [];
    expect(chosen.length).toBeGreaterThan(0);
    for (const option of chosen) {
      const offered = scopeSearch(option.value).flatMap((g) => g.options);
      expect(offered).toContainEqual(option);
    }
  });

  it('keeps the typed text and adds the unknown scopes it does not name yet', () => {
    const v = view({
      selected: ['okta.custom.a', 'okta.custom.b'],
      manualText: 'okta.custom.a,\nokta.typo.read',
    });
    expect(textBox(v).initial_value).toBe('okta.custom.a,\nokta.typo.read okta.custom.b');
  });

  it('leaves the menu and the text box empty when nothing is selected', () => {
    const v = view();
    expect(picker(v).initial_options).toBeUndefined();
    expect(textBox(v).initial_value).toBeUndefined();
  });

  it('describes the text box', () => {
    const block = blockById(view(), 'scope_text');
    expect(block.optional).toBe(true);
    expect(block.label).toMatchObject({ text: 'More scopes, typed' });
    expect(block.hint).toMatchObject({
      text: 'Separate with spaces, commas or new lines. openid and offline_access are always requested.',
    });
    expect(textBox(view()).multiline).toBe(true);
  });

  it('says reauthorizing inherits the current scopes', () => {
    const text = mrkdwnTexts(view({ purpose: 'reauthorize', inherited: true })).join('\n');
    expect(text).toContain('Unchanged scopes are inherited');
    expect(mrkdwnTexts(view({ purpose: 'reauthorize' })).join('\n')).not.toContain('inherited');
  });

  it('warns that saving new scopes needs a reauthorization', () => {
    const text = mrkdwnTexts(view({ purpose: 'edit_scopes' })).join('\n');
    expect(text).toMatch(/reauthoriz/);
    expect(mrkdwnTexts(view()).join('\n')).not.toContain(':warning:');
  });

  it('shows notes first, escaped', () => {
    const v = view({ notes: ['Using acme.okta.com: removed https://'] });
    expect(v.blocks[0]).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: 'Using acme.okta.com: removed https://' }],
    });
  });

  it('keeps a very long typed text within the input limit, cut between scopes', () => {
    const manualText = Array.from({ length: 400 }, (_, i) => `okta.s${i}.read`).join(' ');
    const v = view({ manualText });
    const value = textBox(v).initial_value ?? '';
    expect(value.length).toBeLessThanOrEqual(3000);
    expect(value.split(' ').every((s) => /^okta\.s\d+\.read$/.test(s))).toBe(true);
    expect(checkLimits(v)).toEqual([]);
  });

  it.each(HOSTILE)('shows the hostile nickname %j inertly', (nickname) => {
    for (const purpose of ['create', 'reauthorize', 'edit_scopes'] as const) {
      const v = view({ purpose, nickname, notes: [nickname] });
      expect(checkLimits(v)).toEqual([]);
      expectNothingRaw(v);
    }
  });
});
