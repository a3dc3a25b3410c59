import { type OrgAnswer, probeOrg } from '../okta/probeOrg.ts';
import type { FlowDeps } from './deps.ts';

/**
 * Slack gives a view submission 3 seconds. The permission check and the trip back to
 * Slack need part of them, so Okta gets 2: a slower org is let through, and the setup
 * page (which needs the same discovery document, cached meanwhile) checks again.
 */
const ORG_CHECK_MS = 2000;

/** The details step: does the typed domain answer as an Okta org? */
export function checkOrgAnswers(deps: FlowDeps, domain: string): Promise<OrgAnswer> {
  return probeOrg(deps.orgs, domain, ORG_CHECK_MS);
}
