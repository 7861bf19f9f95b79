import { sql, type Kysely } from 'kysely';

// What the business has been told about each number (db/queries/channel-alerts.ts): a number that
// is logged out, or away longer than WHATSAPP_DISCONNECTED_ALERT_MS, is announced once (a
// dashboard banner, one channel.status_changed webhook, a WhatsApp alert), and once again when it
// is back.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('channels')
    // Since when the number has not been connected, having been connected before; null while it is.
    .addColumn('down_since', 'timestamptz')
    // The status last announced: connected, disconnected or logged_out; null before the first connection.
    .addColumn('announced_status', 'text')
    // The one announced before it, which the announcement reports as its previous status.
    .addColumn('announced_before', 'text')
    // Each announcement's number: its workflow's and its events' ids are derived from it.
    .addColumn('announcement_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('announced_at', 'timestamptz')
    // True until the announcement's workflow has been started (any process retries it).
    .addColumn('announcement_pending', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
  await sql`create index channels_outages on channels (down_since) where down_since is not null and announced_status = 'connected'`.execute(db);
  await sql`create index channels_announcements_pending on channels (announced_at) where announcement_pending`.execute(db);
  // The dashboard hears of an announcement (the banner) as it hears of a status change.
  await sql`
    create or replace function caty_live_channel() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' or new.status is distinct from old.status or new.qr is distinct from old.qr or new.phone is distinct from old.phone
        or new.removed_at is distinct from old.removed_at or new.announced_status is distinct from old.announced_status then
        insert into live_events (account_id, kind, data) values (new.account_id, 'channel.status_changed', jsonb_build_object('channel_id', new.id));
      end if;
      return null;
    end $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function caty_live_channel() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' or new.status is distinct from old.status or new.qr is distinct from old.qr or new.phone is distinct from old.phone or new.removed_at is distinct from old.removed_at then
        insert into live_events (account_id, kind, data) values (new.account_id, 'channel.status_changed', jsonb_build_object('channel_id', new.id));
      end if;
      return null;
    end $$`.execute(db);
  await db.schema
    .alterTable('channels')
    .dropColumn('down_since')
    .dropColumn('announced_status')
    .dropColumn('announced_before')
    .dropColumn('announcement_seq')
    .dropColumn('announced_at')
    .dropColumn('announcement_pending')
    .execute();
}
