import type { Kysely } from 'kysely';
import { alertRoute, type AlertRoute } from '../../db/queries/channel-alerts.js';
import type { Database } from '../../db/schema.js';

/** What the channel-status workflow reads: who hears of a number's announcement, and through which number. */
export function createChannelAlertActivities(deps: { db: Kysely<Database> }) {
  return {
    channelAlertRoute: (input: { channelId: string; widgetIds: string[] }): Promise<AlertRoute | null> => alertRoute(deps.db, input.channelId, input.widgetIds),
  };
}

export type ChannelAlertActivities = ReturnType<typeof createChannelAlertActivities>;
