import { sql, type Kysely } from 'kysely';
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
  await db
    .insertInto('widgets')
    .values({
      id: DEMO_WIDGET_ID,
      account_id: DEFAULT_ACCOUNT_ID,
      name: 'Magazinul Demo',
      default_language: DEMO_DEFAULT_LANGUAGE,
      assistant_name: 'Caty',
      personality: 'Prietenoasă și concisă.',
      knowledge_base: JSON.stringify(DEMO_KNOWLEDGE),
      settings: JSON.stringify({ admin_phones: [], allowed_origins: allowedOrigins }),
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  // A restart on another port: the demo page's new origin is added to what the business set.
  for (const origin of allowedOrigins) {
    await sql`update widgets set settings = jsonb_set(settings, '{allowed_origins}', coalesce(settings->'allowed_origins', '[]'::jsonb) || to_jsonb(${origin}::text))
      where id = ${DEMO_WIDGET_ID} and not coalesce(settings->'allowed_origins', '[]'::jsonb) ? ${origin}`.execute(db);
  }
  await db
    .insertInto('channels')
    .values({
      id: DEMO_CHANNEL_ID,
      account_id: DEFAULT_ACCOUNT_ID,
      provider: 'sandbox',
      name: 'Demo sandbox number',
      status: 'connected',
      phone: DEMO_BUSINESS_PHONE,
      qr: null,
      last_error: null,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  await db
    .insertInto('links')
    .values({
      id: 'lnk_demo',
      account_id: DEFAULT_ACCOUNT_ID,
      widget_id: DEMO_WIDGET_ID,
      channel_id: DEMO_CHANNEL_ID,
      channel_type: 'web',
      phone: DEMO_BUSINESS_PHONE,
    })
    .onConflict((oc) => oc.column('phone').doNothing())
    .execute();
}
