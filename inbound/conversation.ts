import type { Client } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/workflow';
import type { Kysely } from 'kysely';
import { ensureConversation } from '../db/queries/conversations.js';
import { conversationLink, type LinkedNumber } from '../db/queries/links.js';
import type { Database } from '../db/schema.js';
import { stableId } from '../db/ids.js';
import { CONVERSATION_WORKFLOW_TYPE, webConversationWorkflowId, whatsappConversationWorkflowId } from '../workflows/conversation/ids.js';
import { CatyChannelType, CatyCustomerPhone, CatyWidgetId } from '../workflows/conversation/search-attributes.js';
import type { LinkedSignal } from '../workflows/conversation/signals.js';
import type { ConversationInput } from '../workflows/conversation/state.js';
import { signalOrStart } from './signal-or-start.js';

/** CatyChannelType of web conversations: WhatsApp ones carry their link type (web, qr_first, notifications). */
export const WEBSITE_CHANNEL = 'website';

export interface DeliveredMessage {
  conversationId: string;
  workflowId: string;
}

export interface ConversationDeps {
  db: Kysely<Database>;
  client: Client;
  taskQueue: string;
}

/** Whose conversation a signal is for: a customer's chat with a linked number, or a visitor's on a widget's web page. */
export type ConversationTarget =
  | { kind: 'whatsapp'; link: LinkedNumber; customerPhone: string }
  | { kind: 'web'; widget: { id: string; account_id: string }; sessionId: string };

export function conversationIdFor(workflowId: string): string {
  return stableId('cnv', workflowId);
}

/** The conversation's ids and the input its workflow starts with, as they follow from its target. */
function conversationOf(target: ConversationTarget) {
  if (target.kind === 'whatsapp') {
    const { link, customerPhone } = target;
    const workflowId = whatsappConversationWorkflowId(link.widget_id, customerPhone);
    const conversationId = conversationIdFor(workflowId);
    const input: ConversationInput = {
      conversationId,
      accountId: link.account_id,
      widgetId: link.widget_id,
      kind: 'whatsapp',
      customer: customerPhone,
      channelId: link.channel_id,
      provider: link.provider,
      businessPhone: link.phone,
      channelType: link.channel_type,
    };
    return {
      workflowId,
      input,
      typedSearchAttributes: [
        { key: CatyWidgetId, value: link.widget_id },
        { key: CatyCustomerPhone, value: customerPhone },
        { key: CatyChannelType, value: link.channel_type },
      ],
      staticSummary: `WhatsApp conversation with ${customerPhone} (${link.channel_type})`,
      staticDetails: `Widget ${link.widget_id} · business number ${link.phone} · conversation ${conversationId}`,
    };
  }
  const { widget, sessionId } = target;
  const workflowId = webConversationWorkflowId(widget.id, sessionId);
  const conversationId = conversationIdFor(workflowId);
  const input: ConversationInput = {
    conversationId,
    accountId: widget.account_id,
    widgetId: widget.id,
    kind: 'web',
    customer: sessionId,
    channelId: null,
    provider: null,
    businessPhone: null,
    channelType: 'web',
  };
  return {
    workflowId,
    input,
    typedSearchAttributes: [
      { key: CatyWidgetId, value: widget.id },
      { key: CatyChannelType, value: WEBSITE_CHANNEL },
    ],
    staticSummary: `Website conversation with visitor ${sessionId}`,
    staticDetails: `Widget ${widget.id} · conversation ${conversationId}`,
  };
}

/**
 * Sends a signal to a conversation, starting it when it is not running (signal-with-start, which
 * never races the workflow's start): the one way every channel reaches a conversation. The signal
 * is durable in Temporal when this resolves. A WhatsApp signal carries the link as it is now (a
 * payload that brings its own keeps it), so a running conversation follows a number linked again.
 */
export async function signalConversation<Payload extends LinkedSignal | LinkedSignal[]>(
  deps: ConversationDeps,
  target: ConversationTarget,
  signal: SignalDefinition<[Payload]>,
  [payload]: [Payload],
): Promise<DeliveredMessage> {
  const { workflowId, input, typedSearchAttributes, staticSummary, staticDetails } = conversationOf(target);
  const withLink = (p: LinkedSignal) => (target.kind === 'whatsapp' ? { ...p, link: p.link ?? conversationLink(target.link) } : p);
  await signalOrStart(
    deps.client,
    CONVERSATION_WORKFLOW_TYPE,
    {
      workflowId,
      taskQueue: deps.taskQueue,
      args: [input],
      // One helper for every signal of the conversation; the definitions keep callers typed.
      signal: signal as SignalDefinition<unknown[]>,
      signalArgs: [Array.isArray(payload) ? payload.map(withLink) : withLink(payload)],
      typedSearchAttributes,
      staticSummary,
      staticDetails,
    },
    () => ensureConversation(deps.db, { ...input, workflowId }),
  );
  return { conversationId: input.conversationId, workflowId };
}
