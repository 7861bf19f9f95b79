import type { Kysely } from 'kysely';
import type { Channel, Database } from '../../db/schema.js';
import type { ChannelStatusUpdate } from './provider.js';

/** Records a connection state change; returns the channel as it now is. */
export async function updateChannelStatus(db: Kysely<Database>, channelId: string, update: ChannelStatusUpdate): Promise<Channel | undefined> {
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
