import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database, MessageDirection } from '../schema.js';
import type { MessageAuthor, RichContent, SharedContact, SharedLocation } from '../../workflows/conversation/domain.js';
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
  /** A file (by id), a location or a contact card the message carries; `text` is then its caption. */
  mediaId?: string | null;
  location?: SharedLocation | null;
  contact?: SharedContact | null;
  /** A voice note's words. */
  transcript?: string | null;
  /** Other conversation columns to set in the same transaction. */
  conversationUpdate?: { language?: string | null; source?: string | null };
}

/** One statement's parts that store a message once; a caller may add its own parts to the same statement. */
export interface MessageStatement {
  id: string;
  /** The `inserted` and `counted` common table expressions. */
  ctes: RawBuilder<unknown>;
  /** The columns the outcome is read from (see `messageOutcome`). */
  columns: RawBuilder<unknown>;
}

export interface MessageRow {
  inserted: boolean;
  existing_ingest_key: string | null;
}

/**
 * Insert the message once; count it in its conversation only when it was new (the conversation's
 * other columns are set either way); and for a message already there, say which piece of work
 * stored it. One statement, so atomic without a transaction's extra round trips.
 */
export function messageStatement(record: MessageRecord): MessageStatement {
  const id = stableId('msg', `${record.conversationId}|${record.direction}|${record.externalId}`);
  const update = record.conversationUpdate ?? {};
  const at = record.at ?? new Date();
  const ctes = sql`inserted as (
      insert into messages (id, conversation_id, external_id, direction, author, text, language, rich, ingest_key, failed_reason, at,
        media_id, location, contact, transcript)
      values (${id}, ${record.conversationId}, ${record.externalId}, ${record.direction}, ${record.author}, ${record.text},
        ${record.language ?? null}, ${record.rich ? JSON.stringify(record.rich) : null}::jsonb, ${record.ingestKey ?? null},
        ${record.failedReason ?? null}, ${at}, ${record.mediaId ?? null}, ${record.location ? JSON.stringify(record.location) : null}::jsonb,
        ${record.contact ? JSON.stringify(record.contact) : null}::jsonb, ${record.transcript ?? null})
      on conflict on constraint messages_conversation_external_uq do nothing
      returning id
    ), counted as (
      update conversations set
        language = ${update.language !== undefined ? sql`${update.language}` : sql`language`},
        source = ${update.source !== undefined ? sql`${update.source}` : sql`source`},
        message_count = message_count + (select count(*) from inserted),
        last_message_at = case when exists (select 1 from inserted)
          then greatest(coalesce(last_message_at, 'epoch'::timestamptz), ${at}) else last_message_at end
      where id = ${record.conversationId}
        ${update.language !== undefined || update.source !== undefined ? sql`` : sql`and exists (select 1 from inserted)`}
      returning 1
    )`;
  const columns = sql`exists (select 1 from inserted) as inserted, (select ingest_key from messages where id = ${id}) as existing_ingest_key`;
  return { id, ctes, columns };
}

/** Whether this call stored the message: it inserted it, or an earlier attempt of the same work did. */
export function messageOutcome(record: MessageRecord, statement: MessageStatement, row: MessageRow): { id: string; inserted: boolean } {
  const { id } = statement;
  if (row.inserted) return { id, inserted: true };
  if (!record.ingestKey) return { id, inserted: false };
  return { id, inserted: row.existing_ingest_key === record.ingestKey };
}

/**
 * Stores a message once: the (conversation, direction, external id) key makes a retried or
 * duplicated delivery a no-op. Returns whether this call stored it.
 */
export async function recordMessage(db: Kysely<Database>, record: MessageRecord): Promise<{ id: string; inserted: boolean }> {
  const statement = messageStatement(record);
  const { rows } = await sql<MessageRow>`with ${statement.ctes} select ${statement.columns}`.execute(db);
  return messageOutcome(record, statement, rows[0]!);
}

/** Every message of a conversation as the API shows it, oldest first. */
export function listMessages(db: Kysely<Database>, conversationId: string) {
  return db
    .selectFrom('messages')
    .select(['id', 'direction', 'author', 'text', 'language', 'at', 'failed_reason', 'media_id', 'location', 'contact', 'transcript'])
    .where('conversation_id', '=', conversationId)
    .orderBy('at', 'asc')
    .orderBy('id', 'asc')
    .execute();
}

/** The latest message's text of each conversation (one query; the index on (conversation_id, at) serves it). */
export async function latestTexts(db: Kysely<Database>, conversationIds: string[]): Promise<Map<string, string>> {
  if (conversationIds.length === 0) return new Map();
  const latest = await db
    .selectFrom('messages')
    .select(['conversation_id', 'text'])
    .distinctOn('conversation_id')
    .where('conversation_id', 'in', conversationIds)
    .orderBy('conversation_id')
    .orderBy('at', 'desc')
    .execute();
  return new Map(latest.map((m) => [m.conversation_id, m.text]));
}

/** What a web visitor sees of a message. */
export const VISITOR_COLUMNS = ['external_id', 'author', 'text', 'at', 'rich', 'media_id', 'location', 'contact', 'transcript'] as const;

/** A visitor's own thread, oldest first. */
export function visitorThread(db: Kysely<Database>, conversationId: string) {
  return db.selectFrom('messages').select(VISITOR_COLUMNS).where('conversation_id', '=', conversationId).orderBy('at').orderBy('id').limit(500).execute();
}

/** Messages by id, as a visitor sees them. */
export async function visitorMessagesById(db: Kysely<Database>, ids: string[]) {
  const rows = await db.selectFrom('messages').select(['id', ...VISITOR_COLUMNS]).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/** Whether the conversation holds an outbound message with this key (a reply that went out already). */
export async function hasOutbound(db: Kysely<Database>, conversationId: string, externalId: string): Promise<boolean> {
  const row = await db
    .selectFrom('messages')
    .select('id')
    .where('conversation_id', '=', conversationId)
    .where('direction', '=', 'outbound')
    .where('external_id', '=', externalId)
    .executeTakeFirst();
  return row !== undefined;
}

/** A stored message whose handling failed, marked with why. */
export async function markMessageFailed(db: Kysely<Database>, messageId: string, reason: string): Promise<void> {
  await db.updateTable('messages').set({ failed_reason: reason }).where('id', '=', messageId).execute();
}
