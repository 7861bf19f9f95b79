import assert from 'node:assert/strict';
import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { stateQuery } from '../../workflows/conversation/signals.js';
import type { ConversationSnapshot } from '../../workflows/conversation/state.js';
import { eventually, type ApiClient } from './stack.js';

export interface KnowledgeEntry {
  question: string;
  answer: string;
}

export const demoKnowledge: KnowledgeEntry[] = [
  { question: 'Cat costa livrarea?', answer: 'Livrarea costă 15 lei, gratuită peste 200 lei.' },
  { question: 'Cat dureaza livrarea?', answer: 'Livrarea durează 1-3 zile lucrătoare.' },
  { question: 'Care este programul magazinului?', answer: 'Suntem deschiși luni-vineri, 9:00-18:00.' },
  { question: 'How much is shipping?', answer: 'Shipping costs 15 lei, free over 200 lei.' },
];

let phoneCounter = 0;
/** A fresh, valid Romanian mobile number per call, so tests never share a conversation. */
export function uniquePhone(): string {
  phoneCounter++;
  const base = (Date.now() % 1_000_000) * 100 + (process.pid % 100);
  return `+4072${String((base + phoneCounter * 7919) % 10_000_000).padStart(7, '0')}`;
}

/** A widget with a connected sandbox number linked to it, ready to receive messages. */
export async function connectedWidget(
  api: ApiClient,
  options: { channelType?: 'web' | 'qr_first' | 'notifications'; widget?: Record<string, unknown> } = {},
): Promise<{ widgetId: string; channelId: string; businessPhone: string }> {
  const widget = await api.post('/api/widgets', { name: 'Magazin Test', knowledge_base: demoKnowledge, ...options.widget });
  assert.equal(widget.status, 201, JSON.stringify(widget.body));
  const channel = await api.post('/api/whatsapp/channels', { provider: 'sandbox' });
  assert.equal(channel.status, 201, JSON.stringify(channel.body));
  const businessPhone = uniquePhone();
  const scan = await api.post(`/api/whatsapp/sandbox/channels/${channel.body.id}/scan`, { phone: businessPhone });
  assert.equal(scan.status, 200, JSON.stringify(scan.body));
  const link = await api.post('/api/whatsapp/links', {
    widget_id: widget.body.id,
    whatsapp_channel: options.channelType ?? 'web',
    phone: businessPhone,
  });
  assert.equal(link.status, 201, JSON.stringify(link.body));
  return { widgetId: widget.body.id, channelId: channel.body.id, businessPhone };
}

export async function outbox(api: ApiClient, phone: string): Promise<{ id: string; text: string; from: string; to: string }[]> {
  const response = await api.get(`/api/whatsapp/sandbox/outbox?phone=${encodeURIComponent(phone)}`);
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body;
}

/** A customer message through the sandbox, as a real socket would deliver it; asserts it was accepted. */
export async function customerSays(api: ApiClient, businessPhone: string, from: string, text: string): Promise<{ message_id: string; conversation_id: string }> {
  const response = await api.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from, text });
  assert.equal(response.status, 202, JSON.stringify(response.body));
  return response.body;
}

/**
 * Waits until a conversation has handled at least `count.processed` work items (or
 * `count.customerMessages` messages) and has nothing queued or in hand: whatever it was going to
 * do about them is done. What did not happen can then be checked without a fixed sleep.
 */
export async function conversationSettled(
  stack: { client: Client; db: Kysely<Database> },
  conversationId: string,
  count: { processed?: number; customerMessages?: number },
  timeoutMs = 15_000,
): Promise<ConversationSnapshot> {
  const row = await eventually(() => stack.db.selectFrom('conversations').select('workflow_id').where('id', '=', conversationId).executeTakeFirst(), timeoutMs, `conversation ${conversationId}`);
  const handle = stack.client.workflow.getHandle(row.workflow_id);
  return eventually(
    async () => {
      const s = await handle.query(stateQuery);
      return s.pending === 0 && !s.working && s.processed >= (count.processed ?? 0) && s.customerMessages >= (count.customerMessages ?? 0) && s;
    },
    timeoutMs,
    `conversation ${conversationId} to settle after ${JSON.stringify(count)}`,
  );
}
