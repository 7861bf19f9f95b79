import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { historyBefore } from '../../activities/conversation/compose-reply.js';
import { connectedWidget, conversationSettled, customerSays, outbox, uniquePhone } from '../support/scenario.js';
import { eventually, startTestStack, type ApiClient, type TestStack } from '../support/stack.js';
import { WebhookConsumer } from '../support/webhook-consumer.js';
import { openStream } from '../support/sse.js';
import { signedInPerson } from './support.js';

let stack: TestStack;
let owner: ApiClient;
let hooks: WebhookConsumer;
before(async () => {
  stack = await startTestStack({ env: { CATY_WEBHOOK_RETRY_INITIAL_MS: '50' } });
  const account = await stack.api.post('/api/accounts', { name: 'Magazin' });
  owner = stack.api.withKey(account.body.api_key);
  hooks = await WebhookConsumer.start();
});
after(async () => {
  await hooks?.stop();
  await stack?.stop();
});

type Event = { event: string; data: Record<string, unknown> };
const events = (): Event[] => hooks.requests.map((r) => JSON.parse(r.rawBody) as Event);

async function shop(widget: Record<string, unknown> = {}) {
  const connected = await connectedWidget(owner, { widget });
  const hook = await owner.post(`/api/widgets/${connected.widgetId}/webhooks`, { url: hooks.url });
  assert.equal(hook.status, 201, JSON.stringify(hook.body));
  return connected;
}

async function mode(conversationId: string): Promise<string> {
  return (await stack.db.selectFrom('conversations').select('mode').where('id', '=', conversationId).executeTakeFirstOrThrow()).mode;
}

