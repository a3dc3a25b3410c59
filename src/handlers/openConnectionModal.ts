import type { App } from '@slack/bolt';
import type { Connection } from '../db/connectionsRepo.ts';
import { deleteConfirmView } from '../views/deleteConfirm.ts';
import { permissionsStepView } from '../views/permissionsStep.ts';
import { renameView } from '../views/renameView.ts';
import type { HandlerDeps } from './deps.ts';
import { encodeConnectionRef } from './wizardState.ts';

export type ConnectionModalKind = 'reauth' | 'scopes' | 'delete' | 'rename';

/**
 * The modal for one connection: reauthorize (current scopes preselected and inherited
 * unless changed), edit scopes, rename, or the delete confirmation.
 */
export async function openConnectionModal(
  deps: HandlerDeps,
  client: App['client'],
  input: { kind: ConnectionModalKind; triggerId: string; connection: Connection },
): Promise<void> {
  const { connection } = input;
  const metadata = encodeConnectionRef(connection.id);
  const view =
    input.kind === 'delete'
      ? deleteConfirmView({ connection, metadata })
      : input.kind === 'rename'
        ? renameView({ connection, metadata })
        : permissionsStepView({
            purpose: input.kind === 'reauth' ? 'reauthorize' : 'edit_scopes',
            nickname: connection.nickname,
            domain: connection.domain,
            mode: connection.scopeMode,
            defaultScopes: deps.flows.settings.defaultScopes,
            selected: connection.requestedScopes,
            inherited: input.kind === 'reauth',
            metadata,
          });
  await client.views.open({ trigger_id: input.triggerId, view });
}
