import type { Kysely } from 'kysely';
import { DEFAULT_ACCOUNT_ID } from '../api/middleware/auth.js';
import type { Database } from '../db/schema.js';

export const DEMO_WIDGET_ID = 'wgt_demo';
export const DEMO_CHANNEL_ID = 'chn_demo_sandbox';
export const DEMO_BUSINESS_PHONE = '+40700000001';

const demoKnowledge = [
  { question: 'Cât costă livrarea?', answer: 'Livrarea costă 15 lei și este gratuită pentru comenzile de peste 200 de lei.' },
  { question: 'Cât durează livrarea?', answer: 'Livrarea durează 1-3 zile lucrătoare în toată țara.' },
  { question: 'Care este programul magazinului?', answer: 'Suntem deschiși de luni până vineri, între 9:00 și 18:00.' },
  { question: 'Pot returna un produs?', answer: 'Da, aveți 30 de zile pentru retur gratuit.' },
  { question: 'How much does shipping cost?', answer: 'Shipping costs 15 lei and is free for orders over 200 lei.' },
  { question: 'What are your opening hours?', answer: 'We are open Monday to Friday, 9:00 to 18:00.' },
];

/** A demo widget with a connected sandbox number, so a fresh `npm start` can hold a conversation. */
export async function seedDemo(db: Kysely<Database>): Promise<void> {
  await db
    .insertInto('widgets')
    .values({
      id: DEMO_WIDGET_ID,
      account_id: DEFAULT_ACCOUNT_ID,
      name: 'Magazinul Demo',
      default_language: 'ro',
      assistant_name: 'Caty',
      personality: 'Prietenoasă și concisă.',
      knowledge_base: JSON.stringify(demoKnowledge),
      settings: JSON.stringify({ admin_phones: [] }),
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
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
