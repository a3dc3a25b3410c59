import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALWAYS_REQUESTED,
  DEFAULT_SCOPES,
  describeScope,
  isKnownScope,
  resolveDefaultScopes,
  SCOPE_CATALOG,
  scopeFamily,
  scopeGroups,
  withAlwaysRequested,
} from '../../src/okta/scopeCatalog.ts';

/** research/okta-oauth-facts.md §2e, copied as written there. */
const MANAGEMENT_SPEC =
  'okta.agentPools.{manage,read} okta.apiTokens.{manage,read} okta.appGrants.{manage,read} okta.apps.interclientTrust.{manage,read} okta.apps.{manage,read} okta.authenticators.{manage,read} okta.authorizationServers.{manage,read} okta.behaviors.{manage,read} okta.botProtection.{manage,read} okta.brands.{manage,read} okta.captchas.{manage,read} okta.customTelephonyProvider.{manage,read} okta.deviceAssurance.{manage,read} okta.deviceIntegrations.{manage,read} okta.devicePostureChecks.{manage,read} okta.devices.{manage,read} okta.directories.groups.{manage,read} okta.domains.{manage,read} okta.dr.{manage,read} okta.emailDomains.{manage,read} okta.emailServers.{manage,read} okta.eventHooks.{manage,read} okta.features.{manage,read} okta.groups.{manage,read} okta.identitySources.{manage,read} okta.idps.{manage,read} okta.inlineHooks.{manage,read} okta.linkedObjects.{manage,read} okta.logStreams.{manage,read} okta.logs.read okta.networkZones.{manage,read} okta.oauthIntegrations.{manage,read} okta.orgs.{manage,read} okta.personal.adminSettings.{manage,read} okta.policies.{manage,read} okta.principalRateLimits.{manage,read} okta.profileMappings.{manage,read} okta.pushProviders.{manage,read} okta.rateLimits.{manage,read} okta.realmAssignments.{manage,read} okta.realms.{manage,read} okta.roles.{manage,read} okta.schemas.{manage,read} okta.securityEventsProviders.{manage,read} okta.serviceAccounts.{manage,read} okta.serviceAccounts.okta.{manage,read} okta.sessions.{manage,read} okta.templates.{manage,read} okta.threatInsights.{manage,read} okta.trustedOrigins.{manage,read} okta.uischemas.{manage,read} okta.userRisk.{manage,read} okta.userTypes.{manage,read} okta.users.{manage,read} ssf.{manage,read}';
const OAUTH_SPEC =
  'okta.clients.manage okta.clients.read okta.clients.register okta.universalLogout.manage okta.workflows.invoke.manage';
const OIDC = ['openid', 'profile', 'email', 'address', 'phone', 'groups', 'offline_access'];

function expandBraces(list: string): string[] {
  return list.split(' ').flatMap((item) => {
    const match = /^(.*)\.\{manage,read\}$/.exec(item);
    return match ? [`${match[1]}.manage`, `${match[1]}.read`] : [item];
  });
}

/** Slack's limits for a multi_static_select with option_groups (Block Kit reference). */
const SLACK = {
  groups: 100,
  optionsPerGroup: 100,
  label: 75,
  text: 75,
  description: 75,
  value: 150,
};

describe('the scope catalog', () => {
  const names = SCOPE_CATALOG.map((scope) => scope.name);

  it('holds the OIDC scopes and every Management and OAuth API scope, once each', () => {
    const management = expandBraces(MANAGEMENT_SPEC);
    expect(management).toHaveLength(109);
    const expected = [...OIDC, ...management, ...expandBraces(OAUTH_SPEC)];
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual([...expected].sort());
  });

  it('marks exactly the OIDC scopes as oidc', () => {
    const oidc = SCOPE_CATALOG.filter((scope) => scope.kind === 'oidc').map((scope) => scope.name);
    expect(oidc).toEqual(OIDC);
  });

  it('describes every scope in one short line', () => {
    for (const scope of SCOPE_CATALOG) {
      expect(scope.description.length, scope.name).toBeGreaterThan(0);
      expect(scope.description.length, scope.name).toBeLessThanOrEqual(75);
      expect(scope.description, scope.name).not.toMatch(/[\n\r]/);
      expect(scope.group.length, scope.name).toBeLessThanOrEqual(75);
    }
  });

  it('tells whether a name is known, exactly as spelled', () => {
    expect(names.every(isKnownScope)).toBe(true);
    expect(isKnownScope('okta.deviceAssurance.read')).toBe(true);
    expect(isKnownScope('okta.deviceassurance.read')).toBe(false);
    expect(isKnownScope('okta.newThing.read')).toBe(false);
    expect(isKnownScope('')).toBe(false);
  });

  it('describes a known scope and nothing else', () => {
    expect(describeScope('okta.users.read')).toBe('Read users and their profiles');
    expect(describeScope('offline_access')).toContain('refresh token');
    expect(describeScope('okta.newThing.read')).toBeUndefined();
  });
});

