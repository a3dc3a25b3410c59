import type { OrgKind } from '../db/connectionModel.ts';
import {
  type KnownBlock,
  type ModalSpec,
  type ModalView,
  modal,
  modalTemplate,
  option,
  section,
} from './blocks.ts';
import { CALLBACK, INPUT, ORG_KIND, PREREQ } from './ids.ts';
import { code } from './mrkdwn.ts';

export interface HomeOrg {
  domain: string;
  clientId: string | null;
}

/** A redirect URI is copied into Okta character for character: never shorten it. */
const URI_MAX = 2000;

const PREREQ_OPTIONS = [
  option(
    'I am assigned to the OAuth app in Okta',
    PREREQ.assigned,
    'On the app’s Assignments tab, directly or through a group',
  ),
  option(
    'The scopes I need are granted on the app’s Okta API Scopes tab',
    PREREQ.scopesGranted,
    'Okta silently leaves out scopes the app is not granted',
  ),
  option(
    'I have super admin rights (also needed to reauthorize later)',
    PREREQ.superAdmin,
    'Okta API calls run with the rights of the admin who signs in',
  ),
];

export interface OrgStepInput {
  home: HomeOrg | null;
  orgKind: OrgKind;
  redirectUri: string;
  metadata: string;
}

/**
 * Step 1 of the create wizard: which org, and what must be true in Okta first. With a
 * home org, the org radio dispatches `block_actions` so the handler can swap the
 * explanation with `views.update`; the other inputs keep what was ticked because their
 * ids do not change.
 */
export function orgStepView(input: OrgStepInput): ModalView {
  return modal(orgStepSpec(input));
}

/** Keys come from the configuration (home org, redirect URI): a handful per process. */
const orgStepTemplates = new Map<string, (metadata: string) => string>();

/**
 * The org step as the JSON text `views.open` takes: its blocks depend only on the bot's
 * settings and the org chosen, so each combination is built and serialised once, and
 * each opening adds only its metadata (see `modalTemplate`).
 */
export function orgStepJson(input: OrgStepInput): string {
  const kind: OrgKind = input.home ? input.orgKind : ORG_KIND.other;
  const key = `${kind}\n${input.home?.domain ?? ''}\n${input.redirectUri}`;
  let template = orgStepTemplates.get(key);
  if (!template) {
    template = modalTemplate(orgStepSpec(input));
    orgStepTemplates.set(key, template);
  }
  return template(input.metadata);
}

function orgStepSpec(input: OrgStepInput): ModalSpec {
  const kind: OrgKind = input.home ? input.orgKind : ORG_KIND.other;
  const blocks: KnownBlock[] = [];
  if (input.home) blocks.push(orgKindInput(input.home, kind));
  blocks.push(
    kind === ORG_KIND.home && input.home
      ? homeOrgNote(input.home, input.redirectUri)
      : otherOrgSteps(input.redirectUri),
  );
  blocks.push({
    type: 'input',
    block_id: INPUT.prereqs,
    label: { type: 'plain_text', text: 'Before you go on, confirm that' },
    hint: {
      type: 'plain_text',
      text: 'Tick all three. If one is not true, the sign-in at Okta fails or grants fewer scopes, and the bot tells you what to fix.',
    },
    element: { type: 'checkboxes', action_id: INPUT.prereqs, options: PREREQ_OPTIONS },
  });
  return {
    callbackId: CALLBACK.connectOrg,
    title: 'Connect to Okta',
    submit: 'Next',
    close: 'Cancel',
    metadata: input.metadata,
    blocks,
  };
}

function orgKindInput(home: HomeOrg, kind: OrgKind): KnownBlock {
  const homeOption = option(
    `Home org — ${home.domain}`,
    ORG_KIND.home,
    'Its OAuth app is already set up',
  );
  const otherOption = option(
    'Another Okta org',
    ORG_KIND.other,
    'You create an OAuth app there first',
  );
  return {
    type: 'input',
    block_id: INPUT.orgKind,
    dispatch_action: true,
    label: { type: 'plain_text', text: 'Which Okta org?' },
    element: {
      type: 'radio_buttons',
      action_id: INPUT.orgKind,
      options: [homeOption, otherOption],
      initial_option: kind === ORG_KIND.home ? homeOption : otherOption,
    },
  };
}

function homeOrgNote(home: HomeOrg, redirectUri: string): KnownBlock {
  return section(
    [
      `The OAuth app in the home org ${code(home.domain)} is already set up by the bot’s operator.`,
      `For reference, its sign-in redirect URI is ${code(redirectUri, URI_MAX)}`,
    ].join('\n'),
  );
}

function otherOrgSteps(redirectUri: string): KnownBlock {
  return section(
    [
      '*First create an OAuth app in that Okta org:*',
      '1. In the Admin Console go to *Applications → Applications → Create App Integration*, and choose *OIDC - OpenID Connect* and *Web Application*.',
      `2. *Sign-in redirect URI*: exactly ${code(redirectUri, URI_MAX)}`,
      '3. *Grant type*: *Authorization Code* and *Refresh Token* (without a refresh token the connection stops after an hour).',
      '4. *Assignments*: assign the super admins who will authorize the connection, now and when it needs reauthorizing.',
      `5. *Okta API Scopes* tab: grant the ${code('okta.*')} scopes you need.`,
      'Keep the *Client ID* from the General tab for the next step. You enter the client secret later on the bot’s own page, never in Slack.',
    ].join('\n'),
  );
}
