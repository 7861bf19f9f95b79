import {
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { ConversationActivities } from '../../activities/conversation/activities.js';
import type { SendWhatsAppInput, SessionActivities } from '../../activities/whatsapp/session-activities.js';
import type { ConversationMode } from '../../db/schema.js';
import { parseAdminCommand } from '../commands/admin-command.js';
import { extractSource, routeCustomerMessage } from './router.js';
import { CatyLanguage, CatyMode } from './search-attributes.js';
import { sessionTaskQueue } from './session-queue.js';
import {
  adminCommandSignal,
  inboundSignal,
  outboundSignal,
  stateQuery,
  type AdminCommandSignal,
  type InboundSignal,
  type OutboundSignal,
} from './signals.js';
import { ConversationState, type ConversationInput, type WorkItem } from './state.js';

// Database work is short and idempotent: local activities keep it off the server's round trips.
const local = proxyLocalActivities<ConversationActivities & SessionActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '200ms', backoffCoefficient: 2, maximumInterval: '30s' },
});

function sessionActivities(input: ConversationInput): SessionActivities {
  const queue = input.provider && input.channelId ? sessionTaskQueue(input.provider, input.channelId) : null;
  if (!queue) return local;
  return proxyActivities<SessionActivities>({
    taskQueue: queue,
    startToCloseTimeout: '60s',
    // A channel may be offline for a while (phone out of battery, re-pairing): keep trying for a day.
    scheduleToCloseTimeout: '24h',
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '2m' },
  });
}

/** The message id of Caty's reply to an inbound message, used as its idempotency key. */
function replyKey(inboundId: string): string {
  return `reply:${inboundId}`;
}

/** One customer conversation: a durable loop that handles its messages strictly in order. */
export async function conversationWorkflow(input: ConversationInput): Promise<void> {
  const state = new ConversationState(input);
  const session = sessionActivities(input);

  const publish = (changed: { mode?: boolean; language?: boolean } = {}) => {
    const updates = [];
    if (changed.mode) updates.push({ key: CatyMode, value: state.mode });
    if (changed.language && state.language) updates.push({ key: CatyLanguage, value: state.language });
    if (updates.length) upsertSearchAttributes(updates);
    setCurrentDetails(state.details());
  };

  const applyAdminCommand = (command: AdminCommandSignal) => {
    // The mode flips the moment the command arrives, so no reply still in the queue slips out.
    const mode: ConversationMode = command.command === 'takeover' ? 'human' : 'ai';
    if (state.setMode(mode)) publish({ mode: true });
  };

  setHandler(inboundSignal, (message: InboundSignal) => {
    const parsed = message.fromMe ? parseAdminCommand(message.text) : null;
    if (parsed) {
      const command: AdminCommandSignal = { command: parsed.command, by: input.businessPhone ?? 'business', via: 'chat', messageId: message.id };
      if (state.enqueue({ kind: 'admin', command })) applyAdminCommand(command);
      return;
    }
    state.enqueue({ kind: 'inbound', message });
  });
  setHandler(adminCommandSignal, (command: AdminCommandSignal) => {
    if (state.enqueue({ kind: 'admin', command })) applyAdminCommand(command);
  });
  setHandler(outboundSignal, (request: OutboundSignal) => {
    state.enqueue({ kind: 'outbound', request });
  });
  setHandler(stateQuery, () => state.snapshot());

  async function send(message: Omit<SendWhatsAppInput, 'channelId' | 'to' | 'conversationId'>): Promise<void> {
    if (!input.channelId) return;
    await session.sendWhatsAppMessage({ ...message, channelId: input.channelId, to: input.customer, conversationId: input.conversationId });
  }

  async function handleCustomerMessage(message: InboundSignal): Promise<void> {
    state.customerMessages++;
    const source = state.customerMessages === 1 && !state.source ? extractSource(message.text) : null;
    if (source) state.source = source;
    const route = routeCustomerMessage(input.channelType, state.mode, state.greeted);
    const handled = await local.handleCustomerMessage({
      conversationId: input.conversationId,
      widgetId: input.widgetId,
      message,
      previousLanguage: state.language,
      source,
      route,
    });
    const languageChanged = handled.language !== state.language;
    state.language = handled.language;
    if (route === 'greet') state.greeted = true;
    publish({ language: languageChanged });
    // A takeover may have arrived while the reply was being written.
    if (!handled.reply || state.mode !== 'ai') return;
    await send({ text: handled.reply.text, idempotencyKey: replyKey(message.id), author: 'ai', language: state.language });
  }

  async function handleAdminCommand(command: AdminCommandSignal): Promise<void> {
    const mode: ConversationMode = command.command === 'takeover' ? 'human' : 'ai';
    await local.saveConversationMode({
      eventId: `cev_${uuid4()}`,
      conversationId: input.conversationId,
      mode,
      actor: command.by,
      reason: `${command.command} via ${command.via}`,
    });
  }

  async function handle(item: WorkItem): Promise<void> {
    switch (item.kind) {
      case 'inbound':
        if (item.message.fromMe) {
          await local.recordAgentMessage({ conversationId: input.conversationId, message: item.message });
        } else {
          await handleCustomerMessage(item.message);
        }
        return;
      case 'outbound':
        await send({ text: item.request.text, rich: item.request.rich ?? null, idempotencyKey: `api:${item.request.id}`, author: 'agent', language: state.language });
        return;
      case 'admin':
        await handleAdminCommand(item.command);
        return;
    }
  }

  if (!input.carried) publish({ mode: true });
  for (;;) {
    await condition(() => state.hasWork() || workflowInfo().continueAsNewSuggested);
    while (state.hasWork() && !workflowInfo().continueAsNewSuggested) {
      await handle(state.next()!);
    }
    if (workflowInfo().continueAsNewSuggested) {
      // Handlers only queue work, so once they finish, everything unprocessed is in `pending`.
      await condition(allHandlersFinished);
      await continueAsNew<typeof conversationWorkflow>({ ...input, carried: state.carry() });
    }
  }
}
