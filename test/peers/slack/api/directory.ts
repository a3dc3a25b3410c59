/** A workspace member as the test configures it. */
export interface PeerUser {
  id: string;
  /** Default: the stand-in's team. */
  teamId?: string;
  name?: string;
  realName?: string;
  email?: string;
  isAdmin?: boolean;
  isOwner?: boolean;
  isPrimaryOwner?: boolean;
  isRestricted?: boolean;
  isBot?: boolean;
  deleted?: boolean;
  tz?: string;
}

/** A public or private channel as the test configures it. */
export interface PeerChannel {
  id: string;
  name?: string;
  /** Whether the bot is in it; posting where it is not gives `not_in_channel`. Default true. */
  member?: boolean;
  isPrivate?: boolean;
  isArchived?: boolean;
  /** Members, for `chat.postEphemeral`'s `user_not_in_channel`; unset = everyone. */
  userIds?: string[];
}

export type ChannelLookup =
  | { ok: true; id: string; kind: 'channel' | 'im'; channel?: PeerChannel }
  | { ok: false; error: 'channel_not_found' | 'not_in_channel' | 'is_archived' };

/** Users, channels and the bot's DMs with users. */
export class Directory {
  private readonly users = new Map<string, PeerUser>();
  private readonly channels = new Map<string, PeerChannel>();
  private readonly channelsByName = new Map<string, PeerChannel>();
  /** Opened DM channel id → user id. */
  private readonly openIms = new Map<string, string>();

  addUser(user: PeerUser): void {
    this.users.set(user.id, user);
  }

  user(id: string): PeerUser | undefined {
    return this.users.get(id);
  }

  addChannel(channel: PeerChannel): void {
    this.channels.set(channel.id, channel);
    if (channel.name) this.channelsByName.set(channel.name, channel);
  }

  channel(id: string): PeerChannel | undefined {
    return this.channels.get(id);
  }

  /** The bot's DM channel id with a user: stable, derived from the user id. */
  imFor(userId: string): string {
    return `D${userId.slice(1)}`;
  }

  openIm(userId: string): { id: string; alreadyOpen: boolean } {
    const id = this.imFor(userId);
    const alreadyOpen = this.openIms.has(id);
    this.openIms.set(id, userId);
    return { id, alreadyOpen };
  }

  imUser(channelId: string): string | undefined {
    return this.openIms.get(channelId);
  }

  /**
   * Where a message to `target` goes: a channel id or `#name`, an opened DM, or a user id
   * (Slack then posts in the app's DM with that user, opening it if needed).
   */
  resolve(target: string): ChannelLookup {
    const user = this.users.get(target);
    if (user) {
      if (user.deleted) return { ok: false, error: 'channel_not_found' };
      return { ok: true, id: this.openIm(target).id, kind: 'im' };
    }
    if (this.openIms.has(target)) return { ok: true, id: target, kind: 'im' };
    const channel = this.channels.get(target) ?? this.channelsByName.get(target.replace(/^#/, ''));
    if (!channel) return { ok: false, error: 'channel_not_found' };
    // A private channel the bot is not in is invisible to it, not merely closed.
    if (channel.isPrivate && channel.member === false)
      return { ok: false, error: 'channel_not_found' };
    if (channel.isArchived) return { ok: false, error: 'is_archived' };
    if (channel.member === false) return { ok: false, error: 'not_in_channel' };
    return { ok: true, id: channel.id, kind: 'channel', channel };
  }
}
