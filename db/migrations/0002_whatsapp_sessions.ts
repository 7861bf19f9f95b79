import { sql, type Kysely } from 'kysely';

// Migrations see an untyped database: they describe the schema as it was at that point in time.
export async function up(db: Kysely<any>): Promise<void> {
  // Baileys' credentials and Signal keys, one row per (channel, type, id); `creds` is type 'creds', id 'creds'.
  // Values are BufferJSON text rather than jsonb: SQL never looks inside them, and text gives back
  // exactly what Baileys wrote.
  await db.schema
    .createTable('whatsapp_auth')
    .addColumn('channel_id', 'text', (c) => c.notNull().references('channels.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('whatsapp_auth_pk', ['channel_id', 'type', 'id'])
    .execute();

  // Which gateway process may hold a channel's socket right now. A fencing lease on top of Temporal's
  // heartbeat timeout: a partitioned old owner stops before its lease runs out, and a new owner waits for it.
  await db.schema
    .createTable('whatsapp_session_leases')
    .addColumn('channel_id', 'text', (c) => c.primaryKey().references('channels.id'))
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('acquired_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();

  // Conversation-independent channel history (status changes); webhook delivery reads from here.
  await db.schema
    .createTable('channel_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('channel_id', 'text', (c) => c.notNull().references('channels.id'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('data', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
    .execute();
  await db.schema.createIndex('channel_events_channel_at_idx').on('channel_events').columns(['channel_id', 'at']).execute();

  // Inbound message ids already handed to a conversation: WhatsApp redelivers after reconnects.
  await db.schema
    .createTable('whatsapp_inbound_seen')
    .addColumn('channel_id', 'text', (c) => c.notNull().references('channels.id'))
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('whatsapp_inbound_seen_pk', ['channel_id', 'message_id'])
    .execute();

  // Outbound sends by idempotency key: a retried activity returns the first send's id.
  await db.schema
    .createTable('whatsapp_sent')
    .addColumn('channel_id', 'text', (c) => c.notNull().references('channels.id'))
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('provider_message_id', 'text', (c) => c.notNull())
    .addColumn('to_phone', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('whatsapp_sent_pk', ['channel_id', 'idempotency_key'])
    .execute();

  // Buttons and lists sent as polls or numbered menus, so a customer's answer maps back to the item id.
  await db.schema
    .createTable('whatsapp_menus')
    .addColumn('channel_id', 'text', (c) => c.notNull().references('channels.id'))
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('customer_phone', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('poll', 'text')`))
    .addColumn('items', 'jsonb', (c) => c.notNull())
    /** The poll's message secret (base64): votes are encrypted with it. */
    .addColumn('poll_secret', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
    .addPrimaryKeyConstraint('whatsapp_menus_pk', ['channel_id', 'message_id'])
    .execute();
  await db.schema.createIndex('whatsapp_menus_customer_idx').on('whatsapp_menus').columns(['channel_id', 'customer_phone', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['whatsapp_menus', 'whatsapp_sent', 'whatsapp_inbound_seen', 'channel_events', 'whatsapp_session_leases', 'whatsapp_auth']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
