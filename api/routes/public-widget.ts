import type { Context } from 'koa';
import { z } from 'zod';
import { conversationIdFor, signalConversation } from '../../inbound/conversation.js';
import type { Database, Widget } from '../../db/schema.js';
import { webConversationWorkflowId } from '../../workflows/conversation/ids.js';
import { inboundSignal } from '../../workflows/conversation/signals.js';
import { webGreeting } from '../../workflows/i18n/web-greeting.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { liveEventStream } from '../live/event-stream.js';
import type { StreamSlots } from '../live/stream-slots.js';
import { RateLimiter } from '../public/rate-limiter.js';
import { VisitorTokens } from '../public/visitor-token.js';
import type { RouteRegistry } from '../route-registry.js';
import { MAX_TEXT, optionalText, semantic } from '../schemas.js';
import { findOwnMedia } from '../../db/queries/media.js';
import { visitorMessagesById, visitorThread } from '../../db/queries/messages.js';
import { conversationMode } from '../../db/queries/conversations.js';
import { serveMedia, storeRequestBody } from './media.js';
import { VISITOR_LIMIT, VISITOR_TYPES } from '../../media/kinds.js';
import type { MediaRef } from '../../workflows/conversation/signals.js';
import type { Selectable } from 'kysely';
import type { MediaRow } from '../../db/schema.js';
import { attachmentFields } from '../media-schemas.js';
import { attachmentView, mediaOf } from '../../media/view.js';

/** New web visitors (sessions) one address may start a minute. */
export const SESSIONS_PER_ADDRESS_PER_MINUTE = 20;

const visitorMessage = z.object({
  id: z.string(),
  author: z.enum(['customer', 'ai', 'agent', 'system']),
  text: z.string(),
  at: z.string(),
  buttons: z.array(z.object({ id: z.string(), title: z.string() })).optional(),
  list: z.object({ title: z.string(), items: z.array(z.object({ id: z.string(), title: z.string(), description: z.string().optional() })) }).optional(),
  ...attachmentFields,
});
type VisitorMessage = z.infer<typeof visitorMessage>;

const postMessage = z
  .object({
    text: optionalText(MAX_TEXT).optional().describe('the text, or the caption of `media_id`'),
    media_id: z.string().min(1).max(200).optional().describe('a file this visitor uploaded with POST /public/widgets/{widgetId}/media'),
    id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, "-" or "_"').optional(),
    reply_id: z.string().min(1).max(200).optional(),
  })
  .strict()
  .superRefine((message, ctx) => {
    if (!message.text && !message.media_id) ctx.addIssue({ code: 'custom', path: ['text'], params: semantic, message: 'is required unless the message carries media_id' });
  });

const bearer = { name: 'Authorization', description: 'Bearer <token> from POST /public/widgets/{widgetId}/sessions' };
const refused = {
  403: { description: 'The page (Origin) is not in the widget\'s allowed_origins' },
  404: { description: 'No such widget' },
  429: { description: 'Too many requests from this visitor or address: try again after Retry-After seconds' },
};

type VisitorRow = Pick<Selectable<Database['messages']>, 'external_id' | 'author' | 'text' | 'at' | 'rich' | 'media_id' | 'location' | 'contact' | 'transcript'>;

/** A message as the visitor sees it; its id is the one the visitor's POST was answered with (its external id). */
function render(row: VisitorRow, files: ReadonlyMap<string, MediaRow>): VisitorMessage {
  return {
    ...attachmentView(row, files),
    id: row.external_id,
    author: row.author,
    text: row.text,
    at: row.at.toISOString(),
    ...(row.rich?.buttons ? { buttons: row.rich.buttons } : {}),
    ...(row.rich?.list ? { list: row.rich.list } : {}),
  };
}

/**
 * The web widget's public routes (DESIGN §9): a visitor gets a signed token and talks to the
 * widget's assistant in a conversation of its own, the same workflow as on WhatsApp. Every call is
 * gated by the page's Origin (api/middleware/public-cors.ts) and rate limited.
 */
