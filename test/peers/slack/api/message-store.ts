/** A message the bot posted, as it currently reads (after any `chat.update`). */
export interface StoredMessage {
  channel: string;
  ts: string;
  text: string | undefined;
  blocks: unknown[] | undefined;
  threadTs: string | undefined;
  /** How many times `chat.update` changed it. */
  edits: number;
  /** The arguments of the post and of each update, oldest first. */
  history: Record<string, unknown>[];
}

export interface StoredEphemeral {
  channel: string;
  user: string;
  messageTs: string;
  text: string | undefined;
  blocks: unknown[] | undefined;
}

/** Messages indexed by channel and by (channel, ts), so look-ups never scan the call log. */
export class MessageStore {
  private readonly byChannel = new Map<string, StoredMessage[]>();
  private readonly byKey = new Map<string, StoredMessage>();
  private readonly ephemerals = new Map<string, StoredEphemeral[]>();

  add(message: StoredMessage): void {
    const list = this.byChannel.get(message.channel) ?? [];
    list.push(message);
    this.byChannel.set(message.channel, list);
    this.byKey.set(key(message.channel, message.ts), message);
  }

  get(channel: string, ts: string): StoredMessage | undefined {
    return this.byKey.get(key(channel, ts));
  }

  inChannel(channel: string): StoredMessage[] {
    return [...(this.byChannel.get(channel) ?? [])];
  }

  addEphemeral(message: StoredEphemeral): void {
    const list = this.ephemerals.get(message.channel) ?? [];
    list.push(message);
    this.ephemerals.set(message.channel, list);
  }

  ephemeralsIn(channel: string): StoredEphemeral[] {
    return [...(this.ephemerals.get(channel) ?? [])];
  }
}

function key(channel: string, ts: string): string {
  return `${channel}\u0000${ts}`;
}
