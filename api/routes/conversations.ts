import { z } from 'zod';
import { findLink } from '../../db/queries/links.js';
import { listConversations } from '../../db/queries/conversations.js';
import { latestTexts, listMessages } from '../../db/queries/messages.js';
import { signalConversation } from '../../inbound/conversation.js';
import type { Conversation } from '../../db/schema.js';
import { adminCommandSignal, outboundSignal, type LinkedSignal } from '../../workflows/conversation/signals.js';
import type { SignalDefinition } from '@temporalio/client';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import type { RouteRegistry } from '../route-registry.js';
import { CURSOR, messageText, pagination } from '../schemas.js';
import { idempotencyKeyHeader, idempotent, readIdempotencyKey } from '../idempotency.js';
import { newId } from '../../db/ids.js';
import { ownConversation, ownWidget } from './tenancy.js';
import { agentMessage } from '../rich-message.js';
import { messageToSend } from './media.js';
import { attachmentFields } from '../media-schemas.js';
import { attachmentView, mediaOf } from '../../media/view.js';
import { rememberAgentSend, userActor } from '../../db/queries/people.js';
import { unreadCounts } from '../../db/queries/inbox.js';
import { inboxFilter, inboxFilters } from './inbox-filters.js';

const modes = z.enum(['ai', 'human', 'handoff_requested']);
const agentRef = z.object({ id: z.string(), name: z.string() });
const conversationView = z.object({
  id: z.string(),
  customer_phone: z.string().describe("The customer's number on WhatsApp; the visitor's session id on the website"),
  channel: z.enum(['whatsapp', 'web']),
  channel_type: z.string(),
  mode: modes,
  language: z.string().nullable().describe('The language the customer writes in: ISO 639-1, or the detector\'s own code where 639-1 has none'),
  source: z.string().nullable().optional(),
  message_count: z.number().int(),
  last_message_at: z.string().nullable(),
  last_message: z.string().nullable().describe('The latest message of the conversation, whoever wrote it (its first 200 characters)'),
  lead: z.record(z.string(), z.unknown()).nullable(),
  workflow_id: z.string(),
  status: z.enum(['open', 'resolved']).describe('resolved until the customer writes again'),
  assignee: agentRef.nullable(),
  held_by: agentRef.nullable().describe('The person who took the conversation over (mode human), when it was a person of the account'),
  mode_since: z.string().nullable().describe('When the mode last changed'),
  unread: z.number().int().optional().describe("Customer messages the signed-in person has not read (only for a person's session)"),
});
const messageView = z.object({
  id: z.string(),
  direction: z.enum(['inbound', 'outbound']),
  author: z.enum(['customer', 'ai', 'agent', 'system', 'note']).describe('`note`: a private note between colleagues, never sent'),
  agent: agentRef.optional().describe('The person who wrote it'),
  text: z.string(),
  language: z.string().optional(),
  at: z.string(),
  status: z.enum(['received', 'sent', 'failed']).describe('`failed`: it could not be sent, or (inbound) could not be handled; `error` says why'),
  error: z.string().optional(),
  ...attachmentFields,
});

/** A position in the list: the last row's activity time (null when it had none) and id. */
interface Cursor {
  at: Date | null;
  id: string;
}

function encodeCursor(cursor: Cursor): string {
  return `${cursor.at ? cursor.at.getTime() : 'n'}.${cursor.id}`;
}

/** The query's own pattern (api/schemas.ts CURSOR) has already refused anything else. */
function decodeCursor(raw: string): Cursor {
  const [, at, id] = CURSOR.exec(raw)!;
  return { at: at === 'n' ? null : new Date(Number(at)), id: id! };
}

