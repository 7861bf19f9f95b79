import { sql, type Kysely } from 'kysely';

// The retention schedule (workflows/lifecycle/retention.ts) deletes each growing table's oldest
// rows in batches: each delete finds its batch through one of these instead of a table scan.
// Rows still in play (an inbox message not handed over, a delivery still retrying) are left out
// of the index, so the deletes never look at them.
const INDEXES: [name: string, definition: string][] = [
  ['inbox_retention_idx', `inbox (received_at) where status <> 'pending'`],
  ['webhook_deliveries_retention_idx', `webhook_deliveries (created_at) where status <> 'pending'`],
  ['events_retention_idx', 'events (created_at)'],
  ['conversation_events_retention_idx', 'conversation_events (at)'],
  ['idempotency_keys_retention_idx', 'idempotency_keys (created_at)'],
  ['whatsapp_sent_retention_idx', 'whatsapp_sent (sent_at)'],
  ['sandbox_outbox_retention_idx', 'sandbox_outbox (sent_at)'],
  ['agent_sends_retention_idx', 'agent_sends (at)'],
  ['messages_retention_idx', 'messages (at)'],
  // A deleted event's deliveries, and whether a deleted message's file is still used elsewhere.
  ['webhook_deliveries_event_idx', 'webhook_deliveries (event_id)'],
  ['messages_media_idx', 'messages (media_id) where media_id is not null'],
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const [name, definition] of INDEXES) await sql.raw(`create index ${name} on ${definition}`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [name] of INDEXES) await sql.raw(`drop index if exists ${name}`).execute(db);
}
