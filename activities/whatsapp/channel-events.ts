import type { Kysely } from 'kysely';
import { applyChannelStatus } from '../../db/queries/channels.js';
import type { EventDeps } from '../webhooks/emit-event.js';
import type { Channel, Database } from '../../db/schema.js';
import { startAnnouncement } from './channel-watch.js';
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
  const { channel, announcement: announced } = await applyChannelStatus(db, channelId, update);
  // Started here when this process can; otherwise any process's channel watch starts it shortly.
  if (announced && events) await startAnnouncement(events, announced).catch(() => undefined);
  return channel;
}
