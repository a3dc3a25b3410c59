import type { ApiKeysRepo } from '../db/apiKeysRepo.ts';
import type { AuditRepo } from '../db/auditRepo.ts';
import type { AuthRequestsRepo } from '../db/authRequestsRepo.ts';
import type { ConnectionsRepo } from '../db/connectionsRepo.ts';
import type { DeliveriesRepo } from '../db/deliveriesRepo.ts';
import type { HomeViewersRepo } from '../db/homeViewersRepo.ts';
import type { Logger } from '../logger.ts';
import type { OktaOrgs } from '../okta/oktaOrgs.ts';

/** What the flows need from the configuration; nothing secret. */
export interface FlowSettings {
  publicUrl: string;
  redirectUri: string;
  defaultScopes: readonly string[];
  extraDomains: readonly string[];
  home: { domain: string; clientId: string | null } | null;
  notifyChannel: string | null;
}

/** Everything a flow talks to, passed in so that tests can drive flows without Slack. */
export interface FlowDeps {
  connections: ConnectionsRepo;
  authRequests: AuthRequestsRepo;
  audit: AuditRepo;
  apiKeys: ApiKeysRepo;
  /** Slack deliveries already answered, so a repeat gets the same answer on any replica. */
  deliveries: DeliveriesRepo;
  /** Who looks at the Home tab, so a change handled by any replica republishes it. */
  homeViewers: HomeViewersRepo;
  orgs: OktaOrgs;
  settings: FlowSettings;
  logger: Logger;
  now: () => number;
}

/** A setup link and the state it starts work for 15 minutes (design §5). */
export const LINK_TTL_MS = 15 * 60 * 1000;

export function setupLinkUrl(settings: FlowSettings, linkToken: string): string {
  return `${settings.publicUrl}/connect/${linkToken}`;
}
