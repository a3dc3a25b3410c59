import { randomBytes } from 'node:crypto';
import {
  type AppIdentity,
  DEFAULT_APP_ID,
  DEFAULT_VERIFICATION_TOKEN,
  slackTimestamp,
} from './identity.ts';
import { type SigningOptions, type SlackRequest, signedJson } from './signing.ts';

export interface EventCallbackOptions extends SigningOptions, AppIdentity {
  teamId: string;
  enterpriseId?: string;
  /** The bot user the event is delivered for (`authorizations[0].user_id`). */
  botUserId?: string;
  event: Record<string, unknown> & { type: string };
  /** Default a fresh `Ev…` id; reuse one to model a redelivery. */
  eventId?: string;
  /** Unix seconds; default now. */
  eventTime?: number;
}

/** An Events API delivery (`event_callback`), JSON-encoded as Slack sends it. */
export function eventCallback(options: EventCallbackOptions): SlackRequest {
  const eventTime = options.eventTime ?? Math.floor(Date.now() / 1000);
  return signedJson(
    {
      token: options.verificationToken ?? DEFAULT_VERIFICATION_TOKEN,
      team_id: options.teamId,
      ...(options.enterpriseId ? { enterprise_id: options.enterpriseId } : {}),
      api_app_id: options.apiAppId ?? DEFAULT_APP_ID,
      event: options.event,
      type: 'event_callback',
      event_id: options.eventId ?? `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
      event_time: eventTime,
      authorizations: [
        {
          enterprise_id: options.enterpriseId ?? null,
          team_id: options.teamId,
          user_id: options.botUserId ?? 'U0BOT',
          is_bot: true,
          is_enterprise_install: false,
        },
      ],
      is_ext_shared_channel: false,
      event_context: `4-${randomBytes(12).toString('hex')}`,
    },
    options,
  );
}

export interface AppHomeOpenedOptions {
  userId: string;
  /** The app's DM channel with the user. */
  channel: string;
  /** Default `home`. */
  tab?: 'home' | 'messages';
  /** The currently published Home view, when there is one (`slack.homeView(user)`). */
  view?: Record<string, unknown>;
}

/** The `event` of an `app_home_opened` delivery; wrap it with `eventCallback`. */
export function appHomeOpened(options: AppHomeOpenedOptions): EventCallbackOptions['event'] {
  return {
    type: 'app_home_opened',
    user: options.userId,
    channel: options.channel,
    tab: options.tab ?? 'home',
    ...(options.view ? { view: options.view } : {}),
    event_ts: slackTimestamp(),
  };
}

/** The one-time handshake Slack sends when the Events request URL is saved. */
export function urlVerification(options: SigningOptions & { challenge: string }): SlackRequest {
  return signedJson(
    { token: DEFAULT_VERIFICATION_TOKEN, challenge: options.challenge, type: 'url_verification' },
    options,
  );
}
