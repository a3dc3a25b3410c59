import { errorsOnly, isRecord, type Problem } from '../limits/findings.ts';
import { validateView } from '../limits/validate.ts';
import type { ViewOutput } from './view-output.ts';
import type { ViewStore } from './view-store.ts';

/** What the user sees after the bot answers a view_submission. */
export type ViewResponseOutcome =
  | { kind: 'closed' }
  | { kind: 'cleared' }
  | { kind: 'updated'; view: ViewOutput }
  | { kind: 'pushed'; view: ViewOutput }
  | { kind: 'errors'; errors: Record<string, string> }
  /** Slack would show "We had some trouble connecting" and keep the modal as it was. */
  | { kind: 'rejected'; reason: string; problems?: Problem[] };

export interface ReceiverAnswer {
  status: number;
  text: string;
  body: unknown;
}

/**
 * Applies the bot's answer to a view_submission for view `viewId` the way Slack does:
 * an empty 200 closes the view, `response_action` updates, pushes, clears or shows errors.
 */
export function applyViewResponse(
  views: ViewStore,
  viewId: string,
  answer: ReceiverAnswer,
): ViewResponseOutcome {
  const current = views.get(viewId);
  if (!current?.open) return { kind: 'rejected', reason: `view ${viewId} is not open` };
  if (answer.status !== 200)
    return { kind: 'rejected', reason: `the app answered HTTP ${answer.status}` };
  if (answer.text.trim() === '') return close(views, viewId);
  if (!isRecord(answer.body))
    return { kind: 'rejected', reason: 'the answer is not a JSON object' };
  const body = answer.body;
  switch (body.response_action) {
    case undefined:
      return close(views, viewId);
    case 'clear':
      views.clear(viewId);
      return { kind: 'cleared' };
    case 'errors':
      return showErrors(views, viewId, body.errors);
    case 'update':
    case 'push':
      return replaceOrPush(views, viewId, body.response_action, body.view);
    default:
      return {
        kind: 'rejected',
        reason: `unknown response_action ${String(body.response_action)}`,
      };
  }
}

function close(views: ViewStore, viewId: string): ViewResponseOutcome {
  views.close(viewId);
  return { kind: 'closed' };
}

function showErrors(views: ViewStore, viewId: string, errors: unknown): ViewResponseOutcome {
  const stored = views.get(viewId);
  if (!stored || !isRecord(errors)) return { kind: 'rejected', reason: 'errors must be an object' };
  const inputs = new Set<unknown>();
  for (const b of stored.view.blocks) if (isRecord(b) && b.type === 'input') inputs.add(b.block_id);
  const stray = Object.keys(errors).filter((id) => !inputs.has(id));
  if (stray.length > 0) {
    return {
      kind: 'rejected',
      reason: `errors name blocks that are not inputs: ${stray.join(', ')}`,
    };
  }
  const shown = Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, String(v)]));
  stored.errors = shown;
  return { kind: 'errors', errors: shown };
}

function replaceOrPush(
  views: ViewStore,
  viewId: string,
  action: 'update' | 'push',
  spec: unknown,
): ViewResponseOutcome {
  const problems = validateView(spec, { expect: 'modal' });
  if (errorsOnly(problems).length > 0 || !isRecord(spec)) {
    return { kind: 'rejected', reason: `the ${action} view breaks Slack's limits`, problems };
  }
  const stored = views.get(viewId);
  if (!stored) return { kind: 'rejected', reason: `view ${viewId} is gone` };
  const result =
    action === 'update'
      ? views.update(stored, spec, undefined)
      : views.push(spec, viewId, stored.userId);
  if (!result.ok) return { kind: 'rejected', reason: result.error };
  return action === 'update'
    ? { kind: 'updated', view: result.stored.view }
    : { kind: 'pushed', view: result.stored.view };
}
