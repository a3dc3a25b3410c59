import { incidentOf, raiseAlert } from '../flows/alerts.ts';
import { chooseScopes } from '../flows/chooseScopes.ts';
import { deleteConnection } from '../flows/deleteConnection.ts';
import { renameConnection } from '../flows/renameConnection.ts';
import { startReauthorization } from '../flows/startReauthorization.ts';
import { utcTime } from '../views/formatTime.ts';
import { ACTION, CALLBACK, INPUT } from '../views/ids.ts';
import { failureMessage } from '../views/messages.ts';
import { checkDmView, noticeView, refusalView, simpleNotice } from '../views/notices.ts';
import { renamedMessage, UNCHANGED_NICKNAME } from '../views/renameView.ts';
import type { HandlerDeps } from './deps.ts';
import { allowClick, guard } from './guard.ts';
import type { Listeners } from './listeners.ts';
import { listPage } from './listPage.ts';
import { type ConnectionModalKind, openConnectionModal } from './openConnectionModal.ts';
import { readClick, readSubmission, textValue } from './payloads.ts';
import { replyTo } from './replyTo.ts';
import { readScopeChoice } from './scopeChoice.ts';
import { sendSetupLink } from './sendSetupLink.ts';
import { createSubmissionMemory } from './submissionMemory.ts';
import { decodeConnectionRef } from './wizardState.ts';

const gone = () => ({
  response_action: 'update' as const,
  view: noticeView({
    title: 'Connection not found',
    text: 'This connection no longer exists in this workspace (it may have been deleted).',
    next: 'See `/okta-connect list`.',
  }),
});

const BUTTON_MODAL: Record<string, ConnectionModalKind> = {
  [ACTION.connReauth]: 'reauth',
  [ACTION.connScopes]: 'scopes',
  [ACTION.connDelete]: 'delete',
  [ACTION.connRename]: 'rename',
};

