import {
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { ConversationActivities } from '../../activities/conversation/activities.js';
import type { SendWhatsAppInput, SessionActivities } from '../../activities/whatsapp/session-activities.js';
import type { ConversationMode } from '../../db/schema.js';
import { parseAdminCommand } from '../commands/admin-command.js';
import { isHumanRequest } from '../handoff/human-request.js';
import { businessMessage } from '../i18n/business.js';
import { systemMessage } from '../i18n/catalogue.js';
import { replyKey } from './keys.js';
import { extractSource, routeCustomerMessage } from './router.js';
import { CatyLanguage, CatyLeadScore, CatyMode } from './search-attributes.js';
import { formatLeadAlert } from '../leads/alert.js';
import { extractLead } from '../leads/extract.js';
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
import { ConversationState, type ConversationInput, type DueTimer, type WorkItem } from './state.js';

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

/**
 * Local activities run inside one workflow task and are recorded when it completes. A backlog of
 * hundreds of messages would make that completion too large for the server, which then discards
 * it and every result in it, so the loop closes the task every few messages.
 */
const ITEMS_PER_WORKFLOW_TASK = 20;


/** One customer conversation: a durable loop that handles its messages strictly in order. */
export async function conversationWorkflow(input: ConversationInput): Promise<void> {
  const state = new ConversationState(input);
  const session = sessionActivities(input);
  const sendsToPhone = input.provider !== null && input.provider !== 'sandbox';

  const publish = (changed: { mode?: boolean; language?: boolean; lead?: boolean } = {}) => {
    if (changed.mode) upsertSearchAttributes([{ key: CatyMode, value: state.mode }]);
    if (changed.language && state.language) upsertSearchAttributes([{ key: CatyLanguage, value: state.language }]);
    if (changed.lead && state.lead) upsertSearchAttributes([{ key: CatyLeadScore, value: state.lead.score }]);
    setCurrentDetails(state.details());
  };

  const applyAdminCommand = (command: AdminCommandSignal) => {
    if (command.command === 'schedule_call') return;
    // The mode flips the moment the command arrives, so no reply still in the queue slips out.
    const changed = command.command === 'takeover' ? state.takeOver(Date.now()) : state.resume();
    if (changed) publish({ mode: true });
  };

  setHandler(inboundSignal, (message: InboundSignal) => {
    // Only the business phone typing in this chat can command it; a customer's "PREIA" is just text.
    const parsed = message.fromMe ? parseAdminCommand(message.text) : null;
    if (parsed) {
      const command: AdminCommandSignal = { command: parsed.command, by: input.businessPhone ?? 'business', via: 'chat', messageId: message.id };
      if (state.enqueue({ kind: 'admin', command })) applyAdminCommand(command);
      return;
    }
    if (state.enqueue({ kind: 'inbound', message }) && message.fromMe) state.agentSpoke(Date.now());
  });
  setHandler(adminCommandSignal, (command: AdminCommandSignal) => {
    if (state.enqueue({ kind: 'admin', command })) applyAdminCommand(command);
  });
  setHandler(outboundSignal, (request: OutboundSignal) => {
    state.enqueue({ kind: 'outbound', request });
  });
  setHandler(stateQuery, () => state.snapshot());

  async function sendToCustomer(message: Omit<SendWhatsAppInput, 'channelId' | 'to' | 'conversationId'>): Promise<void> {
    if (!input.channelId) return;
    await session.sendWhatsAppMessage({
      ...message,
      channelId: input.channelId,
      to: input.customer,
      conversationId: input.conversationId,
      widgetId: input.widgetId,
    });
  }

  /** Messages to the business's own phones: never part of the customer's chat. */
  async function sendToBusiness(to: string, text: string, idempotencyKey: string): Promise<void> {
    if (!input.channelId) return;
    await session.sendWhatsAppMessage({ channelId: input.channelId, to, text, idempotencyKey, author: 'system', conversationId: null });
  }

  async function saveMode(mode: ConversationMode, actor: string, reason: string): Promise<void> {
    await local.saveConversationMode({
      eventId: `cev_${uuid4()}`,
      conversationId: input.conversationId,
      widgetId: input.widgetId,
      customerPhone: input.customer,
      mode,
      actor,
      reason,
    });
  }

  async function handleCustomerMessage(message: InboundSignal, seq: number): Promise<void> {
    const first = state.customerMessages === 0;
    const source = first && !state.source ? extractSource(message.text) : null;
    const wantsPerson = !message.notice && state.mode === 'ai' && input.channelType !== 'notifications' && isHumanRequest(message.text);
    const route = wantsPerson || message.notice ? 'silent' : routeCustomerMessage(input.channelType, state.mode, state.greeted);
    const handled = await local.handleCustomerMessage({
      ingestKey: `${seq}:${message.id}`,
      customerPhone: input.customer,
      conversationId: input.conversationId,
      widgetId: input.widgetId,
      message,
      previousLanguage: state.language,
      source,
      route,
    });
    // Stored for another queue item and dealt with: a redelivery older than the remembered ids.
    // (Stored before but unanswered is a retry after a crash: it still gets its reply.)
    if (!handled.firstDelivery && (handled.alreadyAnswered || route === 'silent')) return;
    state.customerMessages++;
    if (source) state.source = source;
    // The message right after the qr_first greeting answers "who am I talking to?".
    const justGreeted = state.greeted && input.channelType === 'qr_first' && state.customerMessages === 2;
    state.settings = handled.settings;
    const languageChanged = handled.language !== state.language;
    state.language = handled.language;
    if (route === 'greet') state.greeted = true;
    publish({ language: languageChanged });
    if (sendsToPhone && input.channelId) {
      await session.markWhatsAppRead({ channelId: input.channelId, customerPhone: input.customer, messageIds: [message.id] });
    }
    if (!message.notice) await updateLead(message, handled.reply?.topic ?? null, justGreeted);
    if (message.notice) {
      await sendToCustomer({ text: message.notice, idempotencyKey: `notice:${message.id}`, author: 'system', language: state.settings.defaultLanguage });
      return;
    }
    if (wantsPerson) return requestHandoff(message);
    // A takeover may have arrived while the reply was being written.
    if (!handled.reply || state.mode !== 'ai') return;
    if (sendsToPhone && input.channelId) {
      await session.setWhatsAppTyping({ channelId: input.channelId, customerPhone: input.customer, typing: true });
    }
    await sendToCustomer({ text: handled.reply.text, idempotencyKey: replyKey(message.id), author: 'ai', language: state.language });
  }

  async function updateLead(message: InboundSignal, topic: string | null, expectName: boolean): Promise<void> {
    if (input.channelType === 'notifications') return;
    const update = extractLead({ text: message.text, previous: state.lead, interest: topic, customerPhone: input.customer, expectName });
    if (update.changed.length === 0) return;
    const scoreChanged = update.lead.score !== state.lead?.score;
    state.lead = update.lead;
    publish({ lead: scoreChanged });
    const announce = update.captured || (update.scoreRaised && update.lead.name !== null);
    const { alertTo } = await local.saveLead({
      conversationId: input.conversationId,
      widgetId: input.widgetId,
      customerPhone: input.customer,
      lead: update.lead,
      announce,
    });
    if (!alertTo || alertTo === input.customer) return;
    // Keyed by the lead's state: one alert per change, however often this is retried or replayed.
    const lead = update.lead;
    const key = `lead-alert:${input.conversationId}:${lead.score}:${lead.name}:${lead.phone}:${lead.email}`;
    await alertBusiness(alertTo, formatLeadAlert(lead), key, 'lead');
  }

  /** An alert to the business, remembered so a bare PREIA or CALL from that phone knows what it answers. */
  async function alertBusiness(to: string, text: string, idempotencyKey: string, kind: 'lead' | 'handoff'): Promise<void> {
    // Remembered before it is sent: an admin answering the alert at once must find it.
    await local.recordConversationEvent({
      eventId: `cev_${uuid4()}`,
      conversationId: input.conversationId,
      kind: 'alert.sent',
      actor: 'system',
      reason: kind === 'lead' ? 'lead captured' : 'handoff requested',
      data: { to, kind },
    });
    await sendToBusiness(to, text, idempotencyKey);
  }

  async function requestHandoff(message: InboundSignal): Promise<void> {
    if (!state.requestHandoff(Date.now())) return;
    publish({ mode: true });
    await saveMode('handoff_requested', input.customer, 'the customer asked for a person');
    const acknowledgement = systemMessage('handoffAcknowledged', state.language, {}, state.settings.defaultLanguage);
    await sendToCustomer({ text: acknowledgement, idempotencyKey: `handoff-ack:${message.id}`, author: 'ai', language: state.language });
    const alertPhone = state.settings.alertPhone;
    if (alertPhone && alertPhone !== input.customer) {
      const text = businessMessage('handoffAlert', state.settings.defaultLanguage, { customer: input.customer });
      await alertBusiness(alertPhone, text, `handoff-alert:${message.id}`, 'handoff');
    }
  }

  async function scheduleCall(command: AdminCommandSignal): Promise<void> {
    if (!(await local.scheduleLeadCall({ conversationId: input.conversationId }))) return;
    await sendToCustomer({
      text: systemMessage('leadCallConfirmed', state.language, {}, state.settings.defaultLanguage),
      idempotencyKey: `call-confirm:${command.messageId ?? uuid4()}`,
      author: 'system',
      language: state.language,
    });
    if (command.confirmTo) {
      const text = businessMessage('callScheduled', state.settings.defaultLanguage, { customer: input.customer, name: state.lead?.name ?? input.customer });
      await sendToBusiness(command.confirmTo, text, `call-admin:${command.messageId ?? uuid4()}`);
    }
  }

  async function handleAdminCommand(command: AdminCommandSignal): Promise<void> {
    if (command.command === 'schedule_call') return scheduleCall(command);
    const mode: ConversationMode = command.command === 'takeover' ? 'human' : 'ai';
    await saveMode(mode, command.by, `${command.command} via ${command.via}`);
    if (command.via === 'chat' && command.messageId && input.channelId) {
      // The customer must never see the command typed in their chat.
      await session.deleteWhatsAppMessage({ channelId: input.channelId, customerPhone: input.customer, messageId: command.messageId, fromMe: true });
    }
    const confirmTo = command.via === 'chat' ? input.businessPhone : (command.confirmTo ?? null);
    if (confirmTo && confirmTo !== input.customer) {
      const key = command.command === 'takeover' ? 'takeoverConfirmed' : 'resumeConfirmed';
      await sendToBusiness(confirmTo, systemMessage(key, state.settings.defaultLanguage), `confirm:${command.messageId ?? uuid4()}`);
    }
  }

  async function handleTimer(timer: DueTimer): Promise<void> {
    if (timer === 'auto_resume') {
      state.resume();
      publish({ mode: true });
      await saveMode('ai', 'system', `no message from the agent for ${Math.round((state.settings.autoResumeAfterMs ?? 0) / 1000)} s`);
      return;
    }
    const followUp = systemMessage('handoffFollowUp', state.language, {}, state.settings.defaultLanguage);
    const resumed = state.handoffTimedOut();
    publish({ mode: resumed });
    await sendToCustomer({ text: followUp, idempotencyKey: `handoff-followup:${uuid4()}`, author: 'ai', language: state.language });
    if (resumed) await saveMode('ai', 'system', 'nobody took the conversation over in time');
  }

  async function handle(item: WorkItem): Promise<void> {
    switch (item.kind) {
      case 'inbound':
        if (item.message.fromMe) {
          await local.recordAgentMessage({ conversationId: input.conversationId, widgetId: input.widgetId, customerPhone: input.customer, message: item.message });
        } else {
          await handleCustomerMessage(item.message, item.seq);
        }
        return;
      case 'outbound':
        await sendToCustomer({ text: item.request.text, rich: item.request.rich ?? null, idempotencyKey: `api:${item.request.id}`, author: 'agent', language: state.language });
        return;
      case 'admin':
        await handleAdminCommand(item.command);
        return;
    }
  }

  if (!input.carried) {
    state.settings = await local.loadConversationSettings({ widgetId: input.widgetId });
    publish({ mode: true });
  }
  for (;;) {
    const deadline = state.nextDeadline();
    const wait = deadline === null ? undefined : Math.max(0, deadline - Date.now());
    await condition(() => state.hasWork() || workflowInfo().continueAsNewSuggested, wait);
    const due = state.dueTimer(Date.now());
    if (due) await handleTimer(due);
    let handledInTask = 0;
    while (state.hasWork() && !workflowInfo().continueAsNewSuggested) {
      if (handledInTask === ITEMS_PER_WORKFLOW_TASK) {
        // A 1 ms timer ends this workflow task, recording its results, and the next one goes on.
        await sleep(1);
        handledInTask = 0;
      }
      await handle(state.next()!);
      handledInTask++;
    }
    if (workflowInfo().continueAsNewSuggested) {
      // Handlers only queue work, so once they finish, everything unprocessed is in `pending`.
      await condition(allHandlersFinished);
      await continueAsNew<typeof conversationWorkflow>({ ...input, carried: state.carry() });
    }
  }
}
