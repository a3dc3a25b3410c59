import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isWellFormedScopeName,
  MAX_SCOPE_NAME_LENGTH,
  MAX_SCOPE_TEXT_LENGTH,
  MAX_SCOPES,
  parseScopeList,
} from '../../src/okta/parseScopeList.ts';
import { SCOPE_CATALOG } from '../../src/okta/scopeCatalog.ts';

const RUNS = { numRuns: 2_000 };

describe('parseScopeList reads a list of scopes', () => {
  it('gives an empty list for empty or blank text', () => {
    for (const text of ['', '   ', '\n\t', ', ,,']) {
      expect(parseScopeList(text)).toEqual({ ok: true, scopes: [], unknown: [], suggestions: [] });
    }
  });

  it.each([
    ['okta.users.read okta.groups.read', ['okta.users.read', 'okta.groups.read']],
    ['okta.users.read,okta.groups.read', ['okta.users.read', 'okta.groups.read']],
    ['okta.users.read, okta.groups.read', ['okta.users.read', 'okta.groups.read']],
    ['okta.users.read\nokta.groups.read\r\n', ['okta.users.read', 'okta.groups.read']],
    ['\tokta.users.read\tokta.groups.read ', ['okta.users.read', 'okta.groups.read']],
    ['okta.users.read\u00a0okta.groups.read', ['okta.users.read', 'okta.groups.read']],
    ['openid profile email offline_access', ['openid', 'profile', 'email', 'offline_access']],
  ])('splits %j on spaces, tabs, new lines and commas', (text, scopes) => {
    expect(parseScopeList(text)).toMatchObject({ ok: true, scopes, unknown: [] });
  });

  it('keeps the order of first appearance and drops repeats', () => {
    expect(parseScopeList('okta.logs.read openid okta.logs.read, openid okta.apps.read')).toEqual({
      ok: true,
      scopes: ['okta.logs.read', 'openid', 'okta.apps.read'],
      unknown: [],
      suggestions: [],
    });
  });

  it('accepts every name in the catalog as known', () => {
    const names = SCOPE_CATALOG.map((scope) => scope.name);
    for (let start = 0; start < names.length; start += MAX_SCOPES) {
      const chunk = names.slice(start, start + MAX_SCOPES);
      expect(parseScopeList(chunk.join(' '))).toEqual({
        ok: true,
        scopes: chunk,
        unknown: [],
        suggestions: [],
      });
    }
  });

  it.each([
    'okta.newThing.read',
    'okta.foo.bar.manage',
    'okta.users.read.self',
    'okta.authenticators.manage.self',
    'okta.events.read',
    'okta.governance.accessRequests.manage',
    'okta.myAccount.appAuthenticator.maintenance.read',
    'device_sso',
  ])('accepts the future or uncatalogued scope %s, flagged as unknown', (name) => {
    expect(parseScopeList(name)).toMatchObject({ ok: true, scopes: [name], unknown: [name] });
  });

  it('treats names as case-sensitive, flagging a near spelling with the right one', () => {
    const result = parseScopeList('okta.deviceassurance.read okta.Users.read okta.user.read');
    expect(result).toEqual({
      ok: true,
      scopes: ['okta.deviceassurance.read', 'okta.Users.read', 'okta.user.read'],
      unknown: ['okta.deviceassurance.read', 'okta.Users.read', 'okta.user.read'],
      suggestions: [
        { scope: 'okta.deviceassurance.read', suggestion: 'okta.deviceAssurance.read' },
        { scope: 'okta.Users.read', suggestion: 'okta.users.read' },
        { scope: 'okta.user.read', suggestion: 'okta.users.read' },
      ],
    });
  });

  it.each([
    ['okta.idp.read', 'okta.idps.read'],
    ['okta.grops.manage', 'okta.groups.manage'],
    ['okta.autenticatros.read', 'okta.authenticators.read'],
  ])('suggests %s be %s', (scope, suggestion) => {
    expect(parseScopeList(scope)).toMatchObject({ ok: true, suggestions: [{ scope, suggestion }] });
  });

  it.each(['okta.newThing.read', 'okta.logs.manage', 'okta.events.read', 'okta.factors.read'])(
    'suggests nothing for %s, which is not close to a known name',
    (scope) => {
      expect(parseScopeList(scope)).toMatchObject({ ok: true, unknown: [scope], suggestions: [] });
    },
  );
});

