import { sql, type Kysely } from 'kysely';

/**
 * The team inbox (DESIGN §13): people who sign in to an account, their sessions, the
 * conversations they own, their private notes, what each of them has read, saved replies, and
 * full-text search over what customers wrote.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // An email signs in to one account: the login form asks for no account.
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'agent')`))
    .addColumn('password_hash', 'text')
    // Only the invitation token's hash is kept: a database dump does not let anyone in.
    .addColumn('invite_token_hash', 'text', (c) => c.unique())
    .addColumn('invite_expires_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index users_email_uq on users (lower(email))`.execute(db);
  await db.schema.createIndex('users_account_idx').on('users').column('account_id').execute();

  // Sessions live server-side so that a logout or a removal ends them at once, everywhere.
  await db.schema
    .createTable('user_sessions')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('user_sessions_user_idx').on('user_sessions').column('user_id').execute();

  // Failed sign-ins, shared by every API process, counted per email and per address.
  await db.schema
    .createTable('login_failures')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('login_failures_key_idx').on('login_failures').columns(['key', 'at']).execute();

  await db.schema
    .alterTable('conversations')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status in ('open', 'resolved')`))
    .addColumn('assignee_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('resolved_at', 'timestamptz')
    // Who holds the conversation (a person's {id, name}, or null) and since when its mode is what it is.
    .addColumn('held_by', 'jsonb')
    .addColumn('mode_since', 'timestamptz')
    .execute();
  await db.schema.createIndex('conversations_widget_created_idx').on('conversations').columns(['widget_id', 'created_at']).execute();
  await db.schema.createIndex('conversations_assignee_idx').on('conversations').columns(['assignee_id', 'status']).execute();

  // Reports (GET /api/widgets/:widgetId/reports) count handoff requests and leads by time.
  await sql`create index conversation_events_handoff_idx on conversation_events (at) where kind = 'mode.handoff_requested'`.execute(db);
  await db.schema.createIndex('conversation_events_conversation_idx').on('conversation_events').columns(['conversation_id', 'at']).execute();
  await db.schema.createIndex('leads_widget_created_idx').on('leads').columns(['widget_id', 'created_at']).execute();

  // A message written by a person keeps who it was, even after that person is removed.
  await db.schema.alterTable('messages').addColumn('agent', 'jsonb').execute();
  await sql`create index messages_search_idx on messages using gin (to_tsvector('simple', text))`.execute(db);

  // Who sent an agent message through the API, written before the conversation sends it; the
  // activity that records the sent message reads it (a person's name never travels through Temporal).
  await db.schema
    .createTable('agent_sends')
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('message_key', 'text', (c) => c.notNull())
    .addColumn('agent', 'jsonb', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('agent_sends_pk', ['conversation_id', 'message_key'])
    .execute();

  await db.schema
    .createTable('conversation_reads')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('read_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('conversation_reads_pk', ['user_id', 'conversation_id'])
    .execute();

  await db.schema
    .createTable('canned_replies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('widget_id', 'text', (c) => c.notNull().references('widgets.id').onDelete('cascade'))
    .addColumn('shortcut', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('canned_replies_shortcut_uq', ['widget_id', 'shortcut'])
    .execute();

  // The dashboard hears of assignment and resolution as it hears of mode changes.
  await liveConversationTrigger(db, sql`or new.status is distinct from old.status or new.assignee_id is distinct from old.assignee_id`);

  // A customer writing again reopens a resolved conversation, whichever process stored the message.
  await sql`
    create function reopen_on_customer_message() returns trigger language plpgsql as $$
    begin
      update conversations set status = 'open', resolved_at = null where id = new.conversation_id and status = 'resolved';
      return null;
    end $$`.execute(db);
  await sql`
    create trigger messages_reopen after insert on messages
    for each row when (new.author = 'customer') execute function reopen_on_customer_message()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await liveConversationTrigger(db, sql``);
  await sql`drop trigger messages_reopen on messages`.execute(db);
  await sql`drop function reopen_on_customer_message()`.execute(db);
  await db.schema.dropTable('canned_replies').execute();
  await db.schema.dropTable('conversation_reads').execute();
  await db.schema.dropTable('agent_sends').execute();
  await sql`drop index messages_search_idx`.execute(db);
  await db.schema.alterTable('messages').dropColumn('agent').execute();
  await db.schema.dropIndex('conversations_assignee_idx').execute();
  await db.schema.dropIndex('leads_widget_created_idx').execute();
  await db.schema.dropIndex('conversation_events_conversation_idx').execute();
  await db.schema.dropIndex('conversation_events_handoff_idx').execute();
  await db.schema.dropIndex('conversations_widget_created_idx').execute();
  await db.schema.alterTable('conversations').dropColumn('status').dropColumn('assignee_id').dropColumn('resolved_at').dropColumn('held_by').dropColumn('mode_since').execute();
  await db.schema.dropTable('login_failures').execute();
  await db.schema.dropTable('user_sessions').execute();
  await db.schema.dropTable('users').execute();
}

/** caty_live_conversation (0009_live_events) with more columns that announce a change. */
async function liveConversationTrigger(db: Kysely<any>, more: ReturnType<typeof sql>): Promise<void> {
  await sql`
    create or replace function caty_live_conversation() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' or new.mode is distinct from old.mode or new.language is distinct from old.language or new.lead is distinct from old.lead ${more} then
        insert into live_events (account_id, widget_id, kind, data) values (new.account_id, new.widget_id, 'conversation.updated',
          jsonb_build_object('conversation_id', new.id, 'widget_id', new.widget_id));
      end if;
      return null;
    end $$`.execute(db);
}