function renderConversation(c: Conversation & { assignee_name?: string | null }, lastMessage: string | null, unread?: number): z.infer<typeof conversationView> {
  return {
    id: c.id,
    customer_phone: c.customer,
    channel: c.kind,
    channel_type: c.channel_type,
    mode: c.mode,
    language: c.language,
    source: c.source,
    message_count: c.message_count,
    last_message_at: c.last_message_at ? c.last_message_at.toISOString() : null,
    last_message: lastMessage === null ? null : lastMessage.slice(0, 200),
    lead: c.lead,
    workflow_id: c.workflow_id,
    status: c.status,
    assignee: c.assignee_id && c.assignee_name ? { id: c.assignee_id, name: c.assignee_name } : null,
    held_by: c.mode === 'human' ? c.held_by : null,
    mode_since: c.mode_since ? c.mode_since.toISOString() : null,
    ...(unread !== undefined ? { unread } : {}),
  };
}

export function conversationRoutes(routes: RouteRegistry, deps: ApiDeps): void {
  const { db } = deps;

  /**
   * A signal to a conversation on its own channel: a web one to its visitor's conversation, a
   * WhatsApp one through its number's link as it is now (so it follows a number linked again);
   * either is started again if its run ended (closed after a silence: it resumes its saved state).
   */
  async function signalOwnChannel<P extends LinkedSignal>(conversation: Conversation, accountId: string, signal: SignalDefinition<[P]>, payload: P): Promise<void> {
    if (conversation.kind === 'web') {
      // A conversation whose run closed after a silence starts again from its saved state.
      await signalConversation(deps, { kind: 'web', widget: { id: conversation.widget_id, account_id: accountId }, sessionId: conversation.customer }, signal, [payload]);
      return;
    }
    const link = conversation.business_phone ? await findLink(db, { accountId, phone: conversation.business_phone }) : undefined;
    if (!link || link.widget_id !== conversation.widget_id) throw new ApiError('unprocessable', 'the number of this conversation is no longer linked to its widget');
    await signalConversation(deps, { kind: 'whatsapp', link, customerPhone: conversation.customer }, signal, [payload]);
  }

  for (const only of ['whatsapp', null] as const) {
    routes.add(
      {
        method: 'get',
        path: only ? '/api/widgets/:widgetId/whatsapp/conversations' : '/api/widgets/:widgetId/conversations',
        tag: 'conversations',
        summary: only ? "The widget's WhatsApp conversations, most recent first" : "The widget's conversations on every channel (WhatsApp and the website), most recent first",
        query: z.object({ mode: modes.optional(), ...(only ? {} : { channel: z.enum(['whatsapp', 'web']).optional() }), ...inboxFilters, ...pagination }),
        responses: {
          200: { description: 'A page', schema: z.object({ conversations: z.array(conversationView), next_cursor: z.string().nullable() }) },
          422: { description: '`assignee=me` asked with an API key, which is nobody' },
        },
      },
      async ({ params, query, auth }) => {
        const widget = await ownWidget(db, auth, params.widgetId!);
        const kind = only ?? (query as { channel?: 'whatsapp' | 'web' }).channel;
        const rows = await listConversations(db, {
          widgetId: widget.id,
          kind,
          mode: query.mode,
          ...inboxFilter(query, auth),
          after: query.cursor ? decodeCursor(query.cursor) : undefined,
          limit: query.limit,
        });
        const page = rows.slice(0, query.limit);
        const last = page[page.length - 1];
        const nextCursor = rows.length > query.limit && last ? encodeCursor({ at: last.last_message_at, id: last.id }) : null;
        const lastText = await latestTexts(db, page.map((c) => c.id));
        const unread = auth.user ? await unreadCounts(db, auth.user.id, page.map((c) => c.id)) : null;
        return { body: { conversations: page.map((c) => renderConversation(c, lastText.get(c.id) ?? null, unread ? (unread.get(c.id) ?? 0) : undefined)), next_cursor: nextCursor } };
      },
    );
  }

  routes.add(
    {
      method: 'get',
      path: '/api/conversations/:conversationId/messages',
      tag: 'conversations',
      summary: 'Every message of a conversation, oldest first',
      responses: { 200: { description: 'Messages', schema: z.array(messageView) } },
    },
    async ({ params, auth }) => {
      const conversation = await ownConversation(db, auth, params.conversationId!);
      const rows = await listMessages(db, conversation.id);
      const files = await mediaOf(db, rows);
      return {
        body: rows.map((m) => ({
          id: m.id,
          direction: m.direction,
          author: m.author,
          text: m.text,
          ...(m.language ? { language: m.language } : {}),
          ...(m.agent ? { agent: m.agent } : {}),
          at: m.at.toISOString(),
          status: m.failed_reason ? ('failed' as const) : m.direction === 'inbound' ? ('received' as const) : ('sent' as const),
          ...(m.failed_reason ? { error: m.failed_reason } : {}),
          ...attachmentView(m, files),
        })),
      };
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/api/conversations/:conversationId/messages',
      tag: 'conversations',
      summary: "A person's message to the customer (text, with reply buttons or a list if wanted), on the conversation's own channel (WhatsApp or the web widget), in order with the rest",
      headers: [idempotencyKeyHeader],
      body: agentMessage,
      responses: {
        202: { description: 'Queued in the conversation', schema: z.object({ conversation_id: z.string(), message_id: z.string() }) },
        409: { description: 'The Idempotency-Key was used with a different request' },
        422: { description: 'The number of this WhatsApp conversation is no longer linked to its widget' },
      },
    },
    async ({ params, body, auth, ctx }) => {
      const conversation = await ownConversation(db, auth, params.conversationId!);
      const message = await messageToSend(db, auth.accountId, body);
      const deliver = async (messageId: string) => {
        // Who wrote it is noted first, by the key the conversation records the sent message under.
        if (auth.user) await rememberAgentSend(db, conversation.id, `api:${messageId}`, { id: auth.user.id, name: auth.user.name });
        await signalOwnChannel(conversation, auth.accountId, outboundSignal, { id: messageId, ...message, ...(auth.user ? { byPerson: userActor(auth.user.id) } : {}) });
        return { conversation_id: conversation.id, message_id: messageId };
      };
      const key = readIdempotencyKey(ctx);
      if (!key) return { status: 202, body: await deliver(newId('out')) };
      const { response, replayed } = await idempotent(db, { accountId: auth.accountId, key, request: { conversation_id: conversation.id, ...body }, newResourceId: () => newId('out') }, deliver);
      if (replayed) ctx.set('Idempotent-Replayed', 'true');
      return { status: 202, body: response };
    },
  );

  for (const command of ['takeover', 'resume'] as const) {
    routes.add(
      {
        method: 'post',
        path: `/api/conversations/:conversationId/${command}`,
        tag: 'conversations',
        summary: command === 'takeover' ? 'A person takes the conversation over: Caty falls silent' : 'Caty answers again',
        headers: [idempotencyKeyHeader],
        responses: {
          202: { description: 'Command delivered to the conversation', schema: z.object({ conversation_id: z.string(), command: z.string() }) },
          409: { description: 'The Idempotency-Key was used with a different request' },
          422: { description: 'The number of this conversation is no longer linked to its widget' },
        },
      },
      async ({ params, auth, ctx }) => {
        const conversation = await ownConversation(db, auth, params.conversationId!);
        const deliver = async (commandId: string | null) => {
          // With a key, the command has an id the conversation remembers: a repeat is dropped there too.
          await signalOwnChannel(conversation, auth.accountId, adminCommandSignal, { command, by: auth.user ? userActor(auth.user.id) : `account:${auth.accountId}`, via: 'api', messageId: commandId });
          return { conversation_id: conversation.id, command };
        };
        const key = readIdempotencyKey(ctx);
        if (!key) return { status: 202, body: await deliver(null) };
        const request = { command, conversation_id: conversation.id };
        const { response, replayed } = await idempotent(db, { accountId: auth.accountId, key, request, newResourceId: () => newId('cmd') }, deliver);
        if (replayed) ctx.set('Idempotent-Replayed', 'true');
        return { status: 202, body: response };
      },
    );
  }
}
