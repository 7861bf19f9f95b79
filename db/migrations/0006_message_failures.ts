import type { Kysely } from 'kysely';

// A message that could not be sent, or an inbound one whose handling had to be skipped, stays
// visible with the reason instead of disappearing.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').addColumn('failed_reason', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').dropColumn('failed_reason').execute();
}
