import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { WorkflowNotFoundError } from '@temporalio/client';
import { whatsappConversationWorkflowId } from '../../workflows/conversation/ids.js';
import { connectedWidget, conversationSettled, customerSays, uniquePhone } from '../support/scenario.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';
import { WebhookConsumer } from '../support/webhook-consumer.js';

let stack: TestStack;
let consumer: WebhookConsumer;
let widget: Awaited<ReturnType<typeof connectedWidget>>;
before(async () => {
  stack = await startTestStack();
  consumer = await WebhookConsumer.start();
  widget = await connectedWidget(stack.api);
  assert.equal((await stack.api.post(`/api/widgets/${widget.widgetId}/webhooks`, { url: consumer.url })).status, 201);
});
after(async () => {
  await consumer?.stop();
  await stack?.stop();
});

const exportPath = (contact: string) => `/api/widgets/${widget.widgetId}/contacts/${encodeURIComponent(contact)}/export`;
const rows = async (query: { execute(): Promise<unknown[]> }) => (await query.execute()).length;

async function gone(workflowId: string): Promise<boolean> {
  try {
    await stack.client.workflow.getHandle(workflowId).describe();
    return false;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return true;
    throw error;
  }
}

async function sendDocument(from: string): Promise<void> {
  const data = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(4000)]).toString('base64');
  const response = await stack.api.post('/api/whatsapp/sandbox/messages', { to: widget.businessPhone, from, media: { kind: 'document', mime_type: 'application/pdf', data, filename: 'contract.pdf' } });
  assert.equal(response.status, 202, JSON.stringify(response.body));
}

test('a contact is exported as JSON, then erased everywhere (rows, file bytes, webhook log, Temporal history) with an audit record that does not name them; asked again, nothing more; a later message starts from nothing', async () => {
  const { db } = stack;
  const [person, other] = [uniquePhone(), uniquePhone()];
  const first = await customerSays(stack.api, widget.businessPhone, person, 'Buna ziua, cat costa livrarea la Cluj?');
  await sendDocument(person);
  await customerSays(stack.api, widget.businessPhone, other, 'Aveti program sambata?');
  await conversationSettled(stack, first.conversation_id, { customerMessages: 2 });
  const mediaId = await eventually(async () => (await db.selectFrom('messages').select('media_id').where('conversation_id', '=', first.conversation_id).where('media_id', 'is not', null).executeTakeFirst())?.media_id, 15_000, 'the stored file');
  await eventually(async () => (await rows(db.selectFrom('events').select('id').where('conversation_id', '=', first.conversation_id))) >= 2 && (await rows(db.selectFrom('webhook_deliveries').select('event_id').where('status', '=', 'pending'))) === 0, 15_000, 'webhooks delivered');
  const workflowId = whatsappConversationWorkflowId(widget.widgetId, person);
  assert.ok((await stack.client.workflow.getHandle(workflowId).fetchHistory()).events!.length > 0);

  const exported = await stack.api.get(exportPath(person));
  assert.equal(exported.status, 200, JSON.stringify(exported.body));
  assert.equal(exported.body.contact, person);
  assert.equal(exported.body.conversations.length, 1);
  const conversation = exported.body.conversations[0];
  assert.equal(conversation.id, first.conversation_id);
  assert.ok(conversation.messages.some((m: any) => m.text === 'Buna ziua, cat costa livrarea la Cluj?' && m.author === 'customer'));
  assert.ok(conversation.messages.some((m: any) => m.author === 'ai'), 'the replies too');
  assert.ok(conversation.webhook_events.some((e: any) => e.event === 'whatsapp.message.received' && e.data.from === person));
  assert.deepEqual(exported.body.media.map((m: any) => [m.id, m.filename, m.mime_type]), [[mediaId, 'contract.pdf', 'application/pdf']]);
  assert.ok(!JSON.stringify(exported.body).includes('Aveti program sambata'), "another contact's messages are not in it");

  // Who wrote a reply a colleague sent through the API goes with the conversation.
  await db.insertInto('agent_sends').values({ conversation_id: first.conversation_id, message_key: 'reply-1', agent: JSON.stringify({ id: 'usr_x', name: 'Ana' }) }).execute();

  const erased = await stack.api.request('DELETE', exportPath(person));
  assert.equal(erased.status, 200, JSON.stringify(erased.body));
  assert.equal(erased.body.removed.agent_sends, 1);
  assert.equal(await rows(db.selectFrom('agent_sends').select('message_key').where('conversation_id', '=', first.conversation_id)), 0);
  assert.equal(erased.body.removed.conversations, 1);
  assert.equal(erased.body.removed.messages, conversation.messages.length);
  assert.equal(erased.body.removed.media_files, 1);
  assert.ok(erased.body.removed.webhook_events >= 2 && erased.body.removed.webhook_deliveries >= 2 && erased.body.removed.inbox >= 2);
  assert.ok(erased.body.removed.workflow_executions >= 2, 'the conversation and its webhook delivery queue');

  // Nothing about them is left in PostgreSQL, the media store or Temporal.
  assert.equal(await rows(db.selectFrom('conversations').select('id').where('customer', '=', person)), 0);
  assert.equal(await rows(db.selectFrom('messages').select('id').where('conversation_id', '=', first.conversation_id)), 0);
  assert.equal(await rows(db.selectFrom('events').select('id').where('conversation_id', '=', first.conversation_id)), 0);
  assert.equal(await rows(db.selectFrom('inbox').select('message_id').where('customer_phone', '=', person)), 0);
  assert.equal(await rows(db.selectFrom('sandbox_outbox').select('id').where('to_phone', '=', person)), 0);
  assert.equal(await rows(db.selectFrom('media').select('id').where('id', '=', mediaId)), 0);
  assert.equal(await rows(db.selectFrom('media_chunks').select('seq').where('media_id', '=', mediaId)), 0);
  assert.equal((await stack.api.get(`/api/media/${mediaId}`)).status, 404);
  // Temporal deletes what it was asked to a little later (half a minute on the dev server).
  await eventually(() => gone(workflowId), 90_000, 'the conversation history deleted');
  await assert.rejects(stack.client.workflow.getHandle(workflowId).fetchHistory());
  const audit = await db.selectFrom('erasures').selectAll().where('id', '=', erased.body.id).executeTakeFirstOrThrow();
  assert.equal(audit.widget_id, widget.widgetId);
  assert.equal(audit.removed.conversations, 1);
  assert.ok(!JSON.stringify(audit).includes(person.slice(1)) && !JSON.stringify(audit).includes(first.conversation_id), 'the audit record does not say whom');
  // The other contact is untouched.
  assert.equal(await rows(db.selectFrom('conversations').select('id').where('customer', '=', other)), 1);

  const again = await stack.api.request('DELETE', exportPath(person));
  assert.equal(again.status, 200);
  // Nothing more is held; Temporal may be asked again for a run it has not finished deleting.
  assert.ok(Object.entries(again.body.removed).every(([what, n]) => n === 0 || what === 'workflow_executions'), JSON.stringify(again.body.removed));
  assert.deepEqual((await stack.api.get(exportPath(person))).body.conversations, []);

  // They write again: a new conversation, which knows nothing of the old one.
  const later = await customerSays(stack.api, widget.businessPhone, person, 'Salut din nou');
  await conversationSettled(stack, later.conversation_id, { customerMessages: 1 });
  const fresh = (await stack.api.get(exportPath(person))).body.conversations;
  assert.equal(fresh.length, 1);
  assert.deepEqual(fresh[0].messages.filter((m: any) => m.author === 'customer').map((m: any) => m.text), ['Salut din nou']);
  const snapshot = await stack.client.workflow.getHandle(workflowId).query<{ customerMessages: number }>('state');
  assert.equal(snapshot.customerMessages, 1);
});

