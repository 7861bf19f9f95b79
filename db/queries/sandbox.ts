import { sql, type Kysely } from 'kysely';
import { newId } from '../ids.js';
import type { Database } from '../schema.js';
import type { RichContent } from '../../workflows/conversation/domain.js';

/** The sandbox's stand-in for the WhatsApp network (`sandbox_outbox`): the only code that writes it. */

/**
 * Stores a message the sandbox "sends", from the channel's number, only while the channel is a
 * connected sandbox channel; keyed by idempotency key, so a retried send is stored once. Returns
 * the stored message's id, or undefined when the channel cannot send now.
 */
export async function storeSandboxMessage(
  db: Kysely<Database>,
  channelId: string,
  message: { idempotencyKey: string; to: string; text: string; rich?: RichContent | null; mediaId: string | null },
): Promise<string | undefined> {
  const { rows } = await sql<{ id: string }>`
    insert into sandbox_outbox (id, channel_id, idempotency_key, to_phone, from_phone, text, rich, media_id)
    select ${newId('sbx')}, id, ${message.idempotencyKey}, ${message.to}, phone, ${message.text}, ${message.rich ? JSON.stringify(message.rich) : null}::jsonb, ${message.mediaId}
    from channels
    where id = ${channelId} and provider = 'sandbox' and status = 'connected' and removed_at is null and phone is not null
    on conflict on constraint sandbox_outbox_key_uq do nothing
    returning id`.execute(db);
  if (rows[0]) return rows[0].id;
  // Sent before (a retried send), or the channel cannot send now.
  const existing = await db.selectFrom('sandbox_outbox').select('id').where('channel_id', '=', channelId).where('idempotency_key', '=', message.idempotencyKey).executeTakeFirst();
  return existing?.id;
}

/**
 * The account's sandbox channel with this number, its link's widget, and the buttons or list last
 * sent to `customer` on it: one round trip.
 */
export function findSandboxChannel(db: Kysely<Database>, accountId: string, phone: string, customer: string) {
  return db
    .selectFrom('channels')
    .leftJoin('links', (join) => join.onRef('links.account_id', '=', 'channels.account_id').onRef('links.phone', '=', 'channels.phone'))
    .select(['channels.id', 'channels.status', 'links.widget_id'])
    .select((eb) =>
      eb
        .selectFrom('sandbox_outbox')
        .select('rich')
        .whereRef('sandbox_outbox.channel_id', '=', 'channels.id')
        .where('sandbox_outbox.to_phone', '=', customer)
        .orderBy('sandbox_outbox.sent_at', 'desc')
        .orderBy('sandbox_outbox.id', 'desc')
        .limit(1)
        .as('last_rich'),
    )
    .where('channels.account_id', '=', accountId)
    .where('channels.phone', '=', phone)
    .where('channels.provider', '=', 'sandbox')
    .where('channels.removed_at', 'is', null)
    // A number scanned again on a new channel: the connected one, not the one logged out.
    .orderBy(sql`channels.status = 'connected'`, 'desc')
    .orderBy('channels.updated_at', 'desc')
    .executeTakeFirst();
}

/** Everything sent to a number through the account's sandbox channels, oldest first. */
export function sandboxOutbox(db: Kysely<Database>, accountId: string, phone: string) {
  return db
    .selectFrom('sandbox_outbox')
    .innerJoin('channels', 'channels.id', 'sandbox_outbox.channel_id')
    .select(['sandbox_outbox.id', 'to_phone', 'from_phone', 'text', 'rich', 'sent_at', 'sandbox_outbox.media_id'])
    .where('channels.account_id', '=', accountId)
    .where('to_phone', '=', phone)
    .orderBy('sent_at', 'asc')
    .orderBy('sandbox_outbox.id', 'asc')
    .execute();
}
