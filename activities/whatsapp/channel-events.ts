import type { Kysely } from 'kysely';
import { newId } from '../ids.js';
import type { Channel, Database } from '../../db/schema.js';
import { updateChannelStatus } from './channel-status.js';
import type { ChannelStatusUpdate } from './provider.js';

/**
 * Applies a connection state change and, when the status itself changed, records a
 * `channel.status_changed` event in the same transaction, so the event log and the channel row
 * never disagree. QR rotations and error texts update the row without an event.
 */
export async function recordChannelStatus(db: Kysely<Database>, channelId: string, update: ChannelStatusUpdate): Promise<Channel | undefined> {
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('channels').select(['status', 'phone']).where('id', '=', channelId).forUpdate().executeTakeFirst();
    if (!before) return undefined;
    const after = await updateChannelStatus(trx, channelId, update);
    if (after && after.status !== before.status) {
      await trx
        .insertInto('channel_events')
        .values({
          id: newId('chev'),
          channel_id: channelId,
          account_id: after.account_id,
          event: 'channel.status_changed',
          data: JSON.stringify({
            channel_id: channelId,
            provider: after.provider,
            previous_status: before.status,
            status: after.status,
            phone: after.phone,
            ...(after.last_error ? { last_error: after.last_error } : {}),
          }),
        })
        .execute();
    }
    return after;
  });
}
