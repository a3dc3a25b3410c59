import { z } from 'zod';
import { validateView } from '../limits/validate.ts';
import { type MethodContext, type MethodHandler, refuseBrokenLimits } from './state.ts';
import {
  type ApiReply,
  type Args,
  failure,
  invalidArguments,
  parseArgs,
  success,
} from './types.ts';
import type { ViewResult } from './view-store.ts';

const view = z.record(z.string(), z.unknown());
const OpenArgs = z.object({ trigger_id: z.string(), view });
const UpdateArgs = z.object({
  view,
  view_id: z.string().optional(),
  external_id: z.string().optional(),
  hash: z.string().optional(),
});
const PublishArgs = z.object({ user_id: z.string(), view, hash: z.string().optional() });

function reply(result: ViewResult): ApiReply {
  return result.ok ? success({ view: result.stored.view }) : failure(result.error);
}

const open: MethodHandler = (args, ctx) => {
  const parsed = parseArgs(OpenArgs, args);
  if (!parsed.ok) return parsed.reply;
  const broken = checkView(parsed.data.view, 'modal', ctx);
  if (broken) return broken;
  const trigger = ctx.state.triggers.exchange(parsed.data.trigger_id);
  if (!trigger.ok) return failure(trigger.error);
  return reply(ctx.state.views.open(parsed.data.view, trigger.trigger.userId));
};

const push: MethodHandler = (args, ctx) => {
  const parsed = parseArgs(OpenArgs, args);
  if (!parsed.ok) return parsed.reply;
  const broken = checkView(parsed.data.view, 'modal', ctx);
  if (broken) return broken;
  const trigger = ctx.state.triggers.exchange(parsed.data.trigger_id);
  if (!trigger.ok) return failure(trigger.error);
  const { viewId, userId } = trigger.trigger;
  return reply(ctx.state.views.push(parsed.data.view, viewId, userId));
};

const update: MethodHandler = (args, ctx) => {
  const parsed = parseArgs(UpdateArgs, args);
  if (!parsed.ok) return parsed.reply;
  const { view_id: viewId, external_id: externalId, hash } = parsed.data;
  if (viewId === undefined && externalId === undefined) {
    return invalidArguments(['[ERROR] either view_id or external_id is required']);
  }
  const existing = ctx.state.views.find({ viewId, externalId });
  if (!existing) return failure('not_found');
  const expect = existing.view.type === 'home' ? 'home' : 'modal';
  const broken = checkView(parsed.data.view, expect, ctx);
  if (broken) return broken;
  return reply(ctx.state.views.update(existing, parsed.data.view, hash));
};

const publish: MethodHandler = (args, ctx) => {
  const parsed = parseArgs(PublishArgs, args);
  if (!parsed.ok) return parsed.reply;
  if (!ctx.state.directory.user(parsed.data.user_id))
    return invalidArguments(['invalid `user_id`']);
  const broken = checkView(parsed.data.view, 'home', ctx);
  if (broken) return broken;
  return reply(ctx.state.views.publish(parsed.data.user_id, parsed.data.view, parsed.data.hash));
};

function checkView(spec: Args, expect: 'modal' | 'home', ctx: MethodContext): ApiReply | undefined {
  return refuseBrokenLimits(validateView(spec, { expect }), ctx, 'invalid_arguments');
}

export const viewMethods: Record<string, MethodHandler> = {
  'views.open': open,
  'views.push': push,
  'views.update': update,
  'views.publish': publish,
};
