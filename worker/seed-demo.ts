import type { Kysely } from 'kysely';
import { ensureChannel } from '../db/queries/channels.js';
import { ensureLink } from '../db/queries/links.js';
import { allowOrigin, ensureWidget } from '../db/queries/widgets.js';
import { DEFAULT_ACCOUNT_ID } from '../api/middleware/auth.js';
import type { Database } from '../db/schema.js';
import { DEMO_DEFAULT_LANGUAGE, DEMO_KNOWLEDGE } from './demo-knowledge.js';

export const DEMO_WIDGET_ID = 'wgt_demo';
export const DEMO_CHANNEL_ID = 'chn_demo_sandbox';
export const DEMO_BUSINESS_PHONE = '+40700000001';

/**
 * A demo widget with a connected sandbox number, so a fresh `npm start` can hold a conversation;
 * its web widget answers the pages of `allowedOrigins` (the API's own, where /demo embeds it).
 */
export async function seedDemo(db: Kysely<Database>, allowedOrigins: string[] = []): Promise<void> {
  await ensureWidget(db, DEFAULT_ACCOUNT_ID, DEMO_WIDGET_ID, {
    name: 'Magazinul Demo',
    default_language: DEMO_DEFAULT_LANGUAGE,
    assistant_name: 'Caty',
    personality: 'Prietenoasă și concisă.',
    knowledge_base: DEMO_KNOWLEDGE,
    settings: { admin_phones: [], allowed_origins: allowedOrigins },
  });
  // A restart on another port: the demo page's new origin is added to what the business set.
  for (const origin of allowedOrigins) await allowOrigin(db, DEMO_WIDGET_ID, origin);
  await ensureChannel(db, { id: DEMO_CHANNEL_ID, accountId: DEFAULT_ACCOUNT_ID, provider: 'sandbox', name: 'Demo sandbox number', status: 'connected', phone: DEMO_BUSINESS_PHONE });
  await ensureLink(db, { id: 'lnk_demo', accountId: DEFAULT_ACCOUNT_ID, widgetId: DEMO_WIDGET_ID, channelId: DEMO_CHANNEL_ID, channelType: 'web', phone: DEMO_BUSINESS_PHONE });
}
