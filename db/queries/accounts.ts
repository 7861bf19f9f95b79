import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** The account an API key (by its hash) opens now, and until when: null for the current key, which does not expire. */
export async function accountByKeyHash(db: Kysely<Database>, hash: string): Promise<{ accountId: string; expiresAt: Date | null } | undefined> {
  const row = await db
    .selectFrom('accounts')
    .select(['id', 'api_key_hash', 'previous_api_key_expires_at'])
    .where((eb) => eb.or([eb('api_key_hash', '=', hash), eb.and([eb('previous_api_key_hash', '=', hash), eb('previous_api_key_expires_at', '>', sql<Date>`now()`)])]))
    .executeTakeFirst();
  if (!row) return undefined;
  return { accountId: row.id, expiresAt: row.api_key_hash === hash ? null : row.previous_api_key_expires_at };
}

/**
 * Makes `newHash` the account's key; the key it replaces keeps working for `graceSeconds` (0: not
 * at all), by the database's clock. A key replaced earlier and still in its grace ends at once:
 * an account has at most two keys. Returns when the replaced key stops working.
 */
export async function replaceApiKey(db: Kysely<Database>, accountId: string, newHash: string, graceSeconds: number): Promise<Date> {
  const row = await db
    .updateTable('accounts')
    .set((eb) => ({
      previous_api_key_hash: eb.ref('api_key_hash'),
      previous_api_key_expires_at: sql<Date>`now() + make_interval(secs => ${graceSeconds})`,
      api_key_hash: newHash,
    }))
    .where('id', '=', accountId)
    .returning('previous_api_key_expires_at')
    .executeTakeFirstOrThrow();
  return row.previous_api_key_expires_at!;
}

/** A new account with its key (by its hash); `ifAbsent` leaves an account with this id as it is. */
export async function createAccount(db: Kysely<Database>, account: { id: string; name: string; apiKeyHash: string }, ifAbsent = false): Promise<void> {
  await db
    .insertInto('accounts')
    .values({ id: account.id, name: account.name, api_key_hash: account.apiKeyHash })
    .$if(ifAbsent, (q) => q.onConflict((oc) => oc.column('id').doNothing()))
    .execute();
}