test('an erasure while a message from the contact is in flight leaves nothing behind once repeated, and the contact can still write', async () => {
  const person = uniquePhone();
  const first = await customerSays(stack.api, widget.businessPhone, person, 'Primul mesaj');
  await conversationSettled(stack, first.conversation_id, { customerMessages: 1 });
  // The second message is accepted and not yet handled when the erasure runs.
  await customerSays(stack.api, widget.businessPhone, person, 'Al doilea mesaj, chiar acum');
  const erased = await stack.api.request('DELETE', exportPath(person));
  assert.equal(erased.status, 200, JSON.stringify(erased.body));
  // Whatever the message started meanwhile is a conversation of its own, whole; a second erasure removes it.
  const left = await stack.db.selectFrom('conversations').select('id').where('customer', '=', person).executeTakeFirst();
  if (left) await conversationSettled(stack, left.id, { customerMessages: 1 });
  assert.equal((await stack.api.request('DELETE', exportPath(person))).status, 200);
  const nothing = (await stack.api.get(exportPath(person))).body;
  assert.deepEqual([nothing.conversations, nothing.leads, nothing.media], [[], [], []]);
  assert.equal(await rows(stack.db.selectFrom('inbox').select('message_id').where('customer_phone', '=', person)), 0);
  const later = await customerSays(stack.api, widget.businessPhone, person, 'Mai sunteti acolo?');
  await conversationSettled(stack, later.conversation_id, { customerMessages: 1 });
  const messages = (await stack.api.get(`/api/conversations/${later.conversation_id}/messages`)).body as { author: string; text: string }[];
  assert.deepEqual(messages.filter((m) => m.author === 'customer').map((m) => m.text), ['Mai sunteti acolo?']);
});

test('a contact that is neither a phone number nor a visitor session is refused with a clear message', async () => {
  const response = await stack.api.get(exportPath('someone@example.com'));
  assert.equal(response.status, 400);
  assert.match(response.body.error.message, /E\.164|visitor/);
  assert.equal((await stack.api.get(`/api/widgets/wdg_nope/contacts/${encodeURIComponent(uniquePhone())}/export`)).status, 404);
  const doc = (await stack.api.withKey('').get('/openapi.json')).body;
  const route = doc.paths['/api/widgets/{widgetId}/contacts/{contact}/export'];
  assert.ok(route?.get?.responses?.['200'] && route?.delete?.responses?.['200'], 'export and erasure are documented');
});
