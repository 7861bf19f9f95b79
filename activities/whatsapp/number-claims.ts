import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

/**
 * A number belongs to the account that connected or linked it: while another account has a link
 * for it, or a channel connected (or connecting) with it, nobody else may claim it. Call inside
 * the transaction that would claim it: the advisory lock serialises two accounts scanning at once.
 */
export async function heldByAnotherAccount(trx: Kysely<Database>, phone: string, accountId: string): Promise<boolean> {
  await sql`select pg_advisory_xact_lock(hashtext(${`number:${phone}`}))`.execute(trx);
  const linked = await trx.selectFrom('links').select('id').where('phone', '=', phone).where('account_id', '!=', accountId).executeTakeFirst();
  if (linked) return true;
  const connected = await trx
    .selectFrom('channels')
    .select('id')
    .where('phone', '=', phone)
    .where('account_id', '!=', accountId)
    .where('status', 'in', ['connected', 'connecting'])
    .executeTakeFirst();
  return connected !== undefined;
}
