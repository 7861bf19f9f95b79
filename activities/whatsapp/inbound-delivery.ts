import type { Client } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/workflow';
import { sql, type Expression, type Kysely } from 'kysely';
import type { ChannelProvider, ChannelType, Database } from '../../db/schema.js';
import { whatsappConversationWorkflowId } from '../../workflows/conversation/ids.js';
import { CatyChannelType, CatyCustomerPhone, CatyWidgetId } from '../../workflows/conversation/search-attributes.js';
import { adminCommandSignal, inboundBatchSignal, inboundSignal, type AdminCommandSignal, type InboundSignal, type LinkedSignal } from '../../workflows/conversation/signals.js';
import { InboundBatcher } from './inbound-batcher.js';
import { parseAdminCommand } from '../../workflows/commands/admin-command.js';
import { businessMessage } from '../../workflows/i18n/business.js';
import { adminPhones, alertPhone } from '../persistence/conversation-settings.js';
import { loadWidget } from '../persistence/widgets.js';
import { ensureConversation } from '../persistence/conversations.js';
import type { ConversationInput, ConversationLink } from '../../workflows/conversation/state.js';
import { stableId } from '../ids.js';
import { signalOrStart } from '../signal-or-start.js';
import type { InboundWhatsAppMessage } from './provider.js';

export class NumberNotLinkedError extends Error {
  constructor(readonly phone: string) {
    super(`the number ${phone} is not linked to a widget`);
    this.name = 'NumberNotLinkedError';
  }
}

export interface DeliveredMessage {
  conversationId: string;
  workflowId: string;
}

export interface LinkedNumber {
  account_id: string;
  widget_id: string;
  channel_id: string;
  channel_type: ChannelType;
  provider: ChannelProvider;
  phone: string;
}

export function conversationIdFor(workflowId: string): string {
  return stableId('cnv', workflowId);
}

/**
 * The link behind a channel, as a query: `channelId` may also be a column of an enclosing
 * statement (the inbox reads the link in the statement that stores a message).
 */
export function channelLink(db: Kysely<Database>, channelId: string | Expression<string>) {
  return db
    .selectFrom('channels')
    .innerJoin('links', (join) => join.onRef('links.account_id', '=', 'channels.account_id').onRef('links.phone', '=', 'channels.phone'))
    .select(['links.account_id', 'links.widget_id', 'channels.id as channel_id', 'links.channel_type', 'channels.provider', 'links.phone'])
    .where('channels.id', '=', channelId);
}

/**
 * The widget and channel behind a business number, or undefined when it is not linked. A message
 * is resolved by the channel that received it: the link must belong to that channel's account,
 * so a number claimed by someone else can never reach this account's conversations.
 */
export function findLink(
  db: Kysely<Database>,
  where: { channelId: string } | { widgetId: string; inUseOnly?: boolean } | { accountId: string; phone: string },
): Promise<LinkedNumber | undefined> {
  if ('channelId' in where) return channelLink(db, where.channelId).executeTakeFirst();
  let query = db
    .selectFrom('links')
    .innerJoin('channels', 'channels.id', 'links.channel_id')
    .select(['links.account_id', 'links.widget_id', 'links.channel_id', 'links.channel_type', 'channels.provider', 'links.phone']);
  query =
    'phone' in where
      ? query.where('links.account_id', '=', where.accountId).where('links.phone', '=', where.phone)
      : // A widget may have several numbers: one still in use first (a connected one first), then the
        // oldest link. A removed one comes last, where a send fails at once and says why.
        query
          .where('links.widget_id', '=', where.widgetId)
          .$if(where.inUseOnly === true, (q) => q.where('channels.removed_at', 'is', null))
          .orderBy(sql`channels.removed_at is null`, 'desc')
          .orderBy(sql`channels.status = 'connected'`, 'desc')
          .orderBy('links.created_at', 'asc');
  return query.executeTakeFirst();
}

/** The link as a conversation carries it (where its replies and alerts go out). */
export function conversationLink(link: LinkedNumber): ConversationLink {
  return { channelId: link.channel_id, provider: link.provider, businessPhone: link.phone, channelType: link.channel_type };
}

/**
 * Sends a signal to the WhatsApp conversation between a linked number and a customer, starting
 * the conversation when it is not running (signal-with-start, which never races the workflow's
 * start). The signal is durable in Temporal when this resolves. The signal carries the link as it is
 * now, so a running conversation follows a number linked again.
 */
