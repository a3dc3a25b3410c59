import type { RespondFn } from '@slack/bolt';
import { refusalMessage } from '../views/notices.ts';
import type { HandlerDeps } from './deps.ts';
import { replyTo } from './replyTo.ts';

/**
 * The permission check every command, button and submission goes through. A refusal
 * is audited with what was attempted, so a workspace can see who tried.
 */
export async function guard(
  deps: HandlerDeps,
  who: { teamId: string; userId: string },
  attempted: string,
): Promise<{ ok: true } | { ok: false; code: 'not_allowed' | 'role_unknown' }> {
  const result = await deps.checkPermission(who.userId);
  if (result.ok) return { ok: true };
  await deps.flows.audit.record({
    teamId: who.teamId,
    actor: who.userId,
    action: 'permission.refused',
    details: { attempted, reason: result.code },
  });
  deps.logger.info({ userId: who.userId, attempted, reason: result.code }, 'refused a non-admin');
  return result;
}

/**
 * The permission check of a click: a refusal is also answered to the person who clicked
 * (in the conversation, or by DM from the Home tab). Returns whether to go on.
 */
export async function allowClick(
  deps: HandlerDeps,
  who: { teamId: string; userId: string; body: unknown; respond: RespondFn | undefined },
  attempted: string,
): Promise<boolean> {
  const allowed = await guard(deps, who, attempted);
  if (!allowed.ok) await replyTo(deps, who, refusalMessage(allowed.code));
  return allowed.ok;
}
