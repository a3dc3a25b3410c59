import { isRecord } from '../limits/findings.ts';
import type { IdFactory } from './ids.ts';

/** A view as Slack stores and reports it: in API replies and interaction payloads. */
export type ViewOutput = {
  id: string;
  team_id: string;
  type: string;
  hash: string;
  callback_id: string;
  private_metadata: string;
  external_id: string;
  blocks: unknown[];
  state: { values: Record<string, unknown> };
  root_view_id: string | null;
  previous_view_id: string | null;
} & Record<string, unknown>;

export interface AppIds {
  teamId: string;
  appId: string;
  botId: string;
}

interface Placement {
  id: string;
  rootId: string | null;
  previousId: string | null;
}

/** Turns the view the bot sent into what Slack keeps: ids, hash and defaults filled in. */
export function toViewOutput(
  spec: Record<string, unknown>,
  place: Placement,
  app: AppIds,
  ids: IdFactory,
): ViewOutput {
  const output: ViewOutput = {
    id: place.id,
    team_id: app.teamId,
    type: String(spec.type),
    blocks: withGeneratedIds(spec.blocks, ids),
    private_metadata: typeof spec.private_metadata === 'string' ? spec.private_metadata : '',
    callback_id: typeof spec.callback_id === 'string' ? spec.callback_id : '',
    state: { values: {} },
    hash: ids.viewHash(),
    clear_on_close: spec.clear_on_close === true,
    notify_on_close: spec.notify_on_close === true,
    close: spec.close ?? null,
    submit: spec.submit ?? null,
    previous_view_id: place.previousId,
    root_view_id: place.rootId,
    app_id: app.appId,
    external_id: typeof spec.external_id === 'string' ? spec.external_id : '',
    app_installed_team_id: app.teamId,
    bot_id: app.botId,
  };
  if (spec.title !== undefined) output.title = spec.title;
  return output;
}

/**
 * Slack gives every block a `block_id` and every interactive element an `action_id` when
 * the app leaves them out; submissions are keyed by them. Blocks are copied, never mutated.
 */
function withGeneratedIds(blocks: unknown, ids: IdFactory): unknown[] {
  if (!Array.isArray(blocks)) return [];
  return blocks.map((block) => {
    if (!isRecord(block)) return block;
    const copy: Record<string, unknown> = { ...block };
    if (typeof copy.block_id !== 'string') copy.block_id = ids.shortId();
    if (isRecord(copy.element)) copy.element = withActionId(copy.element, ids);
    if (isRecord(copy.accessory)) copy.accessory = withActionId(copy.accessory, ids);
    if (Array.isArray(copy.elements) && copy.type === 'actions') {
      copy.elements = copy.elements.map((e) => (isRecord(e) ? withActionId(e, ids) : e));
    }
    return copy;
  });
}

function withActionId(element: Record<string, unknown>, ids: IdFactory): Record<string, unknown> {
  if (typeof element.action_id === 'string' || element.type === 'image') return element;
  return { ...element, action_id: ids.shortId() };
}
