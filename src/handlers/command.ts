import { helpMessage } from '../views/helpMessage.ts';
import { notFoundMessage, refusalMessage } from '../views/notices.ts';
import { runConnectionTest, testingMessage } from './connectionTest.ts';
import type { HandlerDeps } from './deps.ts';
import { guard } from './guard.ts';
import { keyRotationStart } from './keyRotation.ts';
import type { Listeners } from './listeners.ts';
import { listPage } from './listPage.ts';
import { openConnectionModal } from './openConnectionModal.ts';
import { openCreateWizard } from './openCreateWizard.ts';
import { commandTeamKey, slashCommandBody } from './payloads.ts';

export const COMMAND = '/okta-connect';

/** `/okta-connect [new | list | test NAME | reauth NAME | scopes NAME | delete NAME | rotate-keypair NAME | help]`. */
function parseCommandText(text: string): { word: string; name: string } {
  const [word = '', ...rest] = text.trim().split(/\s+/);
  return { word: word.toLowerCase(), name: rest.join(' ').trim() };
}

const NEEDS_NAME = new Set(['test', 'reauth', 'scopes', 'delete', 'rotate-keypair']);

export function registerCommand(app: Listeners, deps: HandlerDeps): void {
  app.command(COMMAND, async ({ ack, body, client, respond }) => {
    const parsed = slashCommandBody.safeParse(body);
    if (!parsed.success) {
      await ack(helpMessage());
      return;
    }
    const command = parsed.data;
    const teamId = commandTeamKey(command);
    const { word, name } = parseCommandText(command.text);
    const known = word === '' || word === 'new' || word === 'list' || NEEDS_NAME.has(word);
    if (!known || (NEEDS_NAME.has(word) && name === '')) {
      await ack(helpMessage());
      return;
    }
    const allowed = await guard(
      deps,
      { teamId, userId: command.user_id },
      `command ${word || 'new'}`,
    );
    if (!allowed.ok) {
      await ack(refusalMessage(allowed.code));
      return;
    }

    if (word === '' || word === 'new') {
      await ack();
      await openCreateWizard(deps, client, {
        triggerId: command.trigger_id,
        channelId: command.channel_id,
      });
      return;
    }
    if (word === 'list') {
      await ack(listPage(deps, teamId, 1));
      return;
    }
    const connection = await deps.flows.connections.findByNickname(teamId, name);
    if (!connection) {
      await ack(notFoundMessage(name));
      return;
    }
    if (word === 'test') {
      await ack({ response_type: 'ephemeral', ...testingMessage(connection.nickname) });
      await runConnectionTest(
        deps,
        { teamId, userId: command.user_id, connectionId: connection.id },
        async (message) => {
          await respond({ response_type: 'ephemeral', ...message });
        },
      );
      return;
    }
    if (word === 'rotate-keypair') {
      const target = { teamId, actor: command.user_id, connectionId: connection.id };
      await ack({ response_type: 'ephemeral', ...(await keyRotationStart(deps, target)) });
      return;
    }
    await ack();
    await openConnectionModal(deps, client, {
      kind: word as 'reauth' | 'scopes' | 'delete',
      triggerId: command.trigger_id,
      connection,
    });
  });
}
