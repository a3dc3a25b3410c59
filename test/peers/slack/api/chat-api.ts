import { z } from 'zod';
import { validateMessage } from '../limits/validate.ts';
import { type MethodContext, type MethodHandler, refuseBrokenLimits } from './state.ts';
import { type ApiReply, failure, parseArgs, success } from './types.ts';

const content = {
  text: z.string().optional(),
  blocks: z.array(z.unknown()).optional(),
  attachments: z.array(z.unknown()).optional(),
};
const PostArgs = z.object({ channel: z.string(), thread_ts: z.string().optional(), ...content });
const EphemeralArgs = z.object({ channel: z.string(), user: z.string(), ...content });
const UpdateArgs = z.object({ channel: z.string(), ts: z.string(), ...content });

type Content = {
  text?: string | undefined;
  blocks?: unknown[] | undefined;
  attachments?: unknown[] | undefined;
};

/** `blocks` that are not a JSON array get their own error, before any other check. */
function malformedBlocks(args: Record<string, unknown>): ApiReply | undefined {
  return args.blocks !== undefined && !Array.isArray(args.blocks)
    ? failure('invalid_blocks_format')
    : undefined;
}

function checkContent(data: Content, ctx: MethodContext): ApiReply | undefined {
  const broken = refuseBrokenLimits(validateMessage(data), ctx, 'invalid_blocks');
  if (broken) return broken;
  if (!data.text && !data.blocks?.length && !data.attachments?.length) return failure('no_text');
  return undefined;
}

const postMessage: MethodHandler = (args, ctx) => {
  const malformed = malformedBlocks(args);
  if (malformed) return malformed;
  const parsed = parseArgs(PostArgs, args);
  if (!parsed.ok) return parsed.reply;
  const data = parsed.data;
  const { state } = ctx;
  const target = state.directory.resolve(data.channel);
  if (!target.ok) return failure(target.error);
  const refused = checkContent(data, ctx);
  if (refused) return refused;
  const ts = state.ids.messageTs();
  state.messages.add({
    channel: target.id,
    ts,
    text: data.text,
    blocks: data.blocks,
    threadTs: data.thread_ts,
    edits: 0,
    history: [args],
  });
  return success({ channel: target.id, ts, message: botMessage(ctx, ts, data) });
};

const postEphemeral: MethodHandler = (args, ctx) => {
  const malformed = malformedBlocks(args);
  if (malformed) return malformed;
  const parsed = parseArgs(EphemeralArgs, args);
  if (!parsed.ok) return parsed.reply;
  const data = parsed.data;
  const { directory, ids, messages } = ctx.state;
  const target = directory.resolve(data.channel);
  if (!target.ok) return failure(target.error);
  if (!directory.user(data.user)) return failure('user_not_found');
  const members = target.channel?.userIds;
  const inIm = target.kind === 'im' && directory.imUser(target.id) === data.user;
  if ((members && !members.includes(data.user)) || (target.kind === 'im' && !inIm)) {
    return failure('user_not_in_channel');
  }
  const refused = checkContent(data, ctx);
  if (refused) return refused;
  const messageTs = ids.messageTs();
  messages.addEphemeral({
    channel: target.id,
    user: data.user,
    messageTs,
    text: data.text,
    blocks: data.blocks,
  });
  return success({ message_ts: messageTs });
};

const update: MethodHandler = (args, ctx) => {
  const malformed = malformedBlocks(args);
  if (malformed) return malformed;
  const parsed = parseArgs(UpdateArgs, args);
  if (!parsed.ok) return parsed.reply;
  const data = parsed.data;
  const target = ctx.state.directory.resolve(data.channel);
  if (!target.ok) return failure(target.error);
  const message = ctx.state.messages.get(target.id, data.ts);
  if (!message) return failure('message_not_found');
  const refused = checkContent(data, ctx);
  if (refused) return refused;
  // chat.update replaces only the fields it is given.
  if (data.text !== undefined) message.text = data.text;
  if (data.blocks !== undefined) message.blocks = data.blocks;
  message.edits += 1;
  message.history.push(args);
  const current = { text: message.text, blocks: message.blocks };
  return success({
    channel: target.id,
    ts: data.ts,
    text: message.text ?? '',
    message: botMessage(ctx, data.ts, current),
  });
};

function botMessage(ctx: MethodContext, ts: string, data: Content): Record<string, unknown> {
  const { identity } = ctx.state;
  return {
    type: 'message',
    user: identity.botUserId,
    bot_id: identity.botId,
    app_id: identity.appId,
    team: identity.teamId,
    text: data.text ?? '',
    ...(data.blocks ? { blocks: data.blocks } : {}),
    ts,
  };
}

export const chatMethods: Record<string, MethodHandler> = {
  'chat.postMessage': postMessage,
  'chat.postEphemeral': postEphemeral,
  'chat.update': update,
};
