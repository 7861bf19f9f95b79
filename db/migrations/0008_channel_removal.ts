import type { Kysely } from 'kysely';

// A disconnected channel is removed for its account (its id answers 404 from then on); the row
// stays, because its conversations and messages still refer to it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('channels').addColumn('removed_at', 'timestamptz').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('channels').dropColumn('removed_at').execute();
}
