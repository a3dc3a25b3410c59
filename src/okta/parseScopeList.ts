import { isKnownScope, SCOPE_CATALOG } from './scopeCatalogData.ts';
import { suggestScopeName } from './suggestScopeName.ts';

/** Far more than 100 real scope names need; refused before splitting anything. */
export const MAX_SCOPE_TEXT_LENGTH = 5_000;
/** Real connections ask for a dozen or two; a list of more than 100 is a paste accident. */
export const MAX_SCOPES = 100;
/** The longest real name is under 40 characters. */
export const MAX_SCOPE_NAME_LENGTH = 128;

/**
 * Spaces (as in OAuth's own `scope` parameter), tabs, new lines and commas (as Okta's
 * docs list them). Semicolons are not separators: `okta.users.read;DROP` is refused
 * whole rather than half-accepted.
 */
const SEPARATORS = /[\s,]+/u;

/**
 * Okta's naming: `okta.<resource>.<operation>`, where the resource may have several
 * camelCase segments (`okta.apps.interclientTrust.read`, `okta.workflows.invoke.manage`),
 * the operation is read, manage or register, and `.self` may follow (`okta.users.read.self`).
 * `ssf.read` and `ssf.manage` have no resource. New scopes of the same shape
 * (`okta.newThing.read`) pass, so the bot need not be updated for each Okta release.
 */
const API_SCOPE_NAME =
  /^(?:okta(?:\.[A-Za-z][A-Za-z0-9]*)+|ssf(?:\.[A-Za-z][A-Za-z0-9]*)*)\.(?:read|manage|register)(?:\.self)?$/;

/** The OIDC names, plus `device_sso`, which Okta also defines (Native SSO) but the picker leaves out. */
export const OIDC_NAMES: ReadonlySet<string> = new Set([
  ...SCOPE_CATALOG.filter((scope) => scope.kind === 'oidc').map((scope) => scope.name),
  'device_sso',
]);

export type ScopeListErrorCode =
  | 'scope_list_too_long'
  | 'scope_list_too_many'
  | 'scope_too_long'
  | 'scope_wrong_case'
  | 'scope_malformed';

/** An accepted but unknown scope and the catalog name it most likely meant. */
export interface ScopeSuggestion {
  scope: string;
  suggestion: string;
}

export type ParseScopeListResult =
  | {
      ok: true;
      /** Order of first appearance, without duplicates. */
      scopes: string[];
      /** Well-formed but not in the catalog: accepted, though Okta refuses names it does not have. */
      unknown: string[];
      suggestions: ScopeSuggestion[];
    }
  | { ok: false; code: ScopeListErrorCode; message: string; token?: string };

export function isWellFormedScopeName(name: string): boolean {
  return (
    name.length <= MAX_SCOPE_NAME_LENGTH && (OIDC_NAMES.has(name) || API_SCOPE_NAME.test(name))
  );
}

/**
 * Reads a free-text list of scopes (a Slack text box, `OKTA_DEFAULT_SCOPES`). Names are
 * case-sensitive, so `okta.Users.read` is a different, unknown name: it is accepted and
 * flagged with the right spelling, while a name that cannot be a scope is refused and
 * named in the message.
 */
export function parseScopeList(text: string): ParseScopeListResult {
  if (typeof text !== 'string') return { ok: true, scopes: [], unknown: [], suggestions: [] };
  if (text.length > MAX_SCOPE_TEXT_LENGTH) {
    return {
      ok: false,
      code: 'scope_list_too_long',
      message:
        'That is too much text for a list of scopes (over 5,000 characters). Enter at most ' +
        '100 scope names separated by spaces, like okta.users.read okta.groups.read.',
    };
  }
  const scopes: string[] = [];
  const seen = new Set<string>();
  for (const token of text.split(SEPARATORS)) {
    if (token === '' || seen.has(token)) continue;
    const problem = checkToken(token);
    if (problem) return problem;
    seen.add(token);
    scopes.push(token);
  }
  if (scopes.length > MAX_SCOPES) {
    return {
      ok: false,
      code: 'scope_list_too_many',
      message: `That is ${scopes.length} scopes; a connection can ask for at most ${MAX_SCOPES}. Remove the ones it does not need.`,
    };
  }
  const unknown = scopes.filter((scope) => !isKnownScope(scope));
  const suggestions = unknown.flatMap((scope) => {
    const suggestion = suggestScopeName(scope);
    return suggestion === undefined ? [] : [{ scope, suggestion }];
  });
  return { ok: true, scopes, unknown, suggestions };
}

function checkToken(token: string): ParseScopeListResult | null {
  const shown = `“${printable(token)}”`;
  if (token.length > MAX_SCOPE_NAME_LENGTH) {
    return {
      ok: false,
      code: 'scope_too_long',
      token,
      message: `${shown} is too long to be a scope name (over ${MAX_SCOPE_NAME_LENGTH} characters): scope names look like okta.users.read.`,
    };
  }
  if (isWellFormedScopeName(token)) return null;
  const suggestion = suggestScopeName(token);
  if (suggestion !== undefined && suggestion.toLowerCase() === token.toLowerCase()) {
    return {
      ok: false,
      code: 'scope_wrong_case',
      token,
      message: `${shown} is not a scope name: scope names are case-sensitive, so write ${suggestion}.`,
    };
  }
  return {
    ok: false,
    code: 'scope_malformed',
    token,
    message:
      suggestion === undefined
        ? `${shown} is not a scope name: scope names look like okta.users.read.`
        : `${shown} is not a scope name: did you mean ${suggestion}?`,
  };
}

/**
 * The token as shown in a message: invisible and direction-changing characters made
 * visible (they could disguise the rest of the message), and cut to 60 characters.
 */
function printable(token: string): string {
  const visible = token.replace(/[\p{Cc}\p{Cf}]/gu, '\uFFFD');
  const chars = Array.from(visible);
  return chars.length > 60 ? `${chars.slice(0, 60).join('')}…` : visible;
}
