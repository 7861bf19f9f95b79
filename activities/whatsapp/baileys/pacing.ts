export interface PacingOptions {
  /** Least time between two messages to the same chat. */
  perChatIntervalMs: number;
  /** Random extra delay added to every slot, so bursts do not look machine-made. */
  jitterMs: number;
  /** Messages per minute to chats that have not written to this number before. */
  newChatsPerMinute: number;
}

export const defaultPacing: PacingOptions = { perChatIntervalMs: 1000, jitterMs: 400, newChatsPerMinute: 20 };

const MINUTE = 60_000;

/**
 * Spaces a channel's outgoing messages the way a person would send them: WhatsApp bans numbers
 * that burst, above all towards people who never wrote to them. Slots are reserved synchronously,
 * so concurrent sends to one chat queue up in call order instead of racing.
 */
export class SendPacer {
  private readonly nextAt = new Map<string, number>();
  private readonly newChatSends: number[] = [];

  constructor(
    private readonly options: PacingOptions,
    private readonly random: () => number = Math.random,
    private readonly now: () => number = Date.now,
  ) {}

  /** Resolves when a message to `chat` may go out. */
  async wait(chat: string, newChat: boolean): Promise<void> {
    const at = this.reserve(chat, newChat);
    const delay = at - this.now();
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  }

  /** The time the next message to `chat` may go out; books it. */
  reserve(chat: string, newChat: boolean): number {
    const now = this.now();
    let at = Math.max(now, this.nextAt.get(chat) ?? 0);
    if (newChat && this.options.newChatsPerMinute > 0) {
      // Sliding window over the bookings of the last minute (including future ones).
      while (this.newChatSends.length > 0 && this.newChatSends[0]! <= at - MINUTE) this.newChatSends.shift();
      if (this.newChatSends.length >= this.options.newChatsPerMinute) {
        const index = this.newChatSends.length - this.options.newChatsPerMinute;
        at = Math.max(at, this.newChatSends[index]! + MINUTE);
      }
      this.newChatSends.push(at);
      this.newChatSends.sort((a, b) => a - b);
    }
    this.nextAt.set(chat, at + this.options.perChatIntervalMs + Math.floor(this.random() * this.options.jitterMs));
    this.forgetIdle(now);
    return at;
  }

  private forgetIdle(now: number): void {
    if (this.nextAt.size < 10_000) return;
    for (const [chat, at] of this.nextAt) if (at < now) this.nextAt.delete(chat);
  }
}
