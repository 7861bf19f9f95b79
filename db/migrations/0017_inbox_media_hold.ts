import { sql, type Kysely } from 'kysely';

/**
 * A chat's messages wait behind an earlier one whose file is still to be downloaded
 * (inbound/inbox.ts): every hand-over asks whether its chat has such a row. Few rows
 * ever match, so the index holds only those.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index inbox_media_waiting_idx on inbox (channel_id, customer_phone, received_at) where status = 'pending' and media_source is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index inbox_media_waiting_idx`.execute(db);
}
