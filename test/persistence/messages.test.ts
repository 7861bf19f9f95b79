import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { recordMessage } from '../../db/queries/messages.js';
import { recordMessageWithEvent } from '../../activities/webhooks/emit-event.js';
import { startTestStack, type TestStack } from '../support/stack.js';

// recordMessage is one statement: these are the rules it must keep without a transaction around it.
let stack: TestStack;
before(async () => {
  stack = await startTestStack({ runWorker: false });
});
after(async () => {
  await stack?.stop();
});

async function conversation(id: string) {
  const created = await stack.api.post('/api/widgets', { name: 'Messages' });
  const widget = await stack.db.selectFrom('widgets').select(['id', 'account_id']).where('id', '=', created.body.id).executeTakeFirstOrThrow();
  await stack.db
    .insertInto('conversations')
    .values({ id, account_id: widget.account_id, widget_id: widget.id, channel_id: null, channel_type: 'web', kind: 'web', customer: id, business_phone: null, workflow_id: `wf-${id}`, lead: null, language: 'ro', source: 'qr' })
    .execute();
  return async () => stack.db.selectFrom('conversations').select(['message_count', 'last_message_at', 'language', 'source']).where('id', '=', id).executeTakeFirstOrThrow();
}

test('a message is stored once and counted once; a retry of the same work still counts as stored', async () => {
  const read = await conversation('cnv_rm_1');
  const at = new Date('2026-11-27T10:00:00Z');
  const base = { conversationId: 'cnv_rm_1', externalId: 'm1', direction: 'inbound' as const, author: 'customer' as const, text: 'salut', at, ingestKey: 'work-1' };
  assert.equal((await recordMessage(stack.db, { ...base, conversationUpdate: { language: 'en' } })).inserted, true);
  assert.deepEqual(await read(), { message_count: 1, last_message_at: at, language: 'en', source: 'qr' });
  // The same work retried: stored by it, not counted again.
  assert.equal((await recordMessage(stack.db, base)).inserted, true);
  // Another piece of work redelivering it: not stored by that one; its conversation columns still apply.
  assert.equal((await recordMessage(stack.db, { ...base, ingestKey: 'work-2', conversationUpdate: { language: 'fr' } })).inserted, false);
  assert.equal((await recordMessage(stack.db, { ...base, ingestKey: undefined })).inserted, false);
  assert.deepEqual(await read(), { message_count: 1, last_message_at: at, language: 'fr', source: 'qr' });
  const rows = await stack.db.selectFrom('messages').select(['text', 'ingest_key']).where('conversation_id', '=', 'cnv_rm_1').execute();
  assert.deepEqual(rows, [{ text: 'salut', ingest_key: 'work-1' }]);
});

test('an update leaves out what it does not set, and the latest time wins', async () => {
  const read = await conversation('cnv_rm_2');
  const later = new Date('2026-11-27T12:00:00Z');
  const earlier = new Date('2026-11-27T11:00:00Z');
  await recordMessage(stack.db, { conversationId: 'cnv_rm_2', externalId: 'a', direction: 'outbound', author: 'ai', text: 'one', at: later, conversationUpdate: { source: undefined } });
  await recordMessage(stack.db, { conversationId: 'cnv_rm_2', externalId: 'b', direction: 'outbound', author: 'ai', text: 'two', at: earlier, rich: { buttons: [{ id: 'x', title: 'X' }] } });
  assert.deepEqual(await read(), { message_count: 2, last_message_at: later, language: 'ro', source: 'qr' });
  const rich = await stack.db.selectFrom('messages').select('rich').where('external_id', '=', 'b').executeTakeFirstOrThrow();
  assert.deepEqual(rich.rich, { buttons: [{ id: 'x', title: 'X' }] });
});

test('a message and its event are stored by one statement, each once however often it is retried', async () => {
  const read = await conversation('cnv_rm_3');
  const widget = await stack.db.selectFrom('conversations').select('widget_id').where('id', '=', 'cnv_rm_3').executeTakeFirstOrThrow();
  const deps = { db: stack.db, client: stack.client, taskQueue: 'unused-without-webhooks' };
  const record = { conversationId: 'cnv_rm_3', externalId: 'm3', direction: 'inbound' as const, author: 'customer' as const, text: 'buna', ingestKey: 'work-3' };
  const event = { id: 'evt_rm_3', widgetId: widget.widget_id, event: 'whatsapp.message.received' as const, conversationId: 'cnv_rm_3', data: { text: 'buna' } };
  assert.equal((await recordMessageWithEvent(deps, record, event)).inserted, true);
  assert.equal((await recordMessageWithEvent(deps, record, { ...event, data: { text: 'rewritten' } })).inserted, true);
  assert.equal((await recordMessageWithEvent(deps, { ...record, ingestKey: 'work-4' }, event)).inserted, false);
  assert.equal((await read()).message_count, 1);
  const events = await stack.db.selectFrom('events').select(['id', 'data']).where('conversation_id', '=', 'cnv_rm_3').execute();
  // The first write is the truth, and the event names the conversation's channel.
  assert.deepEqual(events, [{ id: 'evt_rm_3', data: { text: 'buna', channel: 'web' } }]);
  // A bad event stores neither.
  await assert.rejects(recordMessageWithEvent(deps, { ...record, externalId: 'm4' }, { ...event, id: 'not-an-event-id' }), /evt_/);
  assert.equal(await stack.db.selectFrom('messages').select('id').where('external_id', '=', 'm4').executeTakeFirst(), undefined);
});
