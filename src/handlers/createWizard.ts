import { checkOrgAnswers } from '../flows/checkOrgAnswers.ts';
import { chooseScopes } from '../flows/chooseScopes.ts';
import { startConnection } from '../flows/startConnection.ts';
import { carriedDetailsHold, validateDetails } from '../flows/validateDetails.ts';
import { detailsStepView } from '../views/detailsStep.ts';
import { ACTION, CALLBACK, CLIENT_AUTH, INPUT, PREREQ } from '../views/ids.ts';
import { checkDmView, noticeView, refusalView } from '../views/notices.ts';
import { orgRefusalText, orgUncheckedNote } from '../views/oktaChecks.ts';
import { orgStepJson } from '../views/orgStep.ts';
import { permissionsStepView } from '../views/permissionsStep.ts';
import type { HandlerDeps } from './deps.ts';
import { guard } from './guard.ts';
import type { Listeners } from './listeners.ts';
import {
  blockActionsBody,
  conversationId,
  conversationValue,
  optionValue,
  optionValues,
  readSubmission,
  textValue,
} from './payloads.ts';
import { readScopeChoice } from './scopeChoice.ts';
import { sendSetupLink } from './sendSetupLink.ts';
import { createSubmissionMemory } from './submissionMemory.ts';
import { decodeWizard, encodeWizard, type WizardState } from './wizardState.ts';

const ALL_PREREQS = Object.values(PREREQ);

const restart = () => ({
  response_action: 'update' as const,
  view: noticeView({
    title: 'Start again',
    text: 'This form lost its place (it may be from an older version of the bot).',
    next: 'Close it and run `/okta-connect` again.',
  }),
});

/**
 * The create wizard (design §5): target org and prerequisites → details → permissions →
 * a pending connection and a DM with the setup link. Each step re-checks permission; field
 * problems come back as inline errors and nothing typed is lost.
 */
