import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../schema.js';

/**
 * The deletes of the retention schedule (workflows/lifecycle/retention.ts): each removes at most
 * `limit` of a table's rows older than the cut-off and says how many, so a large backlog goes in
 * short statements that hold few locks rather than one long one. Each finds its rows through an
 * index of db/migrations/0020_retention_indexes.ts.
 */

export const RETENTION_TABLES = [
  'live_events',
  'inbox',
  'webhook_deliveries',
  'events',
  'conversation_events',
  'idempotency_keys',
  'whatsapp_sent',
  'sandbox_outbox',
  'agent_sends',
  'messages',
] as const;
export type RetentionTable = (typeof RETENTION_TABLES)[number];

type PlainTable = Exclude<RetentionTable, 'messages'>;

/** Which rows of each table are past the cut-off; rows still in play are never. */
const OLD_ROWS: Record<PlainTable, (cutOff: Date) => RawBuilder<unknown>> = {
  live_events: (cutOff) => sql`created_at < ${cutOff}`,
  // A message not handed over yet is still work to do, however old.
  inbox: (cutOff) => sql`received_at < ${cutOff} and status <> 'pending'`,
  // A delivery still retrying keeps its row and its event.
  webhook_deliveries: (cutOff) => sql`created_at < ${cutOff} and status <> 'pending'`,
  events: (cutOff) => sql`created_at < ${cutOff} and not exists (select 1 from webhook_deliveries d where d.event_id = events.id)`,
  conversation_events: (cutOff) => sql`at < ${cutOff}`,
  idempotency_keys: (cutOff) => sql`created_at < ${cutOff}`,
  whatsapp_sent: (cutOff) => sql`sent_at < ${cutOff}`,
  sandbox_outbox: (cutOff) => sql`sent_at < ${cutOff}`,
  // Read once, when the conversation records the reply it sent (seconds later).
  agent_sends: (cutOff) => sql`at < ${cutOff}`,
};

/** Deletes up to `limit` rows of `table` older than `cutOff`; returns how many. */
export async function deleteOldRows(db: Kysely<Database>, table: PlainTable, cutOff: Date, limit: number): Promise<number> {
  const name = sql.table(table);
  const result = await sql`delete from ${name} where ctid = any (array(select ctid from ${name} where ${OLD_ROWS[table](cutOff)} limit ${limit}))`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}

/**
 * Deletes up to `limit` messages older than `cutOff`; returns how many, and the files they
 * carried that nothing else refers to any more (their bytes and rows go next, see forgetMedia).
 */
export async function deleteOldMessages(db: Kysely<Database>, cutOff: Date, limit: number): Promise<{ deleted: number; orphanedMedia: string[] }> {
  const rows = await sql<{ media_id: string | null }>`
    delete from messages where ctid = any (array(select ctid from messages where at < ${cutOff} limit ${limit}))
    returning media_id`.execute(db);
  const mediaIds = [...new Set(rows.rows.map((r) => r.media_id).filter((id): id is string => id !== null))];
  return { deleted: rows.rows.length, orphanedMedia: await unusedMedia(db, mediaIds) };
}

/** Of these files, those no message and no sandbox send refers to. */
export async function unusedMedia(db: Kysely<Database>, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const used = await db
    .selectFrom('messages')
    .select('media_id as id')
    .where('media_id', 'in', ids)
    .union(db.selectFrom('sandbox_outbox').select('media_id as id').where('media_id', 'in', ids))
    .execute();
  const kept = new Set(used.map((r) => r.id));
  return ids.filter((id) => !kept.has(id));
}
