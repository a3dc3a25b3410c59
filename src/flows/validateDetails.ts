import { parseOktaDomain } from '../okta/parseOktaDomain.ts';
import type { FlowDeps } from './deps.ts';

const NICKNAME_MAX = 40;

export interface DetailsInput {
  teamId: string;
  orgKind: 'home' | 'other';
  nickname: string;
  /** Ignored for the home org: its domain comes from the configuration. */
  domain: string;
  clientId: string;
}

export type DetailsResult =
  | {
      ok: true;
      nickname: string;
      domain: string;
      clientId: string;
      notes: string[];
      /** The admin typed the domain (another org), so it is worth checking at Okta. */
      typedDomain: boolean;
    }
  | { ok: false; errors: Partial<Record<'nickname' | 'domain' | 'client_id', string>> };

/** Letters and digits of any script, plus space . _ - inside; no mention or markup syntax. */
const NICKNAME_PATTERN = /^[\p{L}\p{N}](?:[\p{L}\p{N} ._-]*[\p{L}\p{N}])?$/u;
/**
 * Shaped like a JWT (`eyJ…` with dots) or a sealed value (`v1.<key id>.`): the nickname
 * goes into audit rows, which refuse anything that looks like a token, and into every
 * message, where it would read like a leaked secret.
 */
const TOKEN_SHAPE = /^(?:eyJ[\w-]*\.[\w-]*\.|v1\.[0-9a-f]{16}\.)/i;
/** Okta client IDs are like 0oa1b2c3d4E5f6G7h8i9; apps made through the API may differ a little. */
const CLIENT_ID_PATTERN = /^[A-Za-z0-9_-]{4,100}$/;

export function nicknameTakenMessage(nickname: string): string {
  return `A connection named “${nickname}” already exists in this workspace. Pick another nickname.`;
}

/** The nickname rules, for a new connection and a renamed one alike. */
export function checkNickname(
  raw: string,
): { ok: true; nickname: string } | { ok: false; message: string } {
  const nickname = raw.normalize('NFC').trim().replace(/\s+/g, ' ');
  if (nickname === '')
    return { ok: false, message: 'Give the connection a nickname, like acme-prod.' };
  if ([...nickname].length > NICKNAME_MAX) {
    return { ok: false, message: `Keep the nickname to ${NICKNAME_MAX} characters or fewer.` };
  }
  if (TOKEN_SHAPE.test(nickname)) {
    return {
      ok: false,
      message: 'That looks like a token, not a name. Use a nickname like acme-prod.',
    };
  }
  if (!NICKNAME_PATTERN.test(nickname)) {
    return {
      ok: false,
      message:
        'Use letters, digits, spaces and . _ - only, starting and ending with a letter or digit (like acme-prod).',
    };
  }
  return { ok: true, nickname };
}

/** The details step: every field checked, every problem reported at once, as field errors. */
export async function validateDetails(deps: FlowDeps, input: DetailsInput): Promise<DetailsResult> {
  const errors: Partial<Record<'nickname' | 'domain' | 'client_id', string>> = {};
  const notes: string[] = [];

  const nickname = checkNickname(input.nickname);
  if (!nickname.ok) errors.nickname = nickname.message;
  else if (await deps.connections.isNicknameTaken(input.teamId, nickname.nickname)) {
    errors.nickname = nicknameTakenMessage(nickname.nickname);
  }

  let domain = '';
  const home = deps.settings.home;
  const typedDomain = !(input.orgKind === 'home' && home);
  if (!typedDomain && home) {
    domain = home.domain;
  } else {
    const parsed = parseOktaDomain(input.domain, { extraDomains: deps.settings.extraDomains });
    if (parsed.ok) {
      domain = parsed.domain;
      notes.push(...parsed.changes);
    } else {
      errors.domain = parsed.message;
    }
  }

  const clientId = input.clientId.trim();
  if (!CLIENT_ID_PATTERN.test(clientId)) {
    errors.client_id =
      clientId === ''
        ? 'Enter the client ID from the app’s General tab (Client Credentials).'
        : 'That does not look like an Okta client ID (letters, digits, - and _, like 0oa1b2c3d4E5f6G7h8i9).';
  }

  if (Object.keys(errors).length > 0 || !nickname.ok) return { ok: false, errors };
  return { ok: true, nickname: nickname.nickname, domain, clientId, notes, typedDomain };
}

/**
 * The last wizard step reads the nickname, domain and client ID back from the modal's
 * `private_metadata`, which Slack returns with the submission. They were checked at the
 * details step; they are checked again, unchanged, so that a stale or tampered form
 * cannot create a connection the details step would refuse (a host that is not an Okta
 * org, a nickname with mention syntax).
 */
export function carriedDetailsHold(
  deps: FlowDeps,
  carried: { orgKind: 'home' | 'other'; nickname: string; domain: string; clientId: string },
): boolean {
  const nickname = checkNickname(carried.nickname);
  if (!nickname.ok || nickname.nickname !== carried.nickname) return false;
  if (!CLIENT_ID_PATTERN.test(carried.clientId)) return false;
  const home = deps.settings.home;
  if (carried.orgKind === 'home' && home) return carried.domain === home.domain;
  const parsed = parseOktaDomain(carried.domain, { extraDomains: deps.settings.extraDomains });
  return parsed.ok && parsed.domain === carried.domain;
}