describe('the team inbox through the API', () => {
  test('assign to me, a private note, search, a named takeover and agent message, resolve, and a customer message that reopens', async () => {
    const { widgetId, businessPhone } = await shop();
    const maria = await signedInPerson(owner, 'agent', 'Maria Pop');
    const customer = uniquePhone();
    const first = await customerSays(owner, businessPhone, customer, 'cat costa livrarea pentru frigiderul albastru?');
    const id = first.conversation_id;
    await conversationSettled(stack, id, { customerMessages: 1 });
    const other = await customerSays(owner, businessPhone, uniquePhone(), 'aveti program sambata?');
    await conversationSettled(stack, other.conversation_id, { customerMessages: 1 });

    const list = (query: string) => maria.browser.get(`/api/widgets/${widgetId}/conversations?${query}`);
    assert.equal((await list('assignee=me')).body.conversations.length, 0);
    assert.equal((await maria.browser.post(`/api/conversations/${id}/assign`, { user_id: maria.id })).status, 200);
    const mine = await list('assignee=me');
    assert.deepEqual(mine.body.conversations.map((c: { id: string }) => c.id), [id]);
    assert.deepEqual(mine.body.conversations[0].assignee, { id: maria.id, name: 'Maria Pop' });
    assert.equal(mine.body.conversations[0].unread, 1, 'the customer message is unread for Maria');
    assert.ok((await list('assignee=none')).body.conversations.every((c: { id: string }) => c.id !== id));
    assert.equal((await owner.get(`/api/widgets/${widgetId}/conversations?assignee=me`)).status, 422, 'an API key is nobody');
    assert.equal((await maria.browser.post(`/api/conversations/${id}/read`)).status, 204);
    assert.equal((await list('assignee=me')).body.conversations[0].unread, 0);

    const note = await maria.browser.post(`/api/conversations/${id}/notes`, { text: 'Clientul vrea livrare luni, verific stocul' });
    assert.equal(note.status, 201, JSON.stringify(note.body));
    const found = await list('q=frigiderul');
    assert.deepEqual(found.body.conversations.map((c: { id: string }) => c.id), [id], 'full-text search over what was written');
    assert.deepEqual((await list('q=stocul')).body.conversations.map((c: { id: string }) => c.id), [id], 'notes are searchable by the team');
    assert.equal((await list('q=nimic+asemanator')).body.conversations.length, 0);
    const withNul = await list('q=frigiderul%00');
    assert.equal(withNul.status, 200, `a NUL in the search is answered, not a database error: ${JSON.stringify(withNul.body)}`);

    assert.equal((await maria.browser.post(`/api/conversations/${id}/takeover`)).status, 202);
    await eventually(async () => (await mode(id)) === 'human');
    const sent = await maria.browser.post(`/api/conversations/${id}/messages`, { text: 'Buna, sunt Maria. Livrarea e gratuita.' });
    assert.equal(sent.status, 202, JSON.stringify(sent.body));
    await eventually(async () => (await outbox(owner, customer)).some((m) => m.text.startsWith('Buna, sunt Maria')));
    const thread = await maria.browser.get(`/api/conversations/${id}/messages`);
    const authored = thread.body.map((m: { author: string; agent?: unknown }) => [m.author, m.agent ?? null]);
    assert.deepEqual(authored, [
      ['customer', null],
      ['ai', null],
      ['note', { id: maria.id, name: 'Maria Pop' }],
      ['agent', { id: maria.id, name: 'Maria Pop' }],
    ]);
    const held = (await list('')).body.conversations.find((c: { id: string }) => c.id === id);
    assert.deepEqual(held.held_by, { id: maria.id, name: 'Maria Pop' });
    assert.ok(Date.parse(held.mode_since) > 0);
    await eventually(async () => events().some((e) => e.event === 'whatsapp.message.sent' && e.data.author === 'agent'));
    const takenOver = events().find((e) => e.event === 'conversation.taken_over' && e.data.conversation_id === id)!;
    assert.deepEqual(takenOver.data.agent, { id: maria.id, name: 'Maria Pop' });
    const agentSent = events().find((e) => e.event === 'whatsapp.message.sent' && e.data.author === 'agent')!;
    assert.deepEqual(agentSent.data.agent, { id: maria.id, name: 'Maria Pop' });
    const event = await stack.db.selectFrom('conversation_events').select('data').where('conversation_id', '=', id).where('kind', '=', 'mode.human').executeTakeFirstOrThrow();
    assert.deepEqual(event.data.agent, { id: maria.id, name: 'Maria Pop' });

    // The note: never sent, never in a webhook, not in what the model reads.
    assert.ok(!(await outbox(owner, customer)).some((m) => m.text.includes('stocul')));
    assert.ok(!hooks.requests.some((r) => r.rawBody.includes('stocul')));
    const history = await historyBefore(stack.db, id, 'no-such-message');
    assert.ok(!history.some((turn) => turn.text.includes('stocul')), JSON.stringify(history));

    assert.equal((await maria.browser.post(`/api/conversations/${id}/resume`)).status, 202);
    await eventually(async () => events().some((e) => e.event === 'conversation.resumed' && e.data.conversation_id === id));
    const resumed = events().find((e) => e.event === 'conversation.resumed' && e.data.conversation_id === id)!;
    assert.deepEqual(resumed.data.agent, { id: maria.id, name: 'Maria Pop' }, 'who resumed it');

    const resolved = await maria.browser.post(`/api/conversations/${id}/resolve`);
    assert.equal(resolved.status, 200);
    assert.deepEqual((await list('status=resolved')).body.conversations.map((c: { id: string }) => c.id), [id]);
    await customerSays(owner, businessPhone, customer, 'Multumesc! Si pentru luni?');
    await eventually(async () => (await list('status=open')).body.conversations.some((c: { id: string; status: string }) => c.id === id));
    assert.equal((await list('status=resolved')).body.conversations.length, 0);
  });

  test("a web visitor never reads a note, neither in the thread nor on the stream", async () => {
    const shopOrigin = 'https://magazin.example';
    const widget = await owner.post('/api/widgets', { name: 'Web', allowed_origins: [shopOrigin] });
    const visitor = owner.withKey('');
    const session = await visitor.request('POST', `/public/widgets/${widget.body.id}/sessions`, undefined, { origin: shopOrigin });
    assert.equal(session.status, 201, JSON.stringify(session.body));
    const headers = { origin: shopOrigin, authorization: `Bearer ${session.body.token}` };
    const said = await visitor.request('POST', `/public/widgets/${widget.body.id}/messages`, { text: 'cat costa livrarea?' }, headers);
    assert.equal(said.status, 202, JSON.stringify(said.body));
    const id = said.body.conversation_id;
    await conversationSettled(stack, id, { customerMessages: 1 });
    const stream = await openStream(`${stack.apiUrl}/public/widgets/${widget.body.id}/stream`, headers);
    try {
      assert.equal(stream.status, 200);
      assert.equal((await owner.post(`/api/conversations/${id}/notes`, { text: 'vizitator nehotarat' })).status, 201);
      // A message sent after the note: once the visitor has it, the note had its chance to show.
      assert.equal((await owner.post(`/api/conversations/${id}/messages`, { text: 'Revin imediat cu detalii.' })).status, 202);
      await eventually(async () => JSON.stringify(stream.events).includes('Revin imediat cu detalii.'), 15_000, 'the agent message on the stream');
      assert.ok(!JSON.stringify(stream.events).includes('nehotarat'), JSON.stringify(stream.events));
    } finally {
      stream.close();
    }
    const thread = await visitor.request('GET', `/public/widgets/${widget.body.id}/messages`, undefined, headers);
    assert.equal(thread.status, 200);
    assert.ok(JSON.stringify(thread.body).includes('Revin imediat cu detalii.'));
    assert.ok(!JSON.stringify(thread.body).includes('nehotarat'));
    const team = await owner.get(`/api/conversations/${id}/messages`);
    assert.ok(team.body.some((m: { author: string; text: string }) => m.author === 'note' && m.text === 'vizitator nehotarat'));
  });

  test("another account's person sees none of it: conversations, notes, assignment", async () => {
    const { businessPhone } = await shop();
    const said = await customerSays(owner, businessPhone, uniquePhone(), 'salut');
    const theirs = await stack.api.post('/api/accounts', { name: 'Alt magazin' });
    const outsider = await signedInPerson(stack.api.withKey(theirs.body.api_key), 'admin');
    for (const path of ['assign', 'resolve', 'notes', 'read']) {
      const refused = await outsider.browser.post(`/api/conversations/${said.conversation_id}/${path}`, path === 'assign' ? { user_id: null } : path === 'notes' ? { text: 'x' } : undefined);
      assert.equal(refused.status, 404, path);
    }
    const own = await signedInPerson(owner, 'agent');
    assert.equal((await own.browser.post(`/api/conversations/${said.conversation_id}/assign`, { user_id: outsider.id })).status, 422, "someone of another account cannot be assigned");
  });

  test('the business answering on its own phone takes the conversation over: Caty stays silent, with the auto-resume timer, and the webhook says so', async () => {
    const { businessPhone } = await shop();
    const customer = uniquePhone();
    const first = await customerSays(owner, businessPhone, customer, 'cat costa livrarea?');
    await conversationSettled(stack, first.conversation_id, { customerMessages: 1 });
    assert.equal((await outbox(owner, customer)).length, 1);
    const typed = await owner.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from: customer, text: 'Buna ziua, sunt Maria de la magazin. Va ajut eu cu comanda.', from_me: true });
    assert.equal(typed.status, 202);
    await customerSays(owner, businessPhone, customer, 'cat dureaza livrarea?');
    const state = await conversationSettled(stack, first.conversation_id, { customerMessages: 2 });
    assert.equal(state.mode, 'human');
    assert.ok(state.nextDeadline && Date.parse(state.nextDeadline) - Date.now() > 25 * 60_000, `auto-resume at ${state.nextDeadline}`);
    assert.equal((await outbox(owner, customer)).length, 1, 'no answer over the person');
    await eventually(async () => events().some((e) => e.event === 'conversation.taken_over' && e.data.conversation_id === first.conversation_id));
    const event = events().find((e) => e.event === 'conversation.taken_over' && e.data.conversation_id === first.conversation_id)!;
    assert.equal(event.data.reason, 'takeover via reply');
    assert.equal(event.data.by, businessPhone);
    assert.equal((await outbox(owner, businessPhone)).length, 0, 'no PREIA confirmation for a plain reply');
  });

  test('turned off (handoff.pause_on_business_reply false), Caty keeps answering after the business typed', async () => {
    const { businessPhone } = await shop({ handoff: { pause_on_business_reply: false } });
    const customer = uniquePhone();
    await customerSays(owner, businessPhone, customer, 'cat costa livrarea?');
    await owner.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from: customer, text: 'Revin imediat', from_me: true });
    const second = await customerSays(owner, businessPhone, customer, 'care este programul?');
    await conversationSettled(stack, second.conversation_id, { customerMessages: 2 });
    assert.equal(await mode(second.conversation_id), 'ai');
    assert.equal((await outbox(owner, customer)).length, 2);
  });

  test('a person replying from the dashboard takes the conversation over in their name; an integration sending with the key does not', async () => {
    const { businessPhone } = await shop();
    const ion = await signedInPerson(owner, 'agent', 'Ion Agent');
    const customer = uniquePhone();
    const first = await customerSays(owner, businessPhone, customer, 'cat costa livrarea?');
    await conversationSettled(stack, first.conversation_id, { customerMessages: 1 });
    assert.equal((await owner.post(`/api/conversations/${first.conversation_id}/messages`, { text: 'Comanda dvs. a plecat.' })).status, 202);
    await conversationSettled(stack, first.conversation_id, { processed: 2 });
    assert.equal(await mode(first.conversation_id), 'ai', 'the API key is an integration');
    assert.equal((await ion.browser.post(`/api/conversations/${first.conversation_id}/messages`, { text: 'Sunt Ion, va ajut eu.' })).status, 202);
    await eventually(async () => (await mode(first.conversation_id)) === 'human');
    const row = await stack.db.selectFrom('conversations').select('held_by').where('id', '=', first.conversation_id).executeTakeFirstOrThrow();
    assert.deepEqual(row.held_by, { id: ion.id, name: 'Ion Agent' });
  });

  test('a handoff request is assigned to the signed-in person with the fewest open conversations, when the widget wants it', async () => {
    const { businessPhone, widgetId } = await shop({ handoff: { auto_assign: true } });
    const account = (await owner.get('/api/me')).body.account_id;
    // Only these two are signed in with a live session among this test's people.
    await stack.db.deleteFrom('user_sessions').where('user_id', 'in', stack.db.selectFrom('users').select('id').where('account_id', '=', account)).execute();
    const busy = await signedInPerson(owner, 'agent', 'Busy');
    const free = await signedInPerson(owner, 'agent', 'Free');
    const earlier = await customerSays(owner, businessPhone, uniquePhone(), 'salut');
    assert.equal((await owner.post(`/api/conversations/${earlier.conversation_id}/assign`, { user_id: busy.id })).status, 200);
    const asking = await customerSays(owner, businessPhone, uniquePhone(), 'vreau sa vorbesc cu un om');
    await eventually(async () => (await mode(asking.conversation_id)) === 'handoff_requested');
    const row = await eventually(() => stack.db.selectFrom('conversations').select('assignee_id').where('id', '=', asking.conversation_id).where('assignee_id', 'is not', null).executeTakeFirst());
    assert.equal(row.assignee_id, free.id);
    const listed = await free.browser.get(`/api/widgets/${widgetId}/conversations?assignee=me`);
    assert.equal(listed.body.conversations[0].mode, 'handoff_requested');
  });

  test('saved replies per widget: an admin saves them, an agent reads them, another widget has its own', async () => {
    const { widgetId } = await shop();
    const other = await owner.post('/api/widgets', { name: 'Alt widget' });
    const admin = await signedInPerson(owner, 'admin');
    const agent = await signedInPerson(owner, 'agent');
    assert.equal((await admin.browser.post(`/api/widgets/${widgetId}/canned-replies`, { shortcut: 'livrare', text: 'Livrarea dureaza 2-3 zile.' })).status, 201);
    assert.equal((await admin.browser.post(`/api/widgets/${widgetId}/canned-replies`, { shortcut: 'Bad Shortcut', text: 'x' })).status, 400);
    assert.equal((await agent.browser.post(`/api/widgets/${widgetId}/canned-replies`, { shortcut: 'x', text: 'x' })).status, 403);
    const read = await agent.browser.get(`/api/widgets/${widgetId}/canned-replies`);
    assert.deepEqual(read.body.canned_replies.map((r: { shortcut: string; text: string }) => [r.shortcut, r.text]), [['livrare', 'Livrarea dureaza 2-3 zile.']]);
    assert.deepEqual((await owner.get(`/api/widgets/${other.body.id}/canned-replies`)).body.canned_replies, []);
  });
});
