import type { Kysely } from 'kysely';

// Which piece of conversation work stored an inbound message: a retried activity for that same
// work is not a redelivery, even though the row already exists.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').addColumn('ingest_key', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').dropColumn('ingest_key').execute();
}
