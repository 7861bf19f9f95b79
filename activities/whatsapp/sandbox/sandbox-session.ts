import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { storeSandboxMessage } from '../../../db/queries/sandbox.js';
import { SessionNotOpenError, type OutboundWhatsAppMessage, type WhatsAppSession } from '../provider.js';

/**
 * The sandbox stands in for the WhatsApp network: what a real socket would send lands in the
 * `sandbox_outbox` table, where tests and the dashboard read it. Keyed by idempotency key, so a
 * retried send is stored once, like a message id WhatsApp has already seen.
 */
export class SandboxSession implements WhatsAppSession {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly channelId: string,
  ) {}

  /**
   * One statement stores the message, from the channel's number, only while the channel is a
   * connected sandbox one: no lookup before every send, and a disconnect takes effect at once.
   */
  async send(message: OutboundWhatsAppMessage): Promise<{ providerMessageId: string }> {
    const id = await storeSandboxMessage(this.db, this.channelId, { idempotencyKey: message.idempotencyKey, to: message.to, text: message.text, rich: message.rich ?? null, mediaId: message.media?.id ?? null });
    if (id) return { providerMessageId: id };
    throw new SessionNotOpenError(this.channelId);
  }

  // The sandbox has no phone to show receipts, typing or deletions on; they succeed silently.
  async markRead(): Promise<void> {}
  async setTyping(): Promise<void> {}
  async deleteForEveryone(): Promise<void> {}
  async close(): Promise<void> {}
  async logout(): Promise<void> {}
}
