import { commandTarget, type CommandTarget } from '../db/queries/conversations.js';
import { conversationLink, findLink, type LinkedNumber } from '../db/queries/links.js';
import { loadWidget } from '../db/queries/widgets.js';
import { adminPhones, alertPhone } from '../activities/conversation/settings.js';
import type { InboundWhatsAppMessage } from '../activities/whatsapp/provider.js';
import { parseAdminCommand } from '../workflows/commands/admin-command.js';
import { whatsappConversationWorkflowId } from '../workflows/conversation/ids.js';
import { adminCommandSignal, inboundBatchSignal, inboundSignal, type AdminCommandSignal, type InboundSignal } from '../workflows/conversation/signals.js';
import { businessMessage } from '../workflows/i18n/business.js';
import { InboundBatcher } from './batcher.js';
import { conversationIdFor, signalConversation, type ConversationDeps, type DeliveredMessage } from './conversation.js';
export class NumberNotLinkedError extends Error {
  constructor(readonly phone: string) {
    super(`the number ${phone} is not linked to a widget`);
    this.name = 'NumberNotLinkedError';
  }
}

/** An admin's command for a customer's conversation; a website visitor's is running already (it was alerted about). */
async function commandConversation(
  deps: ConversationDeps,
  link: LinkedNumber,
  target: CommandTarget,
  command: AdminCommandSignal,
): Promise<DeliveredMessage> {
  if (target.kind === 'web') {
    await deps.client.workflow.getHandle(target.workflow_id).signal(adminCommandSignal, command);
    return { conversationId: conversationIdFor(target.workflow_id), workflowId: target.workflow_id };
  }
  return signalConversation(deps, { kind: 'whatsapp', link, customerPhone: target.customer }, adminCommandSignal, [command]);
}

/** Hands an inbound WhatsApp message to its conversation workflow (processed once per message id). */
export function createInboundDelivery(deps: ConversationDeps) {
  const batcher = new InboundBatcher();

  /** A chat message for its conversation, batched with others of the same chat arriving meanwhile. */
  async function deliverMessage(link: LinkedNumber, customerPhone: string, message: InboundSignal): Promise<DeliveredMessage> {
    const workflowId = whatsappConversationWorkflowId(link.widget_id, customerPhone);
    // Each message carries the link it arrived on: a batch is sent by the first caller's closure,
    // and a number linked again meanwhile must reach the conversation with the later messages.
    await batcher.deliver(workflowId, { ...message, link: conversationLink(link) }, async (messages) => {
      const target = { kind: 'whatsapp', link, customerPhone } as const;
      if (messages.length === 1) await signalConversation(deps, target, inboundSignal, [messages[0]!]);
      else await signalConversation(deps, target, inboundBatchSignal, [messages]);
    });
    return { conversationId: conversationIdFor(workflowId), workflowId };
  }

  /** `known` is the channel's link when the caller has just read it (the inbox does, with the message). */
  return async function deliverInbound(message: InboundWhatsAppMessage, known?: LinkedNumber): Promise<DeliveredMessage> {
    const link = known ?? (await findLink(deps.db, { channelId: message.channelId }));
    if (!link) throw new NumberNotLinkedError(message.businessPhone);
    const signal = {
      id: message.id,
      text: message.text,
      fromMe: message.fromMe,
      replyId: message.replyId ?? null,
      at: message.timestamp.toISOString(),
      ...message.attachment,
      // Typed on the business phone: a command or not is read here, and the conversation records it.
      ...(message.fromMe ? { command: parseAdminCommand(message.text)?.command ?? null } : {}),
    };
    if (!message.fromMe && /^\s*call\s*[.!]?\s*$/i.test(message.text)) {
      // CALL from the lead-alert phone answers the latest lead alert it got.
      const widget = await loadWidget(deps.db, link.widget_id);
      if (alertPhone(widget) === message.customerPhone) {
        const target = await commandTarget(deps.db, link.widget_id, message.customerPhone, null, 'lead');
        if (target && target.customer !== message.customerPhone) {
          return commandConversation(deps, link, target, { command: 'schedule_call', by: message.customerPhone, via: 'admin_phone', messageId: message.id, confirmTo: message.customerPhone });
        }
      }
    }
    const command = message.fromMe ? null : parseAdminCommand(message.text);
    if (command) {
      // An admin writing to the business number commands a customer's conversation, not their own.
      const widget = await loadWidget(deps.db, link.widget_id);
      if (adminPhones(widget).includes(message.customerPhone)) {
        const target = await commandTarget(deps.db, link.widget_id, message.customerPhone, command.target);
        if (target && target.customer !== message.customerPhone) {
          return commandConversation(deps, link, target, { command: command.command, by: message.customerPhone, via: 'admin_phone', messageId: message.id, confirmTo: message.customerPhone });
        }
        const notice = businessMessage('noConversationToCommand', widget.default_language);
        return deliverMessage(link, message.customerPhone, { ...signal, notice });
      }
    }
    return deliverMessage(link, message.customerPhone, signal);
  };
}

export type InboundDelivery = ReturnType<typeof createInboundDelivery>;
