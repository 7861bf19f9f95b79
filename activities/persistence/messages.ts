import { sql, type Kysely } from 'kysely';
import type { Database, MessageAuthor, MessageDirection, RichContent } from '../../db/schema.js';
import { stableId } from '../ids.js';

export interface MessageRecord {
  conversationId: string;
  externalId: string;
  direction: MessageDirection;
  author: MessageAuthor;
  text: string;
  language?: string | null;
  rich?: RichContent | null;
  at?: Date;
  /**
   * Which piece of conversation work stores it: a retried call for the same work counts as having
   * stored it, a redelivery (another piece of work) does not.
   */
  ingestKey?: string;
  /** The message could not be sent (outbound) or handled (inbound): why. */
  failedReason?: string | null;
  /** Other conversation columns to set in the same transaction. */
  conversationUpdate?: { language?: string | null; source?: string | null };
}

/**
 * Stores a message once: the (conversation, direction, external id) key makes a retried or
 * duplicated delivery a no-op. Returns whether this call stored it.
 */
export async function recordMessage(db: Kysely<Database>, record: MessageRecord): Promise<{ id: string; inserted: boolean }> {
  const id = stableId('msg', `${record.conversationId}|${record.direction}|${record.externalId}`);
  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('messages')
      .values({
        id,
        conversation_id: record.conversationId,
        external_id: record.externalId,
        direction: record.direction,
        author: record.author,
        text: record.text,
        language: record.language ?? null,
        rich: record.rich ? JSON.stringify(record.rich) : null,
        ingest_key: record.ingestKey ?? null,
        failed_reason: record.failedReason ?? null,
        ...(record.at ? { at: record.at } : {}),
      })
      .onConflict((oc) => oc.constraint('messages_conversation_external_uq').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) {
      if (record.conversationUpdate) await trx.updateTable('conversations').set(record.conversationUpdate).where('id', '=', record.conversationId).execute();
      if (!record.ingestKey) return { id, inserted: false };
      const existing = await trx.selectFrom('messages').select('ingest_key').where('id', '=', id).executeTakeFirst();
      return { id, inserted: existing?.ingest_key === record.ingestKey };
    }
    await trx
      .updateTable('conversations')
      .set({
        ...record.conversationUpdate,
        message_count: sql`message_count + 1`,
        last_message_at: sql`greatest(coalesce(last_message_at, 'epoch'::timestamptz), ${record.at ?? new Date()})`,
      })
      .where('id', '=', record.conversationId)
      .execute();
    return { id, inserted: true };
  });
}
