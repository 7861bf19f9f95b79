import type { Migration } from 'kysely';
import * as initial from './0001_initial.js';
import * as whatsappSessions from './0002_whatsapp_sessions.js';
import * as webhooks from './0003_webhooks.js';
import * as messageIngestKey from './0004_message_ingest_key.js';
import * as leads from './0005_leads.js';
import * as messageFailures from './0006_message_failures.js';
import * as inbox from './0007_inbox.js';
import * as channelRemoval from './0008_channel_removal.js';
import * as liveEvents from './0009_live_events.js';
import * as liveEventsRetention from './0010_live_events_retention.js';
import * as widgetChanges from './0011_widget_changes.js';
import * as knowledgeSources from './0016_knowledge_sources.js';
import * as media from './0013_media.js';
import * as embeddings from './0018_embeddings.js';
import * as apiKeyRotation from './0014_api_key_rotation.js';
import * as inboxMediaHold from './0017_inbox_media_hold.js';
import * as channelAlerts from './0012_channel_alerts.js';
import * as people from './0019_people.js';
import * as retentionIndexes from './0020_retention_indexes.js';
import * as erasures from './0020_erasures.js';
import * as conversationClose from './0020_conversation_close.js';

/**
 * Every migration file, in order. Listed statically (rather than read from the folder at run
 * time) so that the same code works from TypeScript sources, a bundle or a container image.
 */
export const migrations: Record<string, Migration> = {
  '0001_initial': initial,
  '0002_whatsapp_sessions': whatsappSessions,
  '0003_webhooks': webhooks,
  '0004_message_ingest_key': messageIngestKey,
  '0005_leads': leads,
  '0006_message_failures': messageFailures,
  '0007_inbox': inbox,
  '0008_channel_removal': channelRemoval,
  '0009_live_events': liveEvents,
  '0010_live_events_retention': liveEventsRetention,
  '0011_widget_changes': widgetChanges,
  '0016_knowledge_sources': knowledgeSources,
  '0013_media': media,
  '0018_embeddings': embeddings,
  '0014_api_key_rotation': apiKeyRotation,
  '0017_inbox_media_hold': inboxMediaHold,
  '0012_channel_alerts': channelAlerts,
  '0019_people': people,
  '0020_retention_indexes': retentionIndexes,
  '0020_erasures': erasures,
  '0020_conversation_close': conversationClose,
};
