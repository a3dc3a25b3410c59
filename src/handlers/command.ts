import type { Connection } from '../db/connectionsRepo.ts';
import { renameConnection } from '../flows/renameConnection.ts';
import { helpMessage } from '../views/helpMessage.ts';
import { notFoundMessage, refusalMessage, simpleNotice } from '../views/notices.ts';
import { renamedMessage, renameRefusedMessage, UNCHANGED_NICKNAME } from '../views/renameView.ts';
import { runApiKeyCommand } from './apiKeys.ts';
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

/**
 * `/okta-connect [new | list | test NAME | reauth NAME | scopes NAME | rename NAME [NEW] |
 * delete NAME | rotate-keypair NAME | apikey new NAME | apikey list | apikey revoke NAME | help]`.
 */
function parseCommandText(text: string): { word: string; name: string } {
  const [word = '', ...rest] = text.trim().split(/\s+/);
  return { word: word.toLowerCase(), name: rest.join(' ').trim() };
}

const NEEDS_NAME = new Set(['test', 'reauth', 'scopes', 'delete', 'rename', 'rotate-keypair']);

/**
 * `rename OLD NEW`: nicknames may hold spaces, so OLD is the longest run of leading words
 * that names a connection and NEW the rest (empty: the rename modal asks for it).
 */
async function splitRename(deps: HandlerDeps, teamId: string, text: string) {
  const words = text.split(' ');
  for (let count = words.length; count >= 1; count -= 1) {
    const connection = await deps.flows.connections.findByNickname(
      teamId,
      words.slice(0, count).join(' '),
    );
    if (connection) return { connection, newName: words.slice(count).join(' ') };
  }
  return null;
}

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
    const known =
      word === '' || word === 'new' || word === 'list' || word === 'apikey' || NEEDS_NAME.has(word);
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
    if (word === 'apikey') {
      await runApiKeyCommand(
        deps,
        client,
        { teamId, userId: command.user_id, triggerId: command.trigger_id, text: name },
        ack,
      );
      return;
    }
    if (word === 'list') {
      await ack(await listPage(deps, teamId, 1));
      return;
    }
    if (word === 'rename') {
      const target = await splitRename(deps, teamId, name);
      if (target?.newName) {
        await ack(await renameFromCommand(deps, teamId, command.user_id, target));
        return;
      }
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
      kind: word as 'reauth' | 'scopes' | 'delete' | 'rename',
      triggerId: command.trigger_id,
      connection,
    });
  });
}

async function renameFromCommand(
  deps: HandlerDeps,
  teamId: string,
  userId: string,
  target: { connection: Connection; newName: string },
) {
  const renamed = await renameConnection(deps.flows, deps.alerts, {
    teamId,
    actor: userId,
    connectionId: target.connection.id,
    nickname: target.newName,
  });
  if (!renamed.ok) {
    if (renamed.code === 'not_found') return notFoundMessage(target.connection.nickname);
    const reason = 'message' in renamed ? renamed.message : UNCHANGED_NICKNAME;
    return { response_type: 'ephemeral' as const, ...simpleNotice(renameRefusedMessage(reason)) };
  }
  deps.home.refresh(teamId);
  return {
    response_type: 'ephemeral' as const,
    ...simpleNotice(renamedMessage(renamed.previous, renamed.connection.nickname)),
  };
}
