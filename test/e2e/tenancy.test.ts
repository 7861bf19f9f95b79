import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { recordChannelStatus } from '../../activities/whatsapp/channel-events.js';
import { connectedWidget, outbox, uniquePhone, conversationSettled } from '../support/scenario.js';
import { eventually, startTestStack, type ApiClient, type TestStack } from '../support/stack.js';

let stack: TestStack;
let alice: ApiClient;
let mallory: ApiClient;
before(async () => {
  stack = await startTestStack();
  alice = stack.api;
  const created = await stack.api.post('/api/accounts', { name: 'Mallory' });
  mallory = stack.api.withKey(created.body.api_key);
});
after(async () => {
  await stack?.stop();
});

async function sandboxChannel(api: ApiClient): Promise<string> {
  const channel = await api.post('/api/whatsapp/channels', { provider: 'sandbox' });
  assert.equal(channel.status, 201);
  return channel.body.id;
}

describe("another account cannot take over a number's conversations", () => {
  test("scanning a number that another account has linked is refused, even while that account's channel is not connected", async () => {
    const { businessPhone, channelId } = await connectedWidget(alice);
    assert.equal((await alice.request('DELETE', `/api/whatsapp/channels/${channelId}`)).status, 200, 'logged out, still linked');
    const theirs = await sandboxChannel(mallory);
    const scan = await mallory.post(`/api/whatsapp/sandbox/channels/${theirs}/scan`, { phone: businessPhone });
    assert.equal(scan.status, 409, JSON.stringify(scan.body));
    assert.match(scan.body.error.message, /belongs to another Caty account/);
    const status = await mallory.get(`/api/whatsapp/channels/${theirs}/status`);
    assert.equal(status.body.phone, null, 'the refused channel holds no number');
  });

  test('a number connected by another account (not linked yet) cannot be scanned either, nor claimed over a real socket', async () => {
    const ours = await sandboxChannel(alice);
    const phone = uniquePhone();
    assert.equal((await alice.post(`/api/whatsapp/sandbox/channels/${ours}/scan`, { phone })).status, 200);
    const theirs = await sandboxChannel(mallory);
    assert.equal((await mallory.post(`/api/whatsapp/sandbox/channels/${theirs}/scan`, { phone })).status, 409);
    // What a Baileys socket reports after a scan goes through the same check.
    const socketSaid = await recordChannelStatus(stack.db, theirs, { status: 'connected', phone });
    assert.equal(socketSaid?.status, 'disconnected');
    assert.equal(socketSaid?.phone, null);
    assert.match(socketSaid?.last_error ?? '', /another Caty account/);
  });

  test("messages arriving on another account's channel with the same number never reach this account's conversations", async () => {
    const { businessPhone } = await connectedWidget(alice);
    const customer = uniquePhone();
    const own = await alice.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from: customer, text: 'cat costa livrarea?' });
    assert.equal(own.status, 202);
    await eventually(async () => (await outbox(alice, customer)).length === 1);

    // A channel row that already carries the number (say, from before claims were checked).
    const theirs = await sandboxChannel(mallory);
    await stack.db.updateTable('channels').set({ status: 'connected', phone: businessPhone, qr: null }).where('id', '=', theirs).execute();
    const injected = await mallory.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from: customer, text: 'PREIA', from_me: true });
    assert.equal(injected.status, 422, JSON.stringify(injected.body));
    const asCustomer = await mallory.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from: customer, text: 'salut' });
    assert.equal(asCustomer.status, 422);
    const theirWidget = await mallory.post('/api/widgets', { name: 'Not yours' });
    const link = await mallory.post('/api/whatsapp/links', { widget_id: theirWidget.body.id, whatsapp_channel: 'web', phone: businessPhone });
    assert.equal(link.status, 409, 'the number stays linked to its owner');
    const send = await mallory.post('/api/whatsapp/send', { to: uniquePhone(), widget_id: theirWidget.body.id, message: 'spam' });
    assert.equal(send.status, 422, "no way to make the owner's channel send");

    await conversationSettled(stack, own.body.conversation_id, { customerMessages: 1 });
    const conversation = await alice.get(`/api/conversations/${own.body.conversation_id}/messages`);
    assert.deepEqual(conversation.body.map((m: { author: string }) => m.author), ['customer', 'ai'], 'nothing injected');
    const mode = await stack.db.selectFrom('conversations').select('mode').where('id', '=', own.body.conversation_id).executeTakeFirstOrThrow();
    assert.equal(mode.mode, 'ai');
  });
});

describe('unlinking', () => {
  test("DELETE /api/whatsapp/links/:phone unlinks the account's own number; another account's answers 404", async () => {
    const { businessPhone } = await connectedWidget(alice);
    const path = `/api/whatsapp/links/${encodeURIComponent(businessPhone)}`;
    assert.equal((await mallory.request('DELETE', path)).status, 404);
    const removed = await alice.request('DELETE', path);
    assert.equal(removed.status, 200, JSON.stringify(removed.body));
    assert.equal(removed.body.phone, businessPhone);
    assert.equal((await alice.request('DELETE', path)).status, 404, 'already unlinked');
    const after = await alice.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from: uniquePhone(), text: 'salut' });
    assert.equal(after.status, 422);
    assert.match(after.body.error.message, /not linked/);
    assert.equal((await alice.request('DELETE', '/api/whatsapp/links/not-a-number')).status, 400);
  });
});
