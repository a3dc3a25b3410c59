import {
  type AppIdentity,
  DEFAULT_APP_ID,
  DEFAULT_VERIFICATION_TOKEN,
  type SlackActor,
  teamDomain,
  unknownTriggerId,
  userName,
} from './identity.ts';
import { type SigningOptions, type SlackRequest, signedForm } from './signing.ts';

export interface SlashCommandOptions extends SigningOptions, SlackActor, AppIdentity {
  /** Default `/okta-connect`. */
  command?: string;
  text?: string;
  channelId: string;
  /** Default derived from the channel id (`directmessage` for `D…`). */
  channelName?: string;
  /** Use `slack.issueTriggerId()` so the stand-in accepts it within 3 s. */
  triggerId?: string;
  /** Use `slack.issueResponseUrl()` to capture what the bot sends there. */
  responseUrl?: string;
}

/** A slash command as Slack POSTs it: form-encoded, fields in Slack's order. */
export function slashCommand(options: SlashCommandOptions): SlackRequest {
  const fields: Record<string, string> = {
    token: options.verificationToken ?? DEFAULT_VERIFICATION_TOKEN,
    team_id: options.teamId,
    team_domain: teamDomain(options),
  };
  if (options.enterpriseId) {
    fields.enterprise_id = options.enterpriseId;
    fields.enterprise_name = options.enterpriseName ?? options.enterpriseId;
  }
  Object.assign(fields, {
    channel_id: options.channelId,
    channel_name: options.channelName ?? channelNameFor(options.channelId),
    user_id: options.userId,
    user_name: userName(options),
    command: options.command ?? '/okta-connect',
    text: options.text ?? '',
    api_app_id: options.apiAppId ?? DEFAULT_APP_ID,
    is_enterprise_install: String(options.orgInstall ?? false),
    response_url:
      options.responseUrl ??
      `https://hooks.slack.com/commands/${options.teamId}/0/${options.userId.toLowerCase()}`,
    trigger_id: options.triggerId ?? unknownTriggerId(),
  });
  return signedForm(fields, options);
}

function channelNameFor(channelId: string): string {
  return channelId.startsWith('D') ? 'directmessage' : `channel-${channelId.toLowerCase()}`;
}
