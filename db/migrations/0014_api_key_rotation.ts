import type { Kysely } from 'kysely';

// An account's API key can be replaced (POST /api/accounts/me/keys): the key it replaced keeps
// working until a time the caller chose, then is refused.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('accounts')
    .addColumn('previous_api_key_hash', 'text', (c) => c.unique())
    .addColumn('previous_api_key_expires_at', 'timestamptz')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('accounts').dropColumn('previous_api_key_hash').dropColumn('previous_api_key_expires_at').execute();
}
