import { sql, type Kysely } from 'kysely';

/**
 * Every inbound WhatsApp message is stored here before anything else, then handed to its
 * conversation until Temporal has it. One row per (channel, provider message id): a redelivery
 * from WhatsApp, or a retried API call, is the same row.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('inbox')
    .addColumn('channel_id', 'text', (c) => c.notNull().references('channels.id'))
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('customer_phone', 'text', (c) => c.notNull())
    .addColumn('from_me', 'boolean', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('reply_id', 'text')
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // pending: to be handed over; delivered: Temporal has it; failed: it can never be (the reason says why).
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    // While a process is handing a row over, this is its claim; afterwards, when to try again.
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_error', 'text')
    .addColumn('conversation_id', 'text')
    .addColumn('delivered_at', 'timestamptz')
    .addPrimaryKeyConstraint('inbox_pk', ['channel_id', 'message_id'])
    .execute();
  await sql`create index inbox_pending_idx on inbox (next_attempt_at) where status = 'pending'`.execute(db);
  // The inbox knows which messages a channel already received.
  await db.schema.dropTable('whatsapp_inbound_seen').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('whatsapp_inbound_seen')
    .addColumn('channel_id', 'text', (c) => c.notNull().references('channels.id'))
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('whatsapp_inbound_seen_pk', ['channel_id', 'message_id'])
    .execute();
  await db.schema.dropTable('inbox').execute();
}
