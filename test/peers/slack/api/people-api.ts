import { z } from 'zod';
import type { PeerUser } from './directory.ts';
import type { MethodHandler, PeerIdentity } from './state.ts';
import { failure, parseArgs, success } from './types.ts';

const UsersInfoArgs = z.object({ user: z.string() });
const OpenArgs = z.object({
  users: z.union([z.string(), z.array(z.string())]).optional(),
  channel: z.string().optional(),
  return_im: z.union([z.boolean(), z.enum(['true', 'false', '1', '0'])]).optional(),
});

const authTest: MethodHandler = (_args, { state }) => {
  const { identity } = state;
  return success({
    url: `https://${identity.teamDomain}.slack.com/`,
    team: identity.teamDomain,
    user: 'okta-connect',
    team_id: identity.teamId,
    user_id: identity.botUserId,
    bot_id: identity.botId,
    ...(identity.enterpriseId ? { enterprise_id: identity.enterpriseId } : {}),
    is_enterprise_install: false,
  });
};

const usersInfo: MethodHandler = (args, { state }) => {
  const parsed = parseArgs(UsersInfoArgs, args);
  if (!parsed.ok) return parsed.reply;
  const user = state.directory.user(parsed.data.user);
  if (!user) return failure('user_not_found');
  return success({ user: userObject(user, state.identity) });
};

/** The users.info `user` object, with the fields a permission check reads. */
function userObject(user: PeerUser, identity: PeerIdentity): Record<string, unknown> {
  const name = user.name ?? user.id.toLowerCase();
  const realName = user.realName ?? name;
  return {
    id: user.id,
    team_id: user.teamId ?? identity.teamId,
    name,
    deleted: user.deleted ?? false,
    real_name: realName,
    tz: user.tz ?? 'America/Los_Angeles',
    profile: {
      real_name: realName,
      display_name: name,
      ...(user.email ? { email: user.email } : {}),
      team: user.teamId ?? identity.teamId,
    },
    is_admin: user.isAdmin ?? false,
    is_owner: user.isOwner ?? false,
    is_primary_owner: user.isPrimaryOwner ?? false,
    is_restricted: user.isRestricted ?? false,
    is_ultra_restricted: false,
    is_bot: user.isBot ?? false,
    is_app_user: false,
    updated: 1_700_000_000,
  };
}

const conversationsOpen: MethodHandler = (args, { state }) => {
  const parsed = parseArgs(OpenArgs, args);
  if (!parsed.ok) return parsed.reply;
  const { users, channel } = parsed.data;
  const returnIm = ['true', '1', true].includes(parsed.data.return_im ?? false);
  const { directory } = state;
  if (users === undefined) {
    if (channel === undefined) return failure('users_list_not_supplied');
    const user = directory.imUser(channel);
    return user ? imReply(channel, user, true, returnIm) : failure('channel_not_found');
  }
  const ids = (Array.isArray(users) ? users : users.split(','))
    .map((u) => u.trim())
    .filter(Boolean);
  if (ids.length === 0) return failure('users_list_not_supplied');
  if (ids.length > 8) return failure('too_many_users');
  for (const id of ids) {
    const user = directory.user(id);
    if (!user) return failure('user_not_found');
    if (user.deleted) return failure('user_disabled');
  }
  const [only] = ids;
  if (ids.length > 1 || only === undefined) {
    // Group DMs are outside what okta-connect needs; answer like Slack, store nothing.
    return success({ channel: { id: `G${ids.join('').replace(/\W/g, '').slice(0, 10)}` } });
  }
  const opened = directory.openIm(only);
  return imReply(opened.id, only, opened.alreadyOpen, returnIm);
};

function imReply(id: string, user: string, alreadyOpen: boolean, full: boolean) {
  const channel = full ? { id, is_im: true, user, is_open: true } : { id };
  return success(alreadyOpen ? { no_op: true, already_open: true, channel } : { channel });
}

export const peopleMethods: Record<string, MethodHandler> = {
  'auth.test': authTest,
  'users.info': usersInfo,
  'conversations.open': conversationsOpen,
};
