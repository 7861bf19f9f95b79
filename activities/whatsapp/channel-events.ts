import type { Kysely } from 'kysely';
import { announceStatusChange, type Announcement } from '../../db/queries/channel-alerts.js';
import { newId } from '../../db/ids.js';
import type { EventDeps } from '../webhooks/emit-event.js';
import type { Channel, Database } from '../../db/schema.js';
import { startAnnouncement } from './channel-watch.js';
import { updateChannelStatus } from './channel-status.js';
import { heldByAnotherAccount } from '../../db/queries/links.js';
import type { ChannelStatusUpdate } from './provider.js';

/**
 * Applies a connection state change and, when the status itself changed, records it in the
 * channel's event log in the same transaction, so the log and the channel row never disagree.
 * QR rotations and error texts update the row without an entry. What the business hears of
 * (the `channel.status_changed` webhook, the banner, a WhatsApp alert) is decided here too, in
 * the same transaction: not every change, only a number connected, logged out, or away for long
 * (db/queries/channel-alerts.ts).
 */
export async function recordChannelStatus(
  db: Kysely<Database>,
  channelId: string,
  update: ChannelStatusUpdate,
  events?: EventDeps,
): Promise<Channel | undefined> {
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
      await trx.updateTable('links').set({ channel_id: channelId }).where('account_id', '=', before.account_id).where('phone', '=', phone).execute();
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
  const announced = announcement as Announcement | null;
  // Started here when this process can; otherwise any process's channel watch starts it shortly.
  if (announced && events) await startAnnouncement(events, announced).catch(() => undefined);
  return channel;
}
