import { checkBlocks } from './blocks.ts';
import { Findings, isRecord, type Problem } from './findings.ts';
import { checkOptionList } from './options.ts';
import { LIMITS } from './rules.ts';

export interface ViewCheckOptions {
  /** Where the view sits in the request, for the JSON pointers. Default `/view`. */
  pointer?: string;
  /** `views.open`/`push` need a modal, `views.publish` a Home tab. Default: either. */
  expect?: 'modal' | 'home';
}

/**
 * Every way `view` breaks Slack's documented limits for a modal or Home tab view.
 * Pure: no I/O, so tests can assert a payload is within limits without the stand-in.
 */
export function validateView(view: unknown, options: ViewCheckOptions = {}): Problem[] {
  const ptr = options.pointer ?? '/view';
  const f = new Findings();
  if (!isRecord(view)) {
    f.error(ptr, 'must provide an object');
    return f.problems;
  }
  const allowed = options.expect ? [options.expect] : ['modal', 'home'];
  if (typeof view.type !== 'string' || !allowed.includes(view.type)) {
    f.error(`${ptr}/type`, `must be one of: ${allowed.join(', ')}`);
  }
  if (view.type === 'modal') checkModalChrome(f, view, ptr);
  f.string(view.private_metadata, `${ptr}/private_metadata`, { max: LIMITS.privateMetadata });
  f.string(view.callback_id, `${ptr}/callback_id`, { max: LIMITS.identifier });
  f.string(view.external_id, `${ptr}/external_id`, { max: LIMITS.identifier });
  checkBlocks(f, view.blocks, `${ptr}/blocks`, LIMITS.blocksPerView);
  return f.problems;
}

function checkModalChrome(f: Findings, view: Record<string, unknown>, ptr: string): void {
  const button = { max: LIMITS.modalButton, plainOnly: true };
  f.text(view.title, `${ptr}/title`, { max: LIMITS.modalTitle, required: true, plainOnly: true });
  f.text(view.close, `${ptr}/close`, button);
  f.text(view.submit, `${ptr}/submit`, button);
  const blocks = Array.isArray(view.blocks) ? view.blocks : [];
  const hasInput = blocks.some((b) => isRecord(b) && b.type === 'input');
  if (hasInput && view.submit === undefined) {
    f.error(`${ptr}/submit`, 'missing required field: a modal with input blocks needs submit');
  }
}

/**
 * Every way a `chat.postMessage` / `chat.postEphemeral` / `chat.update` argument set
 * breaks the documented limits. Only `blocks` has limits to check; text is free-form.
 */
export function validateMessage(args: unknown): Problem[] {
  const f = new Findings();
  if (!isRecord(args)) {
    f.error('', 'must provide an object');
    return f.problems;
  }
  if (args.blocks !== undefined) checkBlocks(f, args.blocks, '/blocks', LIMITS.blocksPerMessage);
  return f.problems;
}

/**
 * Every way an answer to a `block_suggestion` breaks Slack's limits: `options` or
 * `option_groups`, not both, at most 100 options in all (Slack: "a maximum of 100 options
 * or option groups"), and each option and group label within the usual lengths.
 */
export function validateOptionsAnswer(answer: unknown): Problem[] {
  const f = new Findings();
  if (!isRecord(answer)) {
    f.error('', 'must provide an object');
    return f.problems;
  }
  const found = checkOptionList(f, answer, '', { max: LIMITS.optionsPerList, groups: true });
  if (found.length > LIMITS.optionsPerList) {
    f.error(
      '',
      `must provide at most ${LIMITS.optionsPerList} options in all, got ${found.length}`,
    );
  }
  return f.problems;
}