describe('scopeGroups', () => {
  it('lists the groups in catalog order, sign-in first, each scope in exactly one group', () => {
    const groups = scopeGroups();
    expect(groups[0]?.scopes.map((scope) => scope.name)).toEqual(OIDC);
    expect(groups.flatMap((group) => group.scopes)).toEqual([...SCOPE_CATALOG]);
    expect(new Set(groups.map((group) => group.label)).size).toBe(groups.length);
    for (const group of groups) {
      expect(group.scopes.length).toBeGreaterThan(0);
      for (const scope of group.scopes) expect(scope.group).toBe(group.label);
    }
  });

  it('fits a Slack grouped multi-select', () => {
    const optionGroups = scopeGroups().map((group) => ({
      label: { type: 'plain_text', text: group.label },
      options: group.scopes.map((scope) => ({
        text: { type: 'plain_text', text: scope.name },
        description: { type: 'plain_text', text: scope.description },
        value: scope.name,
      })),
    }));
    expect(optionGroups.length).toBeLessThanOrEqual(SLACK.groups);
    for (const group of optionGroups) {
      expect(group.label.text.length).toBeLessThanOrEqual(SLACK.label);
      expect(group.options.length).toBeLessThanOrEqual(SLACK.optionsPerGroup);
      for (const option of group.options) {
        expect(option.text.text.length).toBeLessThanOrEqual(SLACK.text);
        expect(option.description.text.length).toBeLessThanOrEqual(SLACK.description);
        expect(option.value.length).toBeLessThanOrEqual(SLACK.value);
      }
    }
  });
});

describe('scopeFamily', () => {
  it.each([
    ['okta.users.read', 'users'],
    ['okta.users.manage', 'users'],
    ['okta.users.read.self', 'users'],
    ['okta.apps.interclientTrust.read', 'apps.interclientTrust'],
    ['okta.serviceAccounts.okta.manage', 'serviceAccounts.okta'],
    ['okta.directories.groups.read', 'directories.groups'],
    ['okta.clients.register', 'clients'],
    ['okta.workflows.invoke.manage', 'workflows'],
    ['ssf.read', 'ssf'],
    ['okta.newThing.read', 'newThing'],
  ])('puts %s in the %s family', (name, family) => {
    expect(scopeFamily(name)).toBe(family);
  });

  it.each(['openid', 'offline_access', 'device_sso', 'okta.', 'users.read', 'okta users read'])(
    'gives no family for %j, which reaches no Management API',
    (name) => {
      expect(scopeFamily(name)).toBeUndefined();
    },
  );

  it('pairs the read and manage scopes of every catalog resource', () => {
    for (const scope of SCOPE_CATALOG.filter((s) => s.kind === 'okta')) {
      const family = scopeFamily(scope.name);
      expect(family, scope.name).toBeDefined();
      const partner = scope.name.replace(/\.(read|manage)$/, (_, op) =>
        op === 'read' ? '.manage' : '.read',
      );
      if (isKnownScope(partner)) expect(scopeFamily(partner)).toBe(family);
    }
  });
});

describe('the scopes every connection requests', () => {
  it('always requests openid and offline_access', () => {
    expect(ALWAYS_REQUESTED).toEqual(['openid', 'offline_access']);
  });

  it('adds them, drops repeats, and orders OIDC first then the rest alphabetically', () => {
    expect(
      withAlwaysRequested(['okta.users.read', 'email', 'okta.apps.read', 'email', 'ssf.read']),
    ).toEqual([
      'openid',
      'email',
      'offline_access',
      'okta.apps.read',
      'okta.users.read',
      'ssf.read',
    ]);
    expect(withAlwaysRequested([])).toEqual(['openid', 'offline_access']);
  });

  it('gives the same list whatever the input order, and is stable when applied twice', () => {
    const name = fc.oneof(
      fc.constantFrom(...SCOPE_CATALOG.map((scope) => scope.name)),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(
      fc.property(fc.array(name, { maxLength: 20 }), (scopes) => {
        const once = withAlwaysRequested(scopes);
        expect(withAlwaysRequested([...scopes].reverse())).toEqual(once);
        expect(withAlwaysRequested(once)).toEqual(once);
        expect(new Set(once)).toEqual(new Set([...scopes, ...ALWAYS_REQUESTED]));
      }),
      { numRuns: 500 },
    );
  });
});

describe('the default scopes', () => {
  it('are sign-in plus a read-only set for an admin bot', () => {
    expect(DEFAULT_SCOPES).toEqual([
      'openid',
      'profile',
      'email',
      'offline_access',
      'okta.appGrants.read',
      'okta.apps.read',
      'okta.groups.read',
      'okta.logs.read',
      'okta.roles.read',
      'okta.users.read',
    ]);
    expect(DEFAULT_SCOPES.every(isKnownScope)).toBe(true);
    expect(DEFAULT_SCOPES.filter((name) => name.startsWith('okta.'))).toSatisfy(
      (scopes: string[]) => scopes.every((name) => name.endsWith('.read')),
    );
  });

  it.each([undefined, '', '   ', ' , \n', 'okta users read', 'okta.users.read;DROP'])(
    'falls back to the built-in set for OKTA_DEFAULT_SCOPES=%j',
    (configured) => {
      expect(resolveDefaultScopes(configured)).toEqual(DEFAULT_SCOPES);
    },
  );

  it.each([
    ['okta.users.manage', ['openid', 'offline_access', 'okta.users.manage']],
    [
      'okta.users.read, okta.groups.read profile okta.users.read',
      ['openid', 'profile', 'offline_access', 'okta.groups.read', 'okta.users.read'],
    ],
    ['openid offline_access', ['openid', 'offline_access']],
    ['okta.newThing.read', ['openid', 'offline_access', 'okta.newThing.read']],
  ])('uses OKTA_DEFAULT_SCOPES=%j with the always-requested scopes', (configured, scopes) => {
    expect(resolveDefaultScopes(configured)).toEqual(scopes);
  });

  it('hands out a copy, so no caller can change the defaults', () => {
    const scopes = resolveDefaultScopes();
    scopes.push('okta.users.manage');
    expect(resolveDefaultScopes()).not.toContain('okta.users.manage');
    expect(Object.isFrozen(DEFAULT_SCOPES)).toBe(true);
  });
});
