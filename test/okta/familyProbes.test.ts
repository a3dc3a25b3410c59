import { describe, expect, it } from 'vitest';
import { probeFor } from '../../src/okta/familyProbes.ts';
import { SCOPE_CATALOG, scopeFamily } from '../../src/okta/scopeCatalog.ts';

const families = [...new Set(SCOPE_CATALOG.flatMap((scope) => scopeFamily(scope.name) ?? []))];
const context = { sub: '00u1admin', clientId: '0oa1client' };

describe('the probe of each resource family', () => {
  it.each(families.filter((family) => probeFor(family)))(
    '%s: a read-only Management API path that its own .read scope allows',
    (family) => {
      const probe = probeFor(family);
      const path = probe?.path(context) ?? '';
      expect(path.startsWith('/api/v1/')).toBe(true);
      expect(probe?.scope).toBe(
        SCOPE_CATALOG.find(
          (scope) => scopeFamily(scope.name) === family && scope.name.endsWith('.read'),
        )?.name,
      );
    },
  );

  it('reads one item at a time where Okta pages, and the basics every admin bot uses', () => {
    expect(probeFor('users')?.path(context)).toBe('/api/v1/users?limit=1');
    expect(probeFor('groups')?.path(context)).toBe('/api/v1/groups?limit=1');
    expect(probeFor('apps')?.path(context)).toBe('/api/v1/apps?limit=1');
    expect(probeFor('logs')?.path(context)).toBe('/api/v1/logs?limit=1');
  });

  it('reads the signed-in user’s roles, and skips them when the user is unknown', () => {
    expect(probeFor('roles')?.path(context)).toBe('/api/v1/users/00u1admin/roles');
    expect(probeFor('roles')?.path({ ...context, sub: null })).toBeNull();
  });

  it('reads the grants of the connection’s own app, whose id is its client ID', () => {
    expect(probeFor('appGrants')?.path(context)).toBe('/api/v1/apps/0oa1client/grants');
  });

  it('has no probe for families without a read that needs no object id', () => {
    expect(probeFor('sessions')).toBeUndefined();
    expect(probeFor('workflows')).toBeUndefined();
    expect(probeFor('toString')).toBeUndefined();
  });
});