/** Reauthorize, edit scopes, rename, delete, and the list's buttons and pages (design §1 step 8). */
export function registerManageConnections(app: Listeners, deps: HandlerDeps): void {
  const rememberSubmission = createSubmissionMemory(deps.flows);

  /**
   * The common start of a submission about one connection (reauthorize, edit scopes,
   * delete): the payload read, a repeat answered as before, the permission checked.
   * Returns the answer to give at once, or what the rest of the handler needs.
   */
  async function openSubmission(body: unknown, attempted: string) {
    const submitted = readSubmission(body);
    const connectionId = submitted ? decodeConnectionRef(submitted.view.private_metadata) : null;
    if (!submitted || !connectionId) return { answer: gone() } as const;
    const { teamId, userId } = submitted;
    const replay = await rememberSubmission(submitted.view.id);
    if (replay.seen) return { answer: replay.response ?? undefined } as const;
    const allowed = await guard(deps, { teamId, userId }, attempted);
    if (!allowed.ok) {
      return { answer: await replay.settle(refusalView(allowed.code)) } as const;
    }
    return { teamId, connectionId, userId, replay, values: submitted.view.state.values } as const;
  }
  const { settings } = deps.flows;

  for (const [actionId, kind] of Object.entries(BUTTON_MODAL)) {
    app.action(actionId, async ({ ack, body, client, respond }) => {
      await ack();
      const click = readClick(body);
      const triggerId = click?.data.trigger_id;
      if (!click || !triggerId) return;
      const { teamId, userId } = click;
      const who = { userId, body, respond };
      if (!(await allowClick(deps, { teamId, ...who }, `button ${kind}`))) return;
      const connection = await deps.flows.connections.findById(
        teamId,
        click.data.actions[0]?.value ?? '',
      );
      if (!connection) {
        await replyTo(deps, who, simpleNotice(failureMessage('connection_gone')));
        return;
      }
      await openConnectionModal(deps, client, { kind, triggerId, connection });
    });
  }

  app.action(ACTION.listPage, async ({ ack, body, respond }) => {
    await ack();
    const click = readClick(body);
    if (!click) return;
    const allowed = await guard(deps, click, 'list page');
    if (!allowed.ok) return;
    const page = Number.parseInt(click.data.actions[0]?.value ?? '1', 10);
    await respond({ replace_original: true, ...(await listPage(deps, click.teamId, page)) });
  });

  for (const [callbackId, editing] of [
    [CALLBACK.reauthScopes, false],
    [CALLBACK.editScopes, true],
  ] as const) {
    app.view(callbackId, async ({ ack, body }) => {
      const opened = await openSubmission(body, editing ? 'edit scopes' : 'reauthorize');
      if ('answer' in opened) return await ack(opened.answer);
      const { teamId, connectionId, userId, replay, values } = opened;
      const scopes = chooseScopes(readScopeChoice(values), settings.defaultScopes);
      if (!scopes.ok)
        return ack(
          await replay.forget({ response_action: 'errors' as const, errors: scopes.errors }),
        );
      const started = await startReauthorization(deps.flows, {
        teamId,
        actor: userId,
        connectionId,
        scopes: { scopeMode: scopes.mode, requestedScopes: scopes.scopes },
        editing,
      });
      if (!started.ok) {
        if (started.code === 'in_progress') {
          return await ack(
            await replay.settle({
              response_action: 'update',
              view: noticeView({
                title: 'Already being reauthorized',
                text: `Another admin (${started.by}) is reauthorizing this connection right now; their link is open until ${utcTime(started.until)}.`,
                next: 'Wait for them to finish (or for the link to expire), then check `/okta-connect list`.',
              }),
            }),
          );
        }
        return ack(await replay.settle(gone()));
      }
      const { link } = started;
      await ack(
        await replay.settle({
          response_action: 'update',
          view: checkDmView({ nickname: link.connection.nickname, purpose: 'reauthorize' }),
        }),
      );
      if (editing) {
        // The connection stops being refreshed until reauthorized: its channel hears why.
        const incident = incidentOf(link.connection);
        if (incident) await raiseAlert(deps.flows, deps.alerts, link.connection, incident);
        deps.home.refresh(teamId);
      }
      await sendSetupLink(deps, userId, link, 'reauthorize', scopes.unknown);
    });
  }

  app.view(CALLBACK.rename, async ({ ack, body }) => {
    const opened = await openSubmission(body, 'rename');
    if ('answer' in opened) return await ack(opened.answer);
    const { teamId, connectionId, userId, replay, values } = opened;
    const renamed = await renameConnection(deps.flows, deps.alerts, {
      teamId,
      actor: userId,
      connectionId,
      nickname: textValue(values, INPUT.newNickname),
    });
    if (!renamed.ok) {
      if (renamed.code === 'not_found') return ack(await replay.settle(gone()));
      const error = 'message' in renamed ? renamed.message : UNCHANGED_NICKNAME;
      return ack(
        await replay.forget({
          response_action: 'errors' as const,
          errors: { [INPUT.newNickname]: error },
        }),
      );
    }
    await ack(
      await replay.settle({
        response_action: 'update',
        view: noticeView(renamedMessage(renamed.previous, renamed.connection.nickname)),
      }),
    );
    deps.home.refresh(teamId);
  });

  app.view(CALLBACK.deleteConfirm, async ({ ack, body }) => {
    const opened = await openSubmission(body, 'delete');
    if ('answer' in opened) return await ack(opened.answer);
    const { teamId, connectionId, userId, replay } = opened;
    if (!(await deps.flows.connections.findById(teamId, connectionId)))
      return ack(await replay.settle(gone()));
    // Revoking at Okta can take longer than Slack's 3 seconds: answer first, report by DM.
    await ack(
      await replay.settle({
        response_action: 'update',
        view: noticeView({
          title: 'Deleting',
          text: 'The bot is revoking the tokens at Okta, then erasing the stored secret and tokens.',
          next: 'The result arrives in your DM in a moment.',
        }),
      }),
    );
    const outcome = await deleteConnection(deps.flows, { teamId, actor: userId, connectionId });
    if (outcome.ok) deps.home.refresh(teamId);
    await deps.notifier.dm(
      userId,
      simpleNotice(
        outcome.ok
          ? {
              title: `Deleted ${outcome.nickname}`,
              text: `Its tokens were revoked at Okta (${outcome.revoked} revoked) and the stored secret and tokens were erased.`,
              next: 'Workflows that used it stop working; create a new connection with `/okta-connect new` if needed.',
            }
          : outcome.code === 'not_found'
            ? failureMessage('connection_gone')
            : {
                title: `${outcome.nickname} was not deleted`,
                text: `Okta could not be asked to revoke its tokens (${outcome.reason}), so nothing was erased: a token left valid at Okta is worse than a connection kept.`,
                next: 'Try again in a few minutes.',
              },
      ),
    );
  });
}
