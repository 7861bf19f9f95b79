import type { Kysely } from 'kysely';
import { newId, stableId } from '../ids.js';
import { emitEvent, type EventDeps } from '../events/emit-event.js';
import type { Channel, Database } from '../../db/schema.js';
import { updateChannelStatus } from './channel-status.js';
import { heldByAnotherAccount } from './number-claims.js';
import type { ChannelStatusUpdate } from './provider.js';

/**
 * Applies a connection state change and, when the status itself changed, records a
 * `channel.status_changed` event in the same transaction, so the event log and the channel row
 * never disagree. QR rotations and error texts update the row without an event.
 */
export async function recordChannelStatus(
  db: Kysely<Database>,
  channelId: string,
  update: ChannelStatusUpdate,
  events?: EventDeps,
): Promise<Channel | undefined> {
  let recorded: { id: string; data: Record<string, unknown> } | null = null;
  const channel = await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('channels').select(['status', 'phone', 'account_id']).where('id', '=', channelId).forUpdate().executeTakeFirst();
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
      recorded = { id: newId('chev'), data };
      await trx
        .insertInto('channel_events')
        .values({ id: recorded.id, channel_id: channelId, account_id: after.account_id, event: 'channel.status_changed', data: JSON.stringify(data) })
        .execute();
    }
    return after;
  });
  const change = recorded as { id: string; data: Record<string, unknown> } | null;
  if (change && events) {
    // Webhooks belong to widgets: every widget this channel's number is linked to hears of it.
    const links = await db.selectFrom('links').select('widget_id').where('channel_id', '=', channelId).execute();
    for (const link of links) {
      await emitEvent(events, { id: stableId('evt', `${change.id}:${link.widget_id}`), widgetId: link.widget_id, event: 'channel.status_changed', data: change.data });
    }
  }
  return channel;
}
