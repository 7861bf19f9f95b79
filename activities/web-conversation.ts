import type { Client, SignalDefinition } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { webConversationWorkflowId } from '../workflows/conversation/ids.js';
import { CatyChannelType, CatyWidgetId } from '../workflows/conversation/search-attributes.js';
import type { ConversationInput } from '../workflows/conversation/state.js';
import { ensureConversation } from './persistence/conversations.js';
import { signalOrStart } from './signal-or-start.js';
import { conversationIdFor } from './whatsapp/inbound-delivery.js';

/** CatyChannelType of web conversations: WhatsApp ones carry their link type (web, qr_first, notifications). */
export const WEBSITE_CHANNEL = 'website';

/**
 * A signal to a web visitor's conversation, starting it when it is not running: the visitor's
 * first message, or any signal to a conversation whose run closed after a silence (it starts again
 * from its saved state). Durable in Temporal when this resolves.
 */
export async function signalWebConversation<Payload>(
  deps: { db: Kysely<Database>; client: Client; taskQueue: string },
  visitor: { accountId: string; widgetId: string; sessionId: string },
  signal: SignalDefinition<[Payload]>,
  payload: Payload,
): Promise<{ conversationId: string; workflowId: string }> {
  const workflowId = webConversationWorkflowId(visitor.widgetId, visitor.sessionId);
  const conversationId = conversationIdFor(workflowId);
  const input: ConversationInput = {
    conversationId,
    accountId: visitor.accountId,
    widgetId: visitor.widgetId,
    kind: 'web',
    customer: visitor.sessionId,
    channelId: null,
    provider: null,
    businessPhone: null,
    channelType: 'web',
  };
  await signalOrStart(
    deps.client,
    'conversationWorkflow',
    {
      workflowId,
      taskQueue: deps.taskQueue,
      args: [input],
      signal: signal as SignalDefinition<unknown[]>,
      signalArgs: [payload],
      typedSearchAttributes: [
        { key: CatyWidgetId, value: visitor.widgetId },
        { key: CatyChannelType, value: WEBSITE_CHANNEL },
      ],
      staticSummary: `Website conversation with visitor ${visitor.sessionId}`,
      staticDetails: `Widget ${visitor.widgetId} · conversation ${conversationId}`,
    },
    () => ensureConversation(deps.db, { ...input, workflowId }),
  );
  return { conversationId, workflowId };
}
