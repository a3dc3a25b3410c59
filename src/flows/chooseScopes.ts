import { parseScopeList } from '../okta/parseScopeList.ts';
import { isKnownScope, withAlwaysRequested } from '../okta/scopeCatalog.ts';

export interface ScopeChoice {
  mode: 'default' | 'custom';
  picked: readonly string[];
  typed: string;
}

export type ScopesResult =
  | { ok: true; mode: 'default' | 'custom'; scopes: string[]; unknown: string[] }
  | { ok: false; errors: Partial<Record<'scope_pick' | 'scope_text', string>> };

/**
 * The permissions step. Default mode takes the configured set; custom mode takes the
 * picked and typed scopes. `openid` and `offline_access` are always requested. Names
 * outside the catalog are allowed (Okta is the judge) but reported as unknown.
 */
export function chooseScopes(choice: ScopeChoice, defaultScopes: readonly string[]): ScopesResult {
  if (choice.mode === 'default') {
    return { ok: true, mode: 'default', scopes: withAlwaysRequested(defaultScopes), unknown: [] };
  }
  const typed = parseScopeList(choice.typed);
  if (!typed.ok) return { ok: false, errors: { scope_text: typed.message } };
  const picked = choice.picked.filter((scope) => isKnownScope(scope));
  const chosen = [...picked, ...typed.scopes];
  if (!chosen.some((scope) => scope !== 'openid' && scope !== 'offline_access')) {
    return {
      ok: false,
      errors: {
        scope_pick:
          'Pick at least one scope here or type one below — or choose “Use default scopes”.',
      },
    };
  }
  const scopes = withAlwaysRequested(chosen);
  return {
    ok: true,
    mode: 'custom',
    scopes,
    unknown: scopes.filter((scope) => !isKnownScope(scope)),
  };
}
