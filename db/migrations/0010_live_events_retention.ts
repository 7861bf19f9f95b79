import type { Kysely } from 'kysely';

// Live events are kept for a day (api/live/live-events.ts prunes older ones): the index finds them.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('live_events_created_idx').on('live_events').column('created_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('live_events_created_idx').execute();
}
