import type { Kysely, Selectable } from 'kysely';
import { newId } from '../../activities/ids.js';
import { heldByAnotherAccount } from '../../activities/whatsapp/number-claims.js';
import type { Database } from '../schema.js';

export type Link = Selectable<Database['links']>;

export type LinkOutcome = { linked: Link } | { refused: 'held_by_another_account' | 'not_connected' };

/**
 * Links a number to one of the account's widgets, or moves its link there. Under the number's
 * lock (the one connecting a channel takes too, activities/whatsapp/number-claims.ts), so two
 * accounts linking the same number at once are served one after the other: the number must not
 * be another account's (linked, or connected on its channel), and must be connected on one of
 * this account's channels.
 */
export async function linkNumber(
  db: Kysely<Database>,
  link: { accountId: string; widgetId: string; phone: string; channelType: Link['channel_type'] },
): Promise<LinkOutcome> {
  return db.transaction().execute(async (trx) => {
    if (await heldByAnotherAccount(trx, link.phone, link.accountId)) return { refused: 'held_by_another_account' };
    const channel = await trx
      .selectFrom('channels')
      .select('id')
      .where('account_id', '=', link.accountId)
      .where('phone', '=', link.phone)
      .where('status', '=', 'connected')
      .where('removed_at', 'is', null)
      .orderBy('updated_at', 'desc')
      .executeTakeFirst();
    if (!channel) return { refused: 'not_connected' };
    const linked = await trx
      .insertInto('links')
      .values({ id: newId('lnk'), account_id: link.accountId, widget_id: link.widgetId, channel_id: channel.id, channel_type: link.channelType, phone: link.phone })
      .onConflict((oc) =>
        oc
          .column('phone')
          .doUpdateSet((eb) => ({ widget_id: eb.ref('excluded.widget_id'), channel_id: eb.ref('excluded.channel_id'), channel_type: eb.ref('excluded.channel_type') }))
          // Never another account's row, whatever happened since the check.
          .where('links.account_id', '=', link.accountId),
      )
      .returningAll()
      .executeTakeFirst();
    return linked ? { linked } : { refused: 'held_by_another_account' };
  });
}