export function registerCreateWizard(app: Listeners, deps: HandlerDeps): void {
  const rememberSubmission = createSubmissionMemory(deps.flows);
  const { settings } = deps.flows;

  /**
   * The common start of the first two steps: the payload and the wizard's state read
   * (a damaged one restarts), the permission checked. Returns the answer to give at
   * once, or what the step needs.
   */
  async function openStep(body: unknown, attempted: string) {
    const submitted = readSubmission(body);
    const state = submitted ? decodeWizard(submitted.view.private_metadata) : null;
    if (!submitted || !state) return { answer: restart() } as const;
    const { teamId, userId } = submitted;
    const allowed = await guard(deps, { teamId, userId }, attempted);
    if (!allowed.ok) return { answer: refusalView(allowed.code) } as const;
    return { state, teamId, values: submitted.view.state.values } as const;
  }

  app.action(INPUT.orgKind, async ({ ack, body, client }) => {
    await ack();
    const parsed = blockActionsBody.safeParse(body);
    if (!parsed.success || !parsed.data.view) return;
    const { view, actions } = parsed.data;
    const state = decodeWizard(view.private_metadata);
    const chosen =
      actions[0]?.selected_option?.value === 'home' && settings.home ? 'home' : 'other';
    if (!state) return;
    const next: WizardState = { ...state, orgKind: chosen };
    await client.apiCall('views.update', {
      view_id: view.id,
      ...(view.hash ? { hash: view.hash } : {}),
      view: orgStepJson({
        home: settings.home,
        orgKind: chosen,
        redirectUri: settings.redirectUri,
        metadata: encodeWizard(next),
      }),
    });
  });

  app.view(CALLBACK.connectOrg, async ({ ack, body }) => {
    const step = await openStep(body, 'create: org step');
    if ('answer' in step) return ack(step.answer);
    const { state, values } = step;
    const ticked = optionValues(values, INPUT.prereqs);
    if (!ALL_PREREQS.every((prereq) => ticked.includes(prereq))) {
      return ack({
        response_action: 'errors',
        errors: {
          [INPUT.prereqs]:
            'Tick all three: the sign-in only works when they hold. Fix what is missing in Okta first.',
        },
      });
    }
    const chosen = optionValue(values, INPUT.orgKind);
    const orgKind = settings.home && (chosen ?? state.orgKind) === 'home' ? 'home' : 'other';
    const channelId = settings.notifyChannel ?? conversationId(state.channelId);
    const next: WizardState = { ...state, orgKind };
    await ack({
      response_action: 'push',
      view: detailsStepView({
        orgKind,
        home: settings.home,
        initial: {
          ...(state.nickname ? { nickname: state.nickname } : {}),
          ...(state.domain ? { domain: state.domain } : {}),
          clientId: state.clientId ?? (orgKind === 'home' ? (settings.home?.clientId ?? '') : ''),
          ...(channelId ? { channelId } : {}),
          ...(state.clientAuth ? { clientAuth: state.clientAuth } : {}),
        },
        metadata: encodeWizard(next),
      }),
    });
  });

  app.view(CALLBACK.connectDetails, async ({ ack, body }) => {
    const step = await openStep(body, 'create: details step');
    if ('answer' in step) return ack(step.answer);
    const { state, teamId, values } = step;
    const details = await validateDetails(deps.flows, {
      teamId,
      orgKind: state.orgKind,
      nickname: textValue(values, INPUT.nickname),
      domain: textValue(values, INPUT.domain),
      clientId: textValue(values, INPUT.clientId),
    });
    if (!details.ok) return ack({ response_action: 'errors', errors: details.errors });
    const org = details.typedDomain ? await checkOrgAnswers(deps.flows, details.domain) : null;
    if (org?.kind === 'refused') {
      return ack({
        response_action: 'errors',
        errors: { [INPUT.domain]: orgRefusalText(details.domain, org.reason) },
      });
    }
    const notes =
      org?.kind === 'unchecked'
        ? [...details.notes, orgUncheckedNote(details.domain, org.reason)]
        : details.notes;
    const notifyChannel =
      conversationValue(values, INPUT.notifyChannel) ??
      settings.notifyChannel ??
      conversationId(state.channelId);
    const next: WizardState = {
      ...state,
      nickname: details.nickname,
      domain: details.domain,
      clientId: details.clientId,
      clientAuth:
        optionValue(values, INPUT.clientAuth) === CLIENT_AUTH.keyPair
          ? CLIENT_AUTH.keyPair
          : CLIENT_AUTH.secret,
      notifyChannel,
      notes,
    };
    await ack({
      response_action: 'push',
      view: permissionsStepView({
        purpose: 'create',
        nickname: details.nickname,
        domain: details.domain,
        mode: 'default',
        defaultScopes: settings.defaultScopes,
        selected: settings.defaultScopes,
        notes,
        metadata: encodeWizard(next),
      }),
    });
  });

  app.view(CALLBACK.connectScopes, async ({ ack, body }) => {
    const submitted = readSubmission(body);
    const state = submitted ? decodeWizard(submitted.view.private_metadata) : null;
    if (
      !submitted ||
      !state?.nickname ||
      !state.domain ||
      !state.clientId ||
      !carriedDetailsHold(deps.flows, {
        orgKind: state.orgKind,
        nickname: state.nickname,
        domain: state.domain,
        clientId: state.clientId,
      })
    ) {
      return ack(restart());
    }
    const { teamId, userId } = submitted;
    // Slack may deliver one submission twice (a retry after a slow answer): the second
    // gets the first one's answer, so there is one connection and one DM.
    const replay = await rememberSubmission(submitted.view.id);
    if (replay.seen) return ack(replay.response ?? undefined);
    const allowed = await guard(deps, { teamId, userId }, 'create: permissions step');
    if (!allowed.ok) return ack(await replay.settle(refusalView(allowed.code)));
    const values = submitted.view.state.values;
    const scopes = chooseScopes(readScopeChoice(values), settings.defaultScopes);
    if (!scopes.ok)
      return ack(
        await replay.forget({ response_action: 'errors' as const, errors: scopes.errors }),
      );
    const started = await startConnection(deps.flows, {
      teamId,
      actor: userId,
      orgKind: state.orgKind,
      nickname: state.nickname,
      domain: state.domain,
      clientId: state.clientId,
      clientAuth: state.clientAuth ?? CLIENT_AUTH.secret,
      notifyChannel: conversationId(state.notifyChannel),
      scopeMode: scopes.mode,
      scopes: scopes.scopes,
    });
    if (!started.ok) {
      return ack(
        await replay.forget({
          response_action: 'errors' as const,
          errors: {
            [INPUT.scopeMode]: `The nickname “${state.nickname}” was just taken by another connection. Go back and pick another.`,
          },
        }),
      );
    }
    await ack(
      await replay.settle({
        response_action: 'update',
        view: checkDmView({ nickname: state.nickname, purpose: 'create' }),
      }),
    );
    const { link } = started;
    deps.home.refresh(teamId);
    await sendSetupLink(deps, userId, link, 'create', scopes.unknown);
  });

  // The link button opens the browser; Slack still sends the click, which needs an ack.
  app.action(ACTION.openSetupLink, async ({ ack }) => {
    await ack();
  });
}
