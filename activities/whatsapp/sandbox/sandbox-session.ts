import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { newId } from '../../ids.js';
import type { OutboundWhatsAppMessage, WhatsAppSession } from '../provider.js';

/**
 * The sandbox stands in for the WhatsApp network: what a real socket would send lands in the
 * `sandbox_outbox` table, where tests and the dashboard read it. Keyed by idempotency key, so a
 * retried send is stored once, like a message id WhatsApp has already seen.
 */
export class SandboxSession implements WhatsAppSession {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly channelId: string,
    private readonly businessPhone: string,
  ) {}

  async send(message: OutboundWhatsAppMessage): Promise<{ providerMessageId: string }> {
    const inserted = await this.db
      .insertInto('sandbox_outbox')
      .values({
        id: newId('sbx'),
        channel_id: this.channelId,
        idempotency_key: message.idempotencyKey,
        to_phone: message.to,
        from_phone: this.businessPhone,
        text: message.text,
        rich: message.rich ? JSON.stringify(message.rich) : null,
      })
      .onConflict((oc) => oc.constraint('sandbox_outbox_key_uq').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) return { providerMessageId: inserted.id };
    const existing = await this.db
      .selectFrom('sandbox_outbox')
      .select('id')
      .where('channel_id', '=', this.channelId)
      .where('idempotency_key', '=', message.idempotencyKey)
      .executeTakeFirstOrThrow();
    return { providerMessageId: existing.id };
  }

  // The sandbox has no phone to show receipts, typing or deletions on; they succeed silently.
  async markRead(): Promise<void> {}
  async setTyping(): Promise<void> {}
  async deleteForEveryone(): Promise<void> {}
  async close(): Promise<void> {}
  async logout(): Promise<void> {}
}

/** The sandbox session of a connected sandbox channel, read from the database. */
export async function findSandboxSession(db: Kysely<Database>, channelId: string): Promise<SandboxSession | undefined> {
  const channel = await db
    .selectFrom('channels')
    .select(['phone', 'status', 'provider'])
    .where('id', '=', channelId)
    .executeTakeFirst();
  if (!channel || channel.provider !== 'sandbox' || channel.status !== 'connected' || !channel.phone) return undefined;
  return new SandboxSession(db, channelId, channel.phone);
}
