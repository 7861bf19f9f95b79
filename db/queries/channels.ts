import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ChannelStatusUpdate } from '../../activities/whatsapp/provider.js';
import { newId } from '../ids.js';
import type { Channel, Database } from '../schema.js';
import type { ChannelProvider } from '../../workflows/conversation/domain.js';
import { announceStatusChange, type Announcement } from './channel-alerts.js';
import { followChannel, heldByAnotherAccount } from './links.js';

/** The channels (WhatsApp numbers connected to an account) and their event log: the only code that writes them, with db/queries/channel-alerts.ts for what the business was told. */

/** Records a connection state change; returns the channel as it now is. */
async function updateChannelStatus(db: Kysely<Database>, channelId: string, update: ChannelStatusUpdate): Promise<Channel | undefined> {
  return db
    .updateTable('channels')
    .set({
      status: update.status,
      updated_at: new Date(),
      ...(update.phone !== undefined ? { phone: update.phone } : {}),
      ...(update.qr !== undefined ? { qr: update.qr } : update.status !== 'qr' ? { qr: null } : {}),
      ...(update.lastError !== undefined ? { last_error: update.lastError } : {}),
    })
    .where('id', '=', channelId)
    .returningAll()
    .executeTakeFirst();
}

/**
 * Applies a connection state change and, when the status itself changed, records it in the
 * channel's event log in the same transaction, so the log and the channel row never disagree.
 * QR rotations and error texts update the row without an entry. What the business hears of is
 * decided in the same transaction (db/queries/channel-alerts.ts): returned as `announcement`.
 */
export async function applyChannelStatus(
  db: Kysely<Database>,
  channelId: string,
  update: ChannelStatusUpdate,
): Promise<{ channel: Channel | undefined; announcement: Announcement | null }> {
  let announcement: Announcement | null = null;
  const channel = await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('channels')
      .select(['status', 'phone', 'account_id', 'announced_status', 'down_since'])
      .where('id', '=', channelId)
      .forUpdate()
      .executeTakeFirst();
    if (!before) return undefined;
    const phone = update.phone ?? null;
    if (phone && update.status === 'connected' && (await heldByAnotherAccount(trx, phone, before.account_id))) {
      // Another account's number: this channel may not speak for it.
      update = { status: 'disconnected', phone: null, qr: null, lastError: `${phone} is connected to another Caty account; this channel cannot use it` };
    } else if (phone && update.status === 'connected') {
      // Scanned again on a new channel: the number's link follows it.
      await followChannel(trx, { accountId: before.account_id, phone, channelId });
    }
    const after = await updateChannelStatus(trx, channelId, update);
    if (after && after.status !== before.status) {
      const data = {
        channel_id: channelId,
        provider: after.provider,
        previous_status: before.status,
        status: after.status,
        phone: after.phone,
        ...(after.last_error ? { last_error: after.last_error } : {}),
      };
      await trx
        .insertInto('channel_events')
        .values({ id: newId('chev'), channel_id: channelId, account_id: after.account_id, event: 'channel.status_changed', data: JSON.stringify(data) })
        .execute();
      announcement = await announceStatusChange(trx, channelId, before, after.status);
      // As it is now, with what the business was told.
      return trx.selectFrom('channels').selectAll().where('id', '=', channelId).executeTakeFirst();
    }
    return after;
  });
  return { channel, announcement };
}

/** A new channel; the sandbox has no WhatsApp server to ask for a QR, so it makes one up (and "scanning" it is an API call). */
export async function createChannel(db: Kysely<Database>, channel: { accountId: string; provider: ChannelProvider; name: string | null }): Promise<string> {
  const id = newId('chn');
  const sandbox = channel.provider === 'sandbox';
  await db
    .insertInto('channels')
    .values({
      id,
      account_id: channel.accountId,
      provider: channel.provider,
      name: channel.name,
      status: sandbox ? 'qr' : 'pending',
      qr: sandbox ? `caty-sandbox:${id}:${randomBytes(8).toString('hex')}` : null,
      phone: null,
      last_error: null,
    })
    .execute();
  return id;
}

/** A channel the demo seeds, unless it is there already. */
export async function ensureChannel(
  db: Kysely<Database>,
  channel: { id: string; accountId: string; provider: ChannelProvider; name: string; status: Channel['status']; phone: string },
): Promise<void> {
  await db
    .insertInto('channels')
    .values({ id: channel.id, account_id: channel.accountId, provider: channel.provider, name: channel.name, status: channel.status, phone: channel.phone, qr: null, last_error: null })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

export async function markChannelRemoved(db: Kysely<Database>, channelId: string): Promise<void> {
  await db.updateTable('channels').set({ removed_at: new Date() }).where('id', '=', channelId).execute();
}

/** The account's channels in use, newest first. */
export function listChannels(db: Kysely<Database>, accountId: string): Promise<Channel[]> {
  return db.selectFrom('channels').selectAll().where('account_id', '=', accountId).where('removed_at', 'is', null).orderBy('created_at', 'desc').limit(200).execute();
}

/** The account's channel in use, by id; another account's is as absent as one that does not exist. */
export function findOwnChannel(db: Kysely<Database>, accountId: string, channelId: string): Promise<Channel | undefined> {
  return db.selectFrom('channels').selectAll().where('id', '=', channelId).where('account_id', '=', accountId).where('removed_at', 'is', null).executeTakeFirst();
}

/** Whether another of the account's channels is connected with this number. */
export async function connectedElsewhere(db: Kysely<Database>, accountId: string, phone: string, channelId: string): Promise<boolean> {
  const taken = await db
    .selectFrom('channels')
    .select('id')
    .where('phone', '=', phone)
    .where('account_id', '=', accountId)
    .where('status', '=', 'connected')
    .where('id', '!=', channelId)
    .executeTakeFirst();
  return taken !== undefined;
}
