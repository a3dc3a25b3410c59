import { randomBytes } from 'node:crypto';
import { encodeWizard } from '../../src/handlers/wizardState.ts';
import { detailsStepView } from '../../src/views/detailsStep.ts';
import { slashCommand, viewSubmission } from '../../test/peers/slack/index.ts';
import { ADMINS, CHANNEL_ID, CLIENT_ID, SIGNING_SECRET, TEAM_ID } from '../lib/fixtures.ts';

/** A request as autocannon replays it. */
export interface SignedRequest {
  method: 'POST';
  path: string;
  headers: Record<string, string>;
  body: string;
}

const SLACK_PATH = '/slack/events';

function asRequest(request: { body: string; headers: Record<string, string> }): SignedRequest {
  return { method: 'POST', path: SLACK_PATH, headers: request.headers, body: request.body };
}

/**
 * `count` slash commands `/okta-connect` from the workspace's admins in turn, each with
 * its own trigger id, signed now: Bolt refuses a timestamp older than 5 minutes.
 */
export function signedCommands(count: number, text = ''): SignedRequest[] {
  const seconds = Math.floor(Date.now() / 1000);
  return Array.from({ length: count }, (_, i) =>
    asRequest(
      slashCommand({
        signingSecret: SIGNING_SECRET,
        userId: ADMINS[i % ADMINS.length] as string,
        teamId: TEAM_ID,
        channelId: CHANNEL_ID,
        text,
        triggerId: `${seconds}.${i + 1}.${randomBytes(16).toString('hex')}`,
      }),
    ),
  );
}

/**
 * The details step as Slack would send it back: the view the bot pushes after the org
 * step (`detailsStepView` with the wizard state in `private_metadata`), plus the fields
 * Slack adds to a stored view, filled in with a new nickname, a domain typed as a URL
 * (the bot strips it) and a client ID.
 */
export function signedDetailsSubmissions(count: number): SignedRequest[] {
  const spec = detailsStepView({
    orgKind: 'other',
    home: null,
    initial: { channelId: CHANNEL_ID },
    metadata: encodeWizard({ v: 1, channelId: CHANNEL_ID, orgKind: 'other' }),
  });
  const seconds = Math.floor(Date.now() / 1000);
  return Array.from({ length: count }, (_, i) => {
    const id = `VBENCH${String(i).padStart(5, '0')}`;
    const view = {
      ...spec,
      id,
      team_id: TEAM_ID,
      hash: `${seconds}.${randomBytes(4).toString('hex')}`,
      root_view_id: 'VBENCHROOT0',
      previous_view_id: 'VBENCHROOT0',
      external_id: '',
      state: { values: {} },
    };
    return asRequest(
      viewSubmission({
        signingSecret: SIGNING_SECRET,
        userId: ADMINS[i % ADMINS.length] as string,
        teamId: TEAM_ID,
        view,
        values: {
          nickname: `bench-${i}`,
          domain: 'https://acme.okta.com/',
          client_id: CLIENT_ID,
          notify_channel: CHANNEL_ID,
        },
      }),
    );
  });
}

/** Sends one signed request with fetch, for the smoke checks before a run. */
export async function sendOnce(
  baseUrl: string,
  request: SignedRequest,
): Promise<{ status: number; text: string }> {
  const response = await fetch(`${baseUrl}${request.path}`, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
  });
  return { status: response.status, text: await response.text() };
}
