import { sql, type Expression, type Kysely, type Selectable } from 'kysely';
import { newId } from '../ids.js';
import type { Database } from '../schema.js';
import type { ChannelProvider, ChannelType } from '../../workflows/conversation/domain.js';
import type { ConversationLink } from '../../workflows/conversation/state.js';

export type Link = Selectable<Database['links']>;

export interface LinkedNumber {
  account_id: string;
  widget_id: string;
  channel_id: string;
  channel_type: ChannelType;
  provider: ChannelProvider;
  phone: string;
}

export type LinkOutcome = { linked: Link } | { refused: 'held_by_another_account' | 'not_connected' };

/**
 * Links a number to one of the account's widgets, or moves its link there. Under the number's
 * lock (the one connecting a channel takes too, heldByAnotherAccount below), so two
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

/** The account's links, newest first. */
export function listLinks(db: Kysely<Database>, accountId: string): Promise<Link[]> {
  return db.selectFrom('links').selectAll().where('account_id', '=', accountId).orderBy('created_at', 'desc').limit(500).execute();
}

export function findOwnLink(db: Kysely<Database>, accountId: string, phone: string): Promise<Link | undefined> {
  return db.selectFrom('links').selectAll().where('account_id', '=', accountId).where('phone', '=', phone).executeTakeFirst();
}

/** Removes the account's link for a number; returns it, or undefined when there was none. */
export function unlinkNumber(db: Kysely<Database>, accountId: string, phone: string): Promise<Link | undefined> {
  return db.deleteFrom('links').where('account_id', '=', accountId).where('phone', '=', phone).returningAll().executeTakeFirst();
}

/** A link the demo seeds, unless the number is linked already. */
export async function ensureLink(db: Kysely<Database>, link: { id: string; accountId: string; widgetId: string; channelId: string; channelType: Link['channel_type']; phone: string }): Promise<void> {
  await db
    .insertInto('links')
    .values({ id: link.id, account_id: link.accountId, widget_id: link.widgetId, channel_id: link.channelId, channel_type: link.channelType, phone: link.phone })
    .onConflict((oc) => oc.column('phone').doNothing())
    .execute();
}

/** Scanned again on a new channel: the number's link follows it. */
export async function followChannel(trx: Kysely<Database>, link: { accountId: string; phone: string; channelId: string }): Promise<void> {
  await trx.updateTable('links').set({ channel_id: link.channelId }).where('account_id', '=', link.accountId).where('phone', '=', link.phone).execute();
}

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

/**
 * The link behind a channel, as a query: `channelId` may also be a column of an enclosing
 * statement (the inbox reads the link in the statement that stores a message).
 */
export function channelLink(db: Kysely<Database>, channelId: string | Expression<string>) {
  return db
    .selectFrom('channels')
    .innerJoin('links', (join) => join.onRef('links.account_id', '=', 'channels.account_id').onRef('links.phone', '=', 'channels.phone'))
    .select(['links.account_id', 'links.widget_id', 'channels.id as channel_id', 'links.channel_type', 'channels.provider', 'links.phone'])
    .where('channels.id', '=', channelId);
}

/**
 * The widget and channel behind a business number, or undefined when it is not linked. A message
 * is resolved by the channel that received it: the link must belong to that channel's account,
 * so a number claimed by someone else can never reach this account's conversations.
 */
export function findLink(
  db: Kysely<Database>,
  where: { channelId: string } | { widgetId: string; inUseOnly?: boolean } | { accountId: string; phone: string },
): Promise<LinkedNumber | undefined> {
  if ('channelId' in where) return channelLink(db, where.channelId).executeTakeFirst();
  let query = db
    .selectFrom('links')
    .innerJoin('channels', 'channels.id', 'links.channel_id')
    .select(['links.account_id', 'links.widget_id', 'links.channel_id', 'links.channel_type', 'channels.provider', 'links.phone']);
  query =
    'phone' in where
      ? query.where('links.account_id', '=', where.accountId).where('links.phone', '=', where.phone)
      : // A widget may have several numbers: one still in use first (a connected one first), then the
        // oldest link. A removed one comes last, where a send fails at once and says why.
        query
          .where('links.widget_id', '=', where.widgetId)
          .$if(where.inUseOnly === true, (q) => q.where('channels.removed_at', 'is', null))
          .orderBy(sql`channels.removed_at is null`, 'desc')
          .orderBy(sql`channels.status = 'connected'`, 'desc')
          .orderBy('links.created_at', 'asc');
  return query.executeTakeFirst();
}

/** The link as a conversation carries it (where its replies and alerts go out). */
export function conversationLink(link: LinkedNumber): ConversationLink {
  return { channelId: link.channel_id, provider: link.provider, businessPhone: link.phone, channelType: link.channel_type };
}