export function publicWidgetRoutes(routes: RouteRegistry, deps: Pick<ApiDeps, 'db' | 'client' | 'taskQueue' | 'visitorTokenKeys' | 'liveEvents' | 'media'>, slots: StreamSlots): void {
  const tokens = new VisitorTokens(deps.visitorTokenKeys);
  const perVisitor = new RateLimiter(20, 60_000);
  const perAddress = new RateLimiter(300, 60_000);
  // A session is free to mint and each one's messages start a conversation of their own: without
  // this, the per-visitor limit would be no obstacle.
  const sessionsPerAddress = new RateLimiter(SESSIONS_PER_ADDRESS_PER_MINUTE, 60_000);

  function limit(ctx: Context, key: string | null, limiter = perVisitor, what = 'messages'): void {
    const wait = perAddress.take(`ip:${ctx.ip}`) ?? (key ? limiter.take(key) : null);
    if (wait !== null) {
      ctx.set('Retry-After', String(wait));
      throw new ApiError('rate_limited', `too many ${what}; try again in ${wait} s`);
    }
  }

  /** The widget the public-CORS middleware found for the path: it is absent only if that middleware never ran. */
  function widgetOf(ctx: Context): Widget {
    const widget = ctx.state.publicWidget as Widget | undefined;
    if (!widget) throw ApiError.notFound(`no route for ${ctx.method} ${ctx.path}`);
    return widget;
  }

  function visitor(ctx: Context, widget: Widget): string {
    const match = /^Bearer\s+(\S+)$/i.exec(ctx.get('authorization'));
    const sessionId = match ? tokens.verify(widget.id, match[1]!) : null;
    if (!sessionId) throw new ApiError('unauthorized', 'send the visitor token from POST /sessions as `Authorization: Bearer <token>`');
    return sessionId;
  }

  routes.add(
    {
      method: 'get',
      path: '/public/widgets/:widgetId',
      tag: 'web widget',
      auth: false,
      summary: "What the widget shows before a visitor writes: the assistant's and the business's names, and the greeting its panel opens with",
      query: z.object({
        lang: z.string().max(100).optional().describe("The page's language (`<html lang>`, a BCP 47 tag such as \"pt-BR\"); anything else is ignored"),
      }),
      responses: {
        200: {
          description: 'The widget as visitors see it',
          schema: z.object({
            widget_id: z.string(),
            assistant_name: z.string(),
            title: z.string(),
            greeting: z
              .object({ language: z.string(), text: z.string() })
              .describe("In the page's language when the widget speaks it (its default language, or one its knowledge base or greeting is translated into), else in its default language: the widget's own greeting, else the catalogue's"),
          }),
        },
        ...refused,
      },
    },
    async ({ ctx, query }) => {
      const widget = widgetOf(ctx);
      limit(ctx, null);
      ctx.set('Cache-Control', 'public, max-age=60');
      const greeting = webGreeting({ ...widget, greeting: widget.settings.greeting }, query.lang);
      return { status: 200, body: { widget_id: widget.id, assistant_name: widget.assistant_name, title: widget.name, greeting } };
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/public/widgets/:widgetId/sessions',
      tag: 'web widget',
      auth: false,
      summary: 'A new visitor of the web widget: a session and the token that resumes it after a reload',
      responses: {
        201: {
          description: 'The session',
          schema: z.object({
            session_id: z.string(),
            token: z.string(),
            expires_at: z.string().describe('When the token stops opening this conversation (30 days): the widget then starts a new one'),
            assistant_name: z.string(),
            title: z.string(),
          }),
        },
        ...refused,
      },
    },
    async ({ ctx }) => {
      const widget = widgetOf(ctx);
      limit(ctx, `ip:${ctx.ip}`, sessionsPerAddress, 'new visitors from your address');
      const { sessionId, token, expiresAt } = tokens.issue(widget.id);
      return { status: 201, body: { session_id: sessionId, token, expires_at: expiresAt.toISOString(), assistant_name: widget.assistant_name, title: widget.name } };
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/public/widgets/:widgetId/messages',
      tag: 'web widget',
      auth: false,
      headers: [bearer],
      body: postMessage,
      summary: 'A visitor writes: the message joins its conversation (a retry with the same id is one message, one reply)',
      responses: { 202: { description: 'Accepted', schema: z.object({ message_id: z.string(), conversation_id: z.string() }) }, 401: { description: 'No or a wrong visitor token' }, ...refused },
    },
    async ({ body, ctx }) => {
      const widget = widgetOf(ctx);
      const sessionId = visitor(ctx, widget);
      limit(ctx, `visitor:${sessionId}`);
      const workflowId = webConversationWorkflowId(widget.id, sessionId);
      const conversationId = conversationIdFor(workflowId);
      const messageId = `web:${body.id ?? crypto.randomUUID()}`;
      let media: MediaRef | null = null;
      if (body.media_id) {
        const row = await findOwnMedia(deps.db, body.media_id, { accountId: widget.account_id, visitor: { sessionId, conversationId } });
        if (!row || row.visitor !== sessionId) throw ApiError.notFound(`media ${body.media_id}`);
        media = { id: row.id, kind: row.kind };
      }
      await signalConversation(deps, { kind: 'web', widget, sessionId }, inboundSignal, [
        { id: messageId, text: body.text ?? '', fromMe: false, replyId: body.reply_id ?? null, at: new Date().toISOString(), ...(media ? { media } : {}) },
      ]);
      return { status: 202, body: { message_id: messageId, conversation_id: conversationId } };
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/public/widgets/:widgetId/media',
      tag: 'web widget',
      auth: false,
      headers: [bearer],
      rawBody: { contentTypes: [...VISITOR_TYPES], description: 'A photo (JPEG, PNG) or a PDF, up to 10 MB' },
      summary: 'A visitor uploads a photo or a PDF (the raw bytes, with their Content-Type); then sends it with `{media_id, text?}`',
      responses: {
        201: { description: 'Stored', schema: z.object({ id: z.string() }) },
        401: { description: 'No or a wrong visitor token' },
        413: { description: 'Larger than 10 MB' },
        415: { description: 'Not a JPEG, PNG or PDF, or bytes that are not what Content-Type says' },
        ...refused,
      },
    },
    async ({ ctx }) => {
      const widget = ctx.state.publicWidget as Widget;
      const sessionId = visitor(ctx, widget);
      limit(ctx, `visitor:${sessionId}`);
      if (!(VISITOR_TYPES as readonly string[]).includes(ctx.get('content-type').split(';')[0]!.trim().toLowerCase())) {
        ctx.req.resume();
        throw new ApiError('unsupported_media_type', 'the widget takes photos (JPEG, PNG) and PDF documents');
      }
      const row = await storeRequestBody(ctx, deps.media, { accountId: widget.account_id, visitor: sessionId, limit: VISITOR_LIMIT });
      return { status: 201, body: { id: row.id } };
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/public/widgets/:widgetId/media/:mediaId',
      tag: 'web widget',
      auth: false,
      headers: [bearer],
      summary: "A file of the visitor's own conversation (its own uploads and what was sent to it)",
      responses: { 200: { description: 'The file, with its type', contentType: '*/*' }, 401: { description: 'No or a wrong visitor token' }, 410: { description: 'Expired' }, ...refused },
    },
    async ({ ctx, params }) => {
      const widget = ctx.state.publicWidget as Widget;
      const sessionId = visitor(ctx, widget);
      limit(ctx, null);
      const conversationId = conversationIdFor(webConversationWorkflowId(widget.id, sessionId));
      const row = await findOwnMedia(deps.db, params.mediaId!, { accountId: widget.account_id, visitor: { sessionId, conversationId } });
      if (!row) throw ApiError.notFound(`media ${params.mediaId}`);
      return serveMedia(ctx, deps.media, row);
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/public/widgets/:widgetId/messages',
      tag: 'web widget',
      auth: false,
      headers: [bearer],
      summary: "The visitor's own conversation, oldest first (the history after a reload)",
      responses: { 200: { description: 'The thread', schema: z.object({ messages: z.array(visitorMessage), assistant_name: z.string() }) }, 401: { description: 'No or a wrong visitor token' }, ...refused },
    },
    async ({ ctx }) => {
      const widget = widgetOf(ctx);
      const sessionId = visitor(ctx, widget);
      limit(ctx, null);
      const conversationId = conversationIdFor(webConversationWorkflowId(widget.id, sessionId));
      const rows = await visitorThread(deps.db, conversationId);
      const files = await mediaOf(deps.db, rows);
      return { body: { messages: rows.map((row) => render(row, files)), assistant_name: widget.assistant_name } };
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/public/widgets/:widgetId/stream',
      tag: 'web widget',
      auth: false,
      headers: [bearer, { name: 'Last-Event-ID', description: 'Resume after this event' }],
      summary: "Server-Sent Events of the visitor's own conversation: `message` (each new message) and `typing`",
      responses: { 200: { description: 'An endless event stream', contentType: 'text/event-stream' }, 401: { description: 'No or a wrong visitor token' }, ...refused },
    },
    async ({ ctx }) => {
      const widget = widgetOf(ctx);
      const sessionId = visitor(ctx, widget);
      limit(ctx, null);
      const conversationId = conversationIdFor(webConversationWorkflowId(widget.id, sessionId));
      const owner = { accountId: widget.account_id, address: ctx.ip, visitorId: `${widget.id}:${sessionId}` };
      return liveEventStream(ctx, { live: deps.liveEvents, slots }, owner, { widgetId: widget.id, conversationId }, async (events) => {
        const ids = events.filter((e) => e.kind === 'message.created').map((e) => [e.id, e.data.message_id!] as const);
        if (ids.length === 0) return '';
        const rows = await visitorMessagesById(deps.db, ids.map(([, id]) => id));
        const files = await mediaOf(deps.db, [...rows.values()]);
        // Only Caty's answers are announced: after a takeover a person answers when they can.
        const answering = [...rows.values()].some((r) => r.author === 'customer')
          && (await conversationMode(deps.db, conversationId)) === 'ai';
        return ids
          .filter(([, messageId]) => rows.has(messageId))
          .map(([eventId, messageId]) => {
            const row = rows.get(messageId)!;
            // The visitor's message is being answered; an answer ends the wait.
            return `id: ${eventId}\nevent: message\ndata: ${JSON.stringify(render(row, files))}\n\nevent: typing\ndata: ${JSON.stringify({ typing: answering && row.author === 'customer' })}\n\n`;
          })
          .join('');
      });
    },
  );
}
