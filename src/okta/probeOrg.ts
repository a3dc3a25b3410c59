import type { BotError } from '../errors.ts';
import { mapOktaError } from './mapOktaError.ts';
import type { OktaOrgs } from './oktaOrgs.ts';

/** Why a domain is not taken for an Okta org. */
export type OrgRefusal = 'no_answer' | 'not_found' | 'not_okta' | 'other_issuer';
/** Why the bot could not tell: Okta may well be there, only slow or busy. */
export type OrgUnchecked = 'slow' | 'rate_limited' | 'unavailable';

export type OrgAnswer =
  | { kind: 'okta' }
  | { kind: 'refused'; reason: OrgRefusal }
  | { kind: 'unchecked'; reason: OrgUnchecked };

/** openid-client's code for a discovery document whose `issuer` is not the org's origin. */
const ATTRIBUTE_MISMATCH = 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED';

function namesOtherIssuer(error: BotError): boolean {
  // openid-client's ClientError carries the code; its cause names the attribute.
  const link = error.cause as { code?: unknown; cause?: { attribute?: unknown } } | undefined;
  return link?.code === ATTRIBUTE_MISMATCH && link.cause?.attribute === 'issuer';
}

function answerOf(error: BotError): OrgAnswer {
  switch (error.code) {
    case 'okta_rate_limited':
      return { kind: 'unchecked', reason: 'rate_limited' };
    case 'okta_unavailable':
    case 'okta_error':
      return { kind: 'unchecked', reason: 'unavailable' };
    case 'okta_unreachable':
      return error.details.timeout
        ? { kind: 'unchecked', reason: 'slow' }
        : { kind: 'refused', reason: 'no_answer' };
    default:
      if (error.details.status === 404) return { kind: 'refused', reason: 'not_found' };
      if (namesOtherIssuer(error)) return { kind: 'refused', reason: 'other_issuer' };
      return { kind: 'refused', reason: 'not_okta' };
  }
}

/**
 * Does `domain` answer as an Okta org? Fetches the org authorization server's discovery
 * document (openid-client checks that its `issuer` is `https://{domain}`) and waits for
 * it at most `withinMs`. A late answer still lands in the discovery cache, so the setup
 * page does not fetch it again; only a wrong answer refuses the domain.
 */
export async function probeOrg(
  orgs: OktaOrgs,
  domain: string,
  withinMs: number,
): Promise<OrgAnswer> {
  // Settles either way, so a discovery that fails after the deadline rejects nothing.
  const answer = orgs.discovery(domain).then(
    (): OrgAnswer => ({ kind: 'okta' }),
    (error: unknown) => answerOf(mapOktaError(error)),
  );
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<OrgAnswer>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'unchecked', reason: 'slow' }), withinMs);
  });
  try {
    return await Promise.race([answer, late]);
  } finally {
    clearTimeout(timer);
  }
}
