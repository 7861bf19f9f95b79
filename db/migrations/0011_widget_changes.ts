import { sql, type Kysely } from 'kysely';

// Workers keep widgets in memory (db/widget-cache.ts); every change or removal
// of one is announced on `caty_widgets` with its id, whichever process made it.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function caty_widget_changed() returns trigger language plpgsql as $$
    begin
      perform pg_notify('caty_widgets', old.id);
      return null;
    end $$`.execute(db);
  await sql`create trigger widget_changed after update or delete on widgets for each row execute function caty_widget_changed()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger widget_changed on widgets`.execute(db);
  await sql`drop function caty_widget_changed()`.execute(db);
}