describe('parseScopeList refuses what cannot be a scope, naming it', () => {
  it.each([
    ['okta.', 'okta.'],
    ['okta..read', 'okta..read'],
    ['okta.read', 'okta.read'],
    ['okta.users', 'okta.users'],
    ['okta.1users.read', 'okta.1users.read'],
    ['okta.users.read.', 'okta.users.read.'],
    ['okta.users.write', 'okta.users.write'],
    ['<script>', '<script>'],
    ['okta.users.read;DROP', 'okta.users.read;DROP'],
    ['okta.users.read\u0000', 'okta.users.read\u0000'],
    ['"okta.users.read"', '"okta.users.read"'],
    ['\u201cokta.users.read\u201d', '\u201cokta.users.read\u201d'],
    ['okta.*', 'okta.*'],
    ['*', '*'],
    ['okta.users.*', 'okta.users.*'],
    ['custom:scope', 'custom:scope'],
    ['okta.users.read okta users read', 'okta'],
    ['okta.ｕsers.read', 'okta.ｕsers.read'],
  ])('refuses %j', (text, token) => {
    const result = parseScopeList(text);
    expect(result).toMatchObject({ ok: false, code: 'scope_malformed', token });
    expect(!result.ok && result.message).toMatch(/is not a scope name: /);
  });

  it('explains the expected form', () => {
    expect(parseScopeList('okta users read')).toEqual({
      ok: false,
      code: 'scope_malformed',
      token: 'okta',
      message: '“okta” is not a scope name: scope names look like okta.users.read.',
    });
  });

  it.each([
    ['okta.users.reed', 'okta.users.read'],
    ['okta.users.raed', 'okta.users.read'],
    ['okta.users.read"', 'okta.users.read'],
    ['okta.autenticators.raed', 'okta.authenticators.read'],
    ['okta.devicesAssurance.mange', 'okta.deviceAssurance.manage'],
  ])('asks whether %s meant %s', (token, suggestion) => {
    expect(parseScopeList(token)).toMatchObject({
      code: 'scope_malformed',
      message: `“${token}” is not a scope name: did you mean ${suggestion}?`,
    });
  });

  it('points out a wrong-case spelling of a known name', () => {
    expect(parseScopeList('OKTA.USERS.READ')).toEqual({
      ok: false,
      code: 'scope_wrong_case',
      token: 'OKTA.USERS.READ',
      message:
        '“OKTA.USERS.READ” is not a scope name: scope names are case-sensitive, so write okta.users.read.',
    });
    expect(parseScopeList('OpenID')).toMatchObject({ code: 'scope_wrong_case', token: 'OpenID' });
  });

  it('refuses a name over 128 characters, showing only its start', () => {
    const long = `okta.${'a'.repeat(MAX_SCOPE_NAME_LENGTH)}.read`;
    const result = parseScopeList(long);
    expect(result).toMatchObject({ ok: false, code: 'scope_too_long', token: long });
    expect(!result.ok && result.message.length).toBeLessThan(200);
  });

  it('shows invisible and direction-changing characters as a visible mark', () => {
    const result = parseScopeList('okta.users.read\u202e\u0007');
    expect(!result.ok && result.message).toContain('“okta.users.read\uFFFD\uFFFD”');
  });

  it('refuses more than 100 distinct scopes, counting repeats once', () => {
    const names = Array.from({ length: MAX_SCOPES + 1 }, (_, i) => `okta.thing${i}.read`);
    expect(parseScopeList(names.join(' '))).toMatchObject({
      ok: false,
      code: 'scope_list_too_many',
      message:
        'That is 101 scopes; a connection can ask for at most 100. Remove the ones it does not need.',
    });
    const hundred = names.slice(0, MAX_SCOPES);
    expect(parseScopeList([...hundred, ...hundred].join(' '))).toMatchObject({ ok: true });
  });

  it('refuses more than 5,000 characters at once', () => {
    const result = parseScopeList('okta.users.read '.repeat(10_000));
    expect(result).toMatchObject({ ok: false, code: 'scope_list_too_long' });
    expect(parseScopeList(' '.repeat(MAX_SCOPE_TEXT_LENGTH))).toMatchObject({ ok: true });
  });

  it('accepts a full list of odd names that all need a suggestion search', () => {
    const names = Array.from({ length: MAX_SCOPES }, (_, i) => `okta.${'x'.repeat(30)}${i}z.read`);
    const result = parseScopeList(names.join(' '));
    expect(result).toMatchObject({ ok: true });
    expect(result.ok && result.unknown).toHaveLength(MAX_SCOPES);
  });
});

const nameish = fc.oneof(
  fc.constantFrom(...SCOPE_CATALOG.map((scope) => scope.name)),
  fc
    .array(fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,8}$/), { minLength: 1, maxLength: 3 })
    .chain((segments) =>
      fc
        .constantFrom('read', 'manage', 'register', 'read.self', 'write', '')
        .map((operation) => ['okta', ...segments, operation].join('.')),
    ),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

const scopeText = fc.oneof(
  fc
    .tuple(fc.array(nameish, { maxLength: 12 }), fc.constantFrom(' ', ',', '\n', ', ', '\t', ';'))
    .map(([names, separator]) => names.join(separator)),
  fc.string({ unit: 'binary' }),
  fc.string(),
);

describe('parseScopeList, for any text', () => {
  it('never throws', () => {
    fc.assert(
      fc.property(scopeText, (text) => {
        parseScopeList(text);
      }),
      RUNS,
    );
  });

  it('accepts only well-formed, distinct names that read back as the same list', () => {
    fc.assert(
      fc.property(scopeText, (text) => {
        const result = parseScopeList(text);
        if (!result.ok) return;
        for (const scope of result.scopes) expect(isWellFormedScopeName(scope)).toBe(true);
        expect(new Set(result.scopes).size).toBe(result.scopes.length);
        expect(parseScopeList(result.scopes.join(' '))).toEqual(result);
        expect(parseScopeList(result.scopes.join(',\n'))).toEqual(result);
      }),
      RUNS,
    );
  });

  it('names the refused token, which appears in the text', () => {
    fc.assert(
      fc.property(scopeText, (text) => {
        const result = parseScopeList(text);
        if (result.ok || result.token === undefined) return;
        expect(text).toContain(result.token);
        expect(isWellFormedScopeName(result.token)).toBe(false);
      }),
      RUNS,
    );
  });
});
