import { sql, type Kysely, type Transaction } from 'kysely';
import type { AnnouncedStatus, ChannelStatus, Database } from '../schema.js';

/**
 * What the business is told about a number's connection, and when. A connection flickers
 * (reconnects, QR rotations, a phone briefly offline); the business hears only of what needs it:
 * the number is logged out (at once), or has been away longer than the alert threshold, and
 * later that it is connected again. One announcement per change, each with its number (`seq`),
 * from which its workflow's and its events' ids are derived, so that a retried one is the same one.
 */

export interface Announcement {
  channelId: string;
  seq: number;
  status: AnnouncedStatus;
  previousStatus: AnnouncedStatus | null;
  /** When the number went away (for a down announcement). */
  downSince: string | null;
  /** The widgets the number was linked to when it was announced: they hear of it. */
  widgetIds: string[];
}

interface AnnouncedRow {
  id: string;
  announcement_seq: number;
  announced_status: AnnouncedStatus | null;
  announced_before: AnnouncedStatus | null;
  down_since: Date | null;
  widget_ids: string[];
}

const ANNOUNCED = ['id', 'announcement_seq', 'announced_status', 'announced_before', 'down_since'] as const;
/** In the RETURNING of an update of `channels`: the widgets its number is linked to at that moment. */
const LINKED_WIDGETS = sql<string[]>`(select coalesce(array_agg(links.widget_id order by links.widget_id), '{}') from links
  where links.account_id = channels.account_id and links.phone = channels.phone)`.as('widget_ids');

function toAnnouncement(row: AnnouncedRow): Announcement {
  return {
    channelId: row.id,
    seq: row.announcement_seq,
    status: row.announced_status!,
    previousStatus: row.announced_before,
    downSince: row.down_since?.toISOString() ?? null,
    widgetIds: row.widget_ids,
  };
}

/**
 * Inside the transaction that records a status change (activities/whatsapp/channel-events.ts):
 * keeps `down_since`, and announces what needs no waiting: connected (the first time, or back
 * after an announced outage) and logged out (while the business believes it connected). Returns
 * the announcement to start, if any.
 */
export async function announceStatusChange(
  trx: Transaction<Database>,
  channelId: string,
  before: { status: ChannelStatus; announced_status: AnnouncedStatus | null; down_since: Date | null },
  status: ChannelStatus,
): Promise<Announcement | null> {
  const downSince = status === 'connected' ? null : before.status === 'connected' ? new Date() : before.down_since;
  let announce: AnnouncedStatus | null = null;
  if (status === 'connected' && before.announced_status !== 'connected') announce = 'connected';
  // A logout during an outage already announced belongs to that outage: nothing new to say.
  if (status === 'logged_out' && before.announced_status === 'connected') announce = 'logged_out';
  if (!announce) {
    if (downSince?.getTime() !== before.down_since?.getTime()) await trx.updateTable('channels').set({ down_since: downSince }).where('id', '=', channelId).execute();
    return null;
  }
  const row = await trx
    .updateTable('channels')
    .set((eb) => ({
      down_since: downSince,
      announced_status: announce,
      announced_before: before.announced_status,
      announcement_seq: eb('announcement_seq', '+', 1),
      announced_at: new Date(),
      announcement_pending: true,
    }))
    .where('id', '=', channelId)
    .returning([...ANNOUNCED, LINKED_WIDGETS])
    .executeTakeFirstOrThrow();
  return toAnnouncement(row);
}

/** Numbers away longer than `thresholdMs` that the business still believes connected: announced now, once. */
export async function announceOutages(db: Kysely<Database>, thresholdMs: number): Promise<Announcement[]> {
  const rows = await db
    .updateTable('channels')
    .set((eb) => ({ announced_status: 'disconnected', announced_before: 'connected', announcement_seq: eb('announcement_seq', '+', 1), announced_at: new Date(), announcement_pending: true }))
    .where('announced_status', '=', 'connected')
    .where('down_since', '<=', sql<Date>`now() - make_interval(secs => ${thresholdMs / 1000})`)
    .where('status', '!=', 'connected')
    .where('removed_at', 'is', null)
    .returning([...ANNOUNCED, LINKED_WIDGETS])
    .execute();
  return rows.map(toAnnouncement);
}

/**
 * Announcements whose workflow was not confirmed started within `graceMs` (the process died, or
 * Temporal was away): claimed again, for this process to start. Starting twice is harmless, the
 * workflow id being the announcement's.
 */
export async function unstartedAnnouncements(db: Kysely<Database>, graceMs: number): Promise<Announcement[]> {
  const rows = await db
    .updateTable('channels')
    .set({ announced_at: new Date() })
    .where('announcement_pending', '=', true)
    .where('announced_at', '<=', sql<Date>`now() - make_interval(secs => ${graceMs / 1000})`)
    .returning([...ANNOUNCED, LINKED_WIDGETS])
    .execute();
  return rows.map(toAnnouncement);
}

/** The announcement's workflow is started: nobody needs to start it again. */
export async function announcementStarted(db: Kysely<Database>, announcement: Announcement): Promise<void> {
  await db.updateTable('channels').set({ announcement_pending: false }).where('id', '=', announcement.channelId).where('announcement_seq', '=', announcement.seq).execute();
}

export interface AlertRecipient {
  widgetId: string;
  language: string;
  alertPhone: string | null;
}

export interface AlertRoute {
  phone: string | null;
  provider: 'sandbox' | 'baileys';
  /** Removed by the business itself: no alert, it knows. */
  removed: boolean;
  /** The announcement's widgets, and where each wants its alerts. */
  recipients: AlertRecipient[];
  /** Another connected number of the same account, to send the WhatsApp alert from. */
  sender: { channelId: string; provider: 'sandbox' | 'baileys' } | null;
}

/** How a number's announcement reaches the widgets it names, and through which other number. */
export async function alertRoute(db: Kysely<Database>, channelId: string, widgetIds: string[]): Promise<AlertRoute | null> {
  const channel = await db.selectFrom('channels').select(['account_id', 'phone', 'provider', 'removed_at']).where('id', '=', channelId).executeTakeFirst();
  if (!channel) return null;
  const recipients = widgetIds.length
    ? await db
        .selectFrom('widgets')
        .select(['id as widget_id', 'default_language', sql<string | null>`settings -> 'notifications' ->> 'alert_phone'`.as('alert_phone')])
        .where('id', 'in', widgetIds)
        .orderBy('id')
        .execute()
    : [];
  const sender = await db
    .selectFrom('channels')
    .select(['id', 'provider'])
    .where('account_id', '=', channel.account_id)
    .where('id', '!=', channelId)
    .where('status', '=', 'connected')
    .where('removed_at', 'is', null)
    .where('phone', 'is not', null)
    .where('phone', '!=', channel.phone ?? '')
    .orderBy('updated_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return {
    phone: channel.phone,
    provider: channel.provider,
    removed: channel.removed_at !== null,
    recipients: recipients.map((r) => ({ widgetId: r.widget_id, language: r.default_language, alertPhone: r.alert_phone })),
    sender: sender ? { channelId: sender.id, provider: sender.provider } : null,
  };
}