export async function signalConversation<Payload extends LinkedSignal | LinkedSignal[]>(
  deps: { db: Kysely<Database>; client: Client; taskQueue: string },
  link: LinkedNumber,
  customerPhone: string,
  signal: SignalDefinition<[Payload]>,
  [payload]: [Payload],
): Promise<DeliveredMessage> {
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
  await signalOrStart(
    deps.client,
    'conversationWorkflow',
    {
      workflowId,
      taskQueue: deps.taskQueue,
      args: [input],
      // One helper for every signal of the conversation; the definitions keep callers typed.
      signal: signal as SignalDefinition<unknown[]>,
      signalArgs: [Array.isArray(payload) ? payload.map((p) => ({ ...p, link: p.link ?? conversationLink(link) })) : { ...payload, link: payload.link ?? conversationLink(link) }],
      typedSearchAttributes: [
        { key: CatyWidgetId, value: link.widget_id },
        { key: CatyCustomerPhone, value: customerPhone },
        { key: CatyChannelType, value: link.channel_type },
      ],
      staticSummary: `WhatsApp conversation with ${customerPhone} (${link.channel_type})`,
      staticDetails: `Widget ${link.widget_id} · business number ${link.phone} · conversation ${conversationId}`,
    },
    () => ensureConversation(deps.db, { ...input, workflowId }),
  );
  return { conversationId, workflowId };
}

interface CommandTarget {
  customer: string;
  kind: 'whatsapp' | 'web';
  workflow_id: string;
}

/**
 * The conversation an admin's command is about: the customer named in it, otherwise the
 * conversation (on WhatsApp or the website) this admin was most recently alerted about.
 */
async function commandTarget(
  db: Kysely<Database>,
  widgetId: string,
  adminPhone: string,
  named: string | null,
  alertKind?: 'lead',
): Promise<CommandTarget | null> {
  if (named) {
    const known = await db.selectFrom('conversations').select(['customer', 'kind', 'workflow_id']).where('widget_id', '=', widgetId).where('kind', '=', 'whatsapp').where('customer', '=', named).executeTakeFirst();
    return known ?? null;
  }
  const alerted = await db
    .selectFrom('conversation_events')
    .innerJoin('conversations', 'conversations.id', 'conversation_events.conversation_id')
    .select(['conversations.customer', 'conversations.kind', 'conversations.workflow_id'])
    .where('conversations.widget_id', '=', widgetId)
    .where('conversation_events.kind', '=', 'alert.sent')
    .where(sql<string>`conversation_events.data->>'to'`, '=', adminPhone)
    .$if(alertKind !== undefined, (q) => q.where(sql<string>`conversation_events.data->>'kind'`, '=', alertKind!))
    .orderBy('conversation_events.at', 'desc')
    .executeTakeFirst();
  return alerted ?? null;
}

/** An admin's command for a customer's conversation; a website visitor's is running already (it was alerted about). */
async function commandConversation(
  deps: { db: Kysely<Database>; client: Client; taskQueue: string },
  link: LinkedNumber,
  target: CommandTarget,
  command: AdminCommandSignal,
): Promise<DeliveredMessage> {
  if (target.kind === 'web') {
    await deps.client.workflow.getHandle(target.workflow_id).signal(adminCommandSignal, command);
    return { conversationId: conversationIdFor(target.workflow_id), workflowId: target.workflow_id };
  }
  return signalConversation(deps, link, target.customer, adminCommandSignal, [command]);
}

/** Hands an inbound WhatsApp message to its conversation workflow (processed once per message id). */
export function createInboundDelivery(deps: { db: Kysely<Database>; client: Client; taskQueue: string }) {
  const batcher = new InboundBatcher();

  /** A chat message for its conversation, batched with others of the same chat arriving meanwhile. */
  async function deliverMessage(link: LinkedNumber, customerPhone: string, message: InboundSignal): Promise<DeliveredMessage> {
    const workflowId = whatsappConversationWorkflowId(link.widget_id, customerPhone);
    // Each message carries the link it arrived on: a batch is sent by the first caller's closure,
    // and a number linked again meanwhile must reach the conversation with the later messages.
    await batcher.deliver(workflowId, { ...message, link: conversationLink(link) }, async (messages) => {
      if (messages.length === 1) await signalConversation(deps, link, customerPhone, inboundSignal, [messages[0]!]);
      else await signalConversation(deps, link, customerPhone, inboundBatchSignal, [messages]);
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
