import type { Connection } from '../../db/connectionsRepo.ts';
import { type ApiNeed, missingRights } from '../../flows/apiKeyAccess.ts';
import { type ApiCall, type ApiOutcome, errorReply } from './apiEndpoint.ts';

/**
 * 403 `key_not_allowed` naming what the key lacks (the connection, the action or both)
 * when it may not make this call on this connection; null when it may.
 */
export function refusedByKey(
  call: ApiCall,
  need: ApiNeed,
  connection: Connection,
): ApiOutcome | null {
  const missing = missingRights(call.key, need, connection.id);
  if (!missing) return null;
  return {
    reply: errorReply(403, 'key_not_allowed', {
      missing: {
        ...(missing.connection ? { connection: connection.nickname } : {}),
        ...(missing.action ? { action: missing.action } : {}),
      },
    }),
    teamId: connection.teamId,
    connectionId: connection.id,
    details: {
      refused: 'key_not_allowed',
      missingConnection: missing.connection,
      missingAction: missing.action,
    },
  };
}
