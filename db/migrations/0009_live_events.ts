import { sql, type Kysely } from 'kysely';

// What the dashboard streams (GET /api/events): rows written by triggers in the same transaction
// as the change, so no API process can miss one; each insert is announced with NOTIFY carrying
// only its id and account, and a reconnecting client catches up from the table by id.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('live_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('widget_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('live_events_account_idx').on('live_events').columns(['account_id', 'id']).execute();

  await sql`
    create function caty_live_message() returns trigger language plpgsql as $$
    declare c record;
    begin
      select account_id, widget_id into c from conversations where id = new.conversation_id;
      if found then
        insert into live_events (account_id, widget_id, kind, data) values (c.account_id, c.widget_id, 'message.created',
          jsonb_build_object('conversation_id', new.conversation_id, 'message_id', new.id, 'widget_id', c.widget_id));
      end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger live_message after insert on messages for each row execute function caty_live_message()`.execute(db);

  await sql`
    create function caty_live_conversation() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' or new.mode is distinct from old.mode or new.language is distinct from old.language or new.lead is distinct from old.lead then
        insert into live_events (account_id, widget_id, kind, data) values (new.account_id, new.widget_id, 'conversation.updated',
          jsonb_build_object('conversation_id', new.id, 'widget_id', new.widget_id));
      end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger live_conversation after insert or update on conversations for each row execute function caty_live_conversation()`.execute(db);

  await sql`
    create function caty_live_channel() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' or new.status is distinct from old.status or new.qr is distinct from old.qr or new.phone is distinct from old.phone or new.removed_at is distinct from old.removed_at then
        insert into live_events (account_id, kind, data) values (new.account_id, 'channel.status_changed', jsonb_build_object('channel_id', new.id));
      end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger live_channel after insert or update on channels for each row execute function caty_live_channel()`.execute(db);

  await sql`
    create function caty_live_notify() returns trigger language plpgsql as $$
    begin
      perform pg_notify('caty_live', new.id::text || ' ' || new.account_id);
      return null;
    end $$`.execute(db);
  await sql`create trigger live_notify after insert on live_events for each row execute function caty_live_notify()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists live_message on messages`.execute(db);
  await sql`drop trigger if exists live_conversation on conversations`.execute(db);
  await sql`drop trigger if exists live_channel on channels`.execute(db);
  await db.schema.dropTable('live_events').execute();
  for (const fn of ['caty_live_message', 'caty_live_conversation', 'caty_live_channel', 'caty_live_notify']) {
    await sql`drop function if exists ${sql.raw(fn)}()`.execute(db);
  }
}
