import { sql, type Kysely } from 'kysely';

/**
 * Media (DESIGN §11): each file a customer, a visitor or the business sends is one `media` row;
 * its bytes are in `media_chunks` (MEDIA_STORE=postgres, the default) or in an S3 bucket. Messages,
 * the inbox and the sandbox outbox refer to it by id; locations and contact cards are small and
 * stored on the message itself.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('media')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    // A web visitor's own upload: only that visitor (and the account) may read it.
    .addColumn('visitor', 'text')
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('image', 'audio', 'video', 'document', 'sticker')`))
    .addColumn('mime_type', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('filename', 'text')
    .addColumn('voice', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('duration_s', 'integer')
    .addColumn('transcript', 'text')
    // Where the bytes are: `postgres` (media_chunks) or `s3`.
    .addColumn('store', 'text', (c) => c.notNull())
    // pending: bytes on their way; ready; expired: bytes deleted by retention (metadata kept).
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expired_at', 'timestamptz')
    .execute();
  await sql`create index media_retention_idx on media (created_at) where status <> 'expired'`.execute(db);

  await db.schema
    .createTable('media_chunks')
    .addColumn('media_id', 'text', (c) => c.notNull().references('media.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('data', 'bytea', (c) => c.notNull())
    .addPrimaryKeyConstraint('media_chunks_pk', ['media_id', 'seq'])
    .execute();
  // Chunks are written once and read in order; keep them out of TOAST compression (already compressed formats).
  await sql`alter table media_chunks alter column data set storage external`.execute(db);

  await db.schema
    .alterTable('messages')
    .addColumn('media_id', 'text', (c) => c.references('media.id'))
    .addColumn('location', 'jsonb')
    .addColumn('contact', 'jsonb')
    .addColumn('transcript', 'text')
    .execute();
  // What arrived besides text ({media, location, contact}) and, for WhatsApp media not downloaded
  // yet, what its download needs (the message's media part, protobuf-encoded).
  await db.schema.alterTable('inbox').addColumn('attachment', 'jsonb').addColumn('media_source', 'jsonb').execute();
  await db.schema.alterTable('sandbox_outbox').addColumn('media_id', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sandbox_outbox').dropColumn('media_id').execute();
  await db.schema.alterTable('inbox').dropColumn('attachment').dropColumn('media_source').execute();
  await db.schema.alterTable('messages').dropColumn('media_id').dropColumn('location').dropColumn('contact').dropColumn('transcript').execute();
  await db.schema.dropTable('media_chunks').execute();
  await db.schema.dropTable('media').execute();
}
