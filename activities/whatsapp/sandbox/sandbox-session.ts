import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { newId } from '../../../db/ids.js';
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
    const { rows } = await sql<{ id: string }>`
      insert into sandbox_outbox (id, channel_id, idempotency_key, to_phone, from_phone, text, rich, media_id)
      select ${newId('sbx')}, id, ${message.idempotencyKey}, ${message.to}, phone, ${message.text}, ${message.rich ? JSON.stringify(message.rich) : null}::jsonb, ${message.media?.id ?? null}
      from channels
      where id = ${this.channelId} and provider = 'sandbox' and status = 'connected' and removed_at is null and phone is not null
      on conflict on constraint sandbox_outbox_key_uq do nothing
      returning id`.execute(this.db);
    if (rows[0]) return { providerMessageId: rows[0].id };
    // Sent before (a retried send), or the channel cannot send now.
    const existing = await this.db
      .selectFrom('sandbox_outbox')
      .select('id')
      .where('channel_id', '=', this.channelId)
      .where('idempotency_key', '=', message.idempotencyKey)
      .executeTakeFirst();
    if (existing) return { providerMessageId: existing.id };
    throw new SessionNotOpenError(this.channelId);
  }

  // The sandbox has no phone to show receipts, typing or deletions on; they succeed silently.
  async markRead(): Promise<void> {}
  async setTyping(): Promise<void> {}
  async deleteForEveryone(): Promise<void> {}
  async close(): Promise<void> {}
  async logout(): Promise<void> {}
}
