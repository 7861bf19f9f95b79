import { z } from 'zod';
import { newId } from '../../db/ids.js';
import { recordMessage } from '../../db/queries/messages.js';
import { assignConversation, deleteCannedReply, listCannedReplies, markRead, reopenConversation, resolveConversation, saveCannedReply, type CannedReply } from '../../db/queries/inbox.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import type { RouteRegistry } from '../route-registry.js';
import { messageText, text } from '../schemas.js';
import { ownConversation, ownWidget } from './tenancy.js';

const cannedView = z.object({ id: z.string(), shortcut: z.string(), text: z.string() });
const shortcut = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'must be 1 to 40 lower-case letters, digits, - or _ (typed after / in the reply box)');

function renderCanned(reply: CannedReply): z.infer<typeof cannedView> {
  return { id: reply.id, shortcut: reply.shortcut, text: reply.text };
}

/** Assignment, resolution, private notes, read marks and saved replies (DESIGN §13). */
export function inboxRoutes(routes: RouteRegistry, deps: ApiDeps): void {
  const { db } = deps;

  routes.add(
    {
      method: 'post',
      path: '/api/conversations/:conversationId/assign',
      tag: 'inbox',
      summary: 'Assign the conversation to a person of the account, or to nobody (user_id null)',
      body: z.object({ user_id: z.string().max(100).nullable() }).strict(),
      responses: { 200: { description: 'Assigned', schema: z.object({ conversation_id: z.string(), assignee_id: z.string().nullable() }) }, 422: { description: 'No such person in this account' } },
    },
    async ({ params, body, auth }) => {
      const conversation = await ownConversation(db, auth, params.conversationId!);
      if (!(await assignConversation(db, conversation.id, auth.accountId, body.user_id))) throw new ApiError('unprocessable', `user ${body.user_id} is not a person of this account`);
      return { body: { conversation_id: conversation.id, assignee_id: body.user_id } };
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/api/conversations/:conversationId/resolve',
      tag: 'inbox',
      summary: "Mark the conversation resolved: the customer's next message opens it again",
      responses: { 200: { description: 'Resolved', schema: z.object({ conversation_id: z.string(), status: z.literal('resolved'), resolved_at: z.string() }) } },
    },
    async ({ params, auth }) => {
      const conversation = await ownConversation(db, auth, params.conversationId!);
      const at = await resolveConversation(db, conversation.id);
      return { body: { conversation_id: conversation.id, status: 'resolved' as const, resolved_at: at.toISOString() } };
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/api/conversations/:conversationId/reopen',
      tag: 'inbox',
      summary: 'Open a resolved conversation again',
      responses: { 200: { description: 'Open', schema: z.object({ conversation_id: z.string(), status: z.literal('open') }) } },
    },
    async ({ params, auth }) => {
      const conversation = await ownConversation(db, auth, params.conversationId!);
      await reopenConversation(db, conversation.id);
      return { body: { conversation_id: conversation.id, status: 'open' as const } };
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/api/conversations/:conversationId/notes',
      tag: 'inbox',
      summary: 'A private note in the thread (author "note"): never sent to the customer, never in webhooks, never shown to the AI',
      body: z.object({ text: messageText }).strict(),
      responses: { 201: { description: 'Noted', schema: z.object({ id: z.string(), author: z.literal('note'), text: z.string(), at: z.string(), agent: z.object({ id: z.string(), name: z.string() }).optional() }) } },
    },
    async ({ params, body, auth }) => {
      const conversation = await ownConversation(db, auth, params.conversationId!);
      const at = new Date();
      const agent = auth.user ? { id: auth.user.id, name: auth.user.name } : null;
      // Stored as the thread's other messages are, with no event: nothing outside the account hears of it.
      const { id } = await recordMessage(db, { conversationId: conversation.id, externalId: newId('note'), direction: 'outbound', author: 'note', text: body.text, at, agent });
      return { status: 201, body: { id, author: 'note' as const, text: body.text, at: at.toISOString(), ...(agent ? { agent } : {}) } };
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/api/conversations/:conversationId/read',
      tag: 'inbox',
      summary: "The signed-in person has read the conversation up to now (its unread count drops to 0 for them)",
      responses: { 204: { description: 'Marked' }, 422: { description: 'Read marks are per person: sign in, not an API key' } },
    },
    async ({ params, auth }) => {
      const conversation = await ownConversation(db, auth, params.conversationId!);
      if (!auth.user) throw new ApiError('unprocessable', 'read marks belong to a person signed in, not to an API key');
      await markRead(db, auth.user.id, conversation.id);
      return { status: 204, body: null };
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/widgets/:widgetId/canned-replies',
      tag: 'inbox',
      summary: "The widget's saved replies, inserted from the reply box by typing / and the shortcut",
      responses: { 200: { description: 'Saved replies', schema: z.object({ canned_replies: z.array(cannedView) }) } },
    },
    async ({ params, auth }) => {
      const widget = await ownWidget(db, auth, params.widgetId!);
      return { body: { canned_replies: (await listCannedReplies(db, widget.id)).map(renderCanned) } };
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/api/widgets/:widgetId/canned-replies',
      tag: 'inbox',
      summary: 'Save a reply under a shortcut (the same shortcut again replaces its text)',
      body: z.object({ shortcut, text: text(4096) }).strict(),
      responses: { 201: { description: 'Saved', schema: cannedView } },
    },
    async ({ params, body, auth }) => {
      const widget = await ownWidget(db, auth, params.widgetId!);
      const saved = await saveCannedReply(db, { id: newId('cr'), widgetId: widget.id, shortcut: body.shortcut, text: body.text });
      return { status: 201, body: renderCanned(saved) };
    },
  );

  routes.add(
    {
      method: 'delete',
      path: '/api/widgets/:widgetId/canned-replies/:replyId',
      tag: 'inbox',
      summary: 'Remove a saved reply',
      responses: { 204: { description: 'Removed' } },
    },
    async ({ params, auth }) => {
      const widget = await ownWidget(db, auth, params.widgetId!);
      if (!(await deleteCannedReply(db, widget.id, params.replyId!))) throw ApiError.notFound(`saved reply ${params.replyId}`);
      return { status: 204, body: null };
    },
  );
}
