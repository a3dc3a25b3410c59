import { randomBytes } from 'node:crypto';

/** Who is acting in Slack, as every request payload names them. */
export interface SlackActor {
  userId: string;
  /** Default: derived from the user id. */
  userName?: string;
  teamId: string;
  /** Default: derived from the team id. */
  teamDomain?: string;
  enterpriseId?: string;
  enterpriseName?: string;
  /** An org-wide (Enterprise Grid) install: interaction payloads then carry `team: null`. */
  orgInstall?: boolean;
}

/** Which app the request is for. */
export interface AppIdentity {
  /** Default `A0OKTACONN`. */
  apiAppId?: string;
  /** The legacy verification token Slack still sends in payloads. */
  verificationToken?: string;
}

export const DEFAULT_APP_ID = 'A0OKTACONN';
export const DEFAULT_VERIFICATION_TOKEN = 'legacy-verification-token';

export function userName(actor: SlackActor): string {
  return actor.userName ?? `user.${actor.userId.toLowerCase()}`;
}

export function teamDomain(actor: SlackActor): string {
  return actor.teamDomain ?? `team-${actor.teamId.toLowerCase()}`;
}

/** The `team`, `user`, `enterprise` … fields shared by interaction payloads. */
export function interactionHeader(actor: SlackActor, app: AppIdentity): Record<string, unknown> {
  const enterprise = actor.enterpriseId
    ? { id: actor.enterpriseId, name: actor.enterpriseName ?? actor.enterpriseId }
    : null;
  const team = actor.orgInstall
    ? null
    : {
        id: actor.teamId,
        domain: teamDomain(actor),
        ...(actor.enterpriseId ? { enterprise_id: actor.enterpriseId } : {}),
        ...(actor.enterpriseName ? { enterprise_name: actor.enterpriseName } : {}),
      };
  const name = userName(actor);
  return {
    team,
    user: { id: actor.userId, username: name, name, team_id: actor.teamId },
    api_app_id: app.apiAppId ?? DEFAULT_APP_ID,
    token: app.verificationToken ?? DEFAULT_VERIFICATION_TOKEN,
    is_enterprise_install: actor.orgInstall ?? false,
    enterprise,
  };
}

/**
 * A well-formed trigger id the stand-in never issued: Slack always sends one, so payloads
 * need one, but the stand-in will answer `invalid_trigger_id` if the bot tries to use it.
 */
export function unknownTriggerId(): string {
  return `${Math.floor(Date.now() / 1000)}.0.${randomBytes(16).toString('hex')}`;
}

/** A response_url that points nowhere reachable; use `slack.issueResponseUrl()` to record. */
export function placeholderResponseUrl(teamId: string): string {
  return `https://hooks.slack.com/actions/${teamId}/0/${randomBytes(12).toString('hex')}`;
}

/** Seconds.micros, as Slack stamps `action_ts` and `event_ts`. */
export function slackTimestamp(ms: number = Date.now()): string {
  return `${Math.floor(ms / 1000)}.${String((ms % 1000) * 1000).padStart(6, '0')}`;
}
