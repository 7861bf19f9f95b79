import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { WAMessage } from '@whiskeysockets/baileys';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { BaileysSession } from '../../activities/whatsapp/baileys/baileys-session.js';
import { whatsappConversationWorkflowId } from '../../workflows/conversation/ids.js';
import { demoKnowledge, uniquePhone, conversationSettled } from '../support/scenario.js';
import { signalArguments } from '../support/history.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';
import { fastGatewayEnv } from './support/env.js';
import { FakeWhatsApp, textMessage, type FakeSocket } from './support/fake-whatsapp.js';
import { pollVoteMessage } from './support/poll-vote.js';

const whatsapp = new FakeWhatsApp();
const SET_ASIDE_RETRY_MS = 2000;
let stack: TestStack;
let socket: FakeSocket;
let session: BaileysSession;
let channelId: string;
let widgetId: string;
const business = uniquePhone();
const businessDigits = business.slice(1);

before(async () => {
  stack = await startTestStack({ gateway: { socketFactory: whatsapp.factory, identity: 'gateway-M' }, env: { ...fastGatewayEnv, WHATSAPP_SET_ASIDE_RETRY_MS: String(SET_ASIDE_RETRY_MS) } });
  const widget = await stack.api.post('/api/widgets', { name: 'Magazin Test', knowledge_base: demoKnowledge });
  widgetId = widget.body.id;
  const channel = await stack.api.post('/api/whatsapp/channels', { provider: 'baileys' });
  channelId = channel.body.id;
  socket = await eventually(async () => whatsapp.latest(), 10_000, 'a socket');
  socket.creds({ registered: true, me: { id: `${businessDigits}:9@s.whatsapp.net` } });
  socket.open(businessDigits, '99887766@lid');
  await eventually(async () => (await stack.api.get(`/api/whatsapp/channels/${channelId}/status`)).body.status === 'connected', 5000, 'connected');
  const link = await stack.api.post('/api/whatsapp/links', { widget_id: widgetId, whatsapp_channel: 'web', phone: business });
  assert.equal(link.status, 201, JSON.stringify(link.body));
  session = stack.gateway!.sessions.get(channelId)!;
  assert.ok(session);
});
after(async () => {
  await stack?.stop();
});

const jid = (phone: string) => `${phone.slice(1)}@s.whatsapp.net`;

async function conversationMessages(customer: string): Promise<{ direction: string; author: string; text: string }[]> {
  const id = await stack.db.selectFrom('conversations').select('id').where('customer', '=', customer).where('channel_id', '=', channelId).executeTakeFirst();
  if (!id) return [];
  return (await stack.api.get(`/api/conversations/${id.id}/messages`)).body;
}

/** The messages the customer's conversation workflow received (`inbound` and `inboundBatch` signals), as it saw them. */
async function inboundSignals(customer: string): Promise<{ id: string; text: string; fromMe: boolean; replyId: string | null }[]> {
  type Inbound = { id: string; text: string; fromMe: boolean; replyId: string | null };
  return (await signalArguments<Inbound | Inbound[]>(stack.client, whatsappConversationWorkflowId(widgetId, customer), ['inbound', 'inboundBatch'])).flat();
}

const inboxRows = (messageId?: string) =>
  stack.db
    .selectFrom('inbox')
    .select(['message_id', 'status'])
    .where('channel_id', '=', channelId)
    .$if(messageId !== undefined, (q) => q.where('message_id', '=', messageId!))
    .execute();

function sentTo(customer: string) {
  return socket.sent.filter((s) => s.jid === jid(customer));
}

describe('inbound messages', () => {
  test('a live (notify) message reaches its conversation and the AI reply goes out on the socket that holds the channel', async () => {
    const customer = uniquePhone();
    socket.upsert('notify', [textMessage(jid(customer), 'Buna ziua, cat costa livrarea?')]);
    const [reply] = await eventually(async () => sentTo(customer).length > 0 && sentTo(customer), 15_000, 'the reply on the socket');
    assert.deepEqual(reply!.content, { text: 'Livrarea costă 15 lei, gratuită peste 200 lei.' });
    assert.match(reply!.messageId!, /^3EB0[0-9A-F]{18}$/);
    const messages = await eventually(async () => {
      const m = await conversationMessages(customer);
      return m.length === 2 && m;
    }, 5000, 'both messages recorded');
    assert.deepEqual(messages.map((m) => [m.direction, m.author]), [['inbound', 'customer'], ['outbound', 'ai']]);
  });

  test('messages queued while offline (append), including ones typed on the business phone, are not lost', async () => {
    const customer = uniquePhone();
    const hour = Math.floor(Date.now() / 1000) - 3600;
    socket.upsert('append', [
      textMessage(jid(customer), 'care este programul?', { seconds: hour }),
      textMessage(jid(customer), 'Revin eu cu detalii', { fromMe: true, seconds: hour + 60 }),
    ]);
    // Whether Caty still answers the question depends on whether the business's own reply reached
    // the conversation first (then it takes the conversation over): only the two messages count here.
    const messages = await eventually(async () => {
      const m = await conversationMessages(customer);
      return m.filter((r) => r.author !== 'ai').length >= 2 && m;
    }, 15_000, 'the offline messages');
    assert.deepEqual(
      messages.map((m) => [m.direction, m.author, m.text]).filter((m) => m[1] !== 'ai'),
      [['inbound', 'customer', 'care este programul?'], ['outbound', 'agent', 'Revin eu cu detalii']],
    );
    const signals = await inboundSignals(customer);
    assert.deepEqual(signals.map((s) => s.fromMe), [false, true]);
  });

  test('the same message id delivered twice, live and again after a reconnect, is processed once', async () => {
    const customer = uniquePhone();
    const message = textMessage(jid(customer), 'cat dureaza livrarea?', { id: 'DUPLICATE-WA-1' });
    socket.upsert('notify', [message]);
    socket.upsert('notify', [message]);
    await eventually(async () => sentTo(customer).length > 0, 15_000, 'the reply');
    socket.upsert('append', [message]);
    socket.upsert('notify', [textMessage(jid(customer), 'care este programul?')]);
    await eventually(async () => sentTo(customer).length >= 2, 15_000, 'the second reply');
    const conversation = await stack.db.selectFrom('conversations').select('id').where('customer', '=', customer).executeTakeFirstOrThrow();
    await conversationSettled(stack, conversation.id, { customerMessages: 2 });
    assert.equal(sentTo(customer).length, 2);
    assert.equal((await inboundSignals(customer)).length, 2);
    assert.deepEqual(await inboxRows('DUPLICATE-WA-1'), [{ message_id: 'DUPLICATE-WA-1', status: 'delivered' }]);
  });

  test('LID-addressed senders are mapped to their phone number (remoteJidAlt, or the LID store)', async () => {
    const viaAlt = uniquePhone();
    socket.upsert('notify', [textMessage('111222333444@lid', 'salut', { remoteJidAlt: jid(viaAlt) })]);
    const viaStore = uniquePhone();
    socket.lids.set('555666777888@lid', jid(viaStore));
    const stored = textMessage('555666777888@lid', 'buna');
    socket.upsert('notify', [stored]);
    await eventually(async () => (await inboundSignals(viaAlt)).length === 1, 10_000, 'the remoteJidAlt sender');
    await eventually(async () => (await inboundSignals(viaStore)).length === 1, 10_000, 'the LID-store sender');
    // Receipts go back to the JID the message came from.
    await session.markRead(viaStore, [stored.key.id!]);
    assert.deepEqual(socket.reads.at(-1), [stored.key]);
  });

  test('groups, broadcasts, status updates and newsletters are ignored', async () => {
    const before = await inboxRows();
    socket.upsert('notify', [
      textMessage('120363025246125486@g.us', 'in grup'),
      textMessage('status@broadcast', 'status'),
      textMessage('1234567890@broadcast', 'lista'),
      textMessage('120363144038483540@newsletter', 'canal'),
    ]);
    const customer = uniquePhone();
    socket.upsert('notify', [textMessage(jid(customer), 'cat costa livrarea?')]);
    await eventually(async () => (await inboundSignals(customer)).length === 1, 10_000, 'the ordinary message after them');
    const after = await inboxRows();
    assert.equal(after.length, before.length + 1, 'only the ordinary message was stored');
  });

  test('a message the database can never take is set aside alone, kept in the spool; the rest of its batch is delivered', async () => {
    const customer = uniquePhone();
    // An id too long for the inbox's index (random, so PostgreSQL cannot compress it small).
    const poison = textMessage(jid(customer), 'prea lung', { id: randomBytes(6000).toString('hex') });
    socket.upsert('notify', [textMessage(jid(customer), 'cat costa livrarea?', { id: 'BATCH-A' }), poison, textMessage(jid(customer), 'care este programul?', { id: 'BATCH-B' })]);
    await eventually(async () => (await inboundSignals(customer)).length === 2, 20_000, 'both good messages');
    assert.deepEqual((await inboundSignals(customer)).map((s) => s.id), ['BATCH-A', 'BATCH-B']);
    // Never dropped: it stays in the gateway's spool, to be tried again, while the others are done.
    const pending = stack.gateway!.spool.pending(channelId).filter((e) => e.message.key.remoteJid === jid(customer)).map((e) => e.message.key.id);
    assert.deepEqual(pending, [poison.key.id]);
  });

  test('a message set aside after errors we cannot place is tried again on its own, with no other message arriving', async () => {
    const customer = uniquePhone();
    const id = `SET-ASIDE-${randomBytes(4).toString('hex')}`;
    // The inbox refuses this one message with an error of no known kind; a sequence counts the tries (it is not rolled back).
    await sql`create sequence if not exists set_aside_tries`.execute(stack.db);
    await sql
      .raw(
        `create or replace function refuse_set_aside() returns trigger language plpgsql as $$
         begin
           if new.message_id = '${id}' then perform nextval('set_aside_tries'); raise exception 'the inbox refuses % for now', new.message_id; end if;
           return new;
         end $$`,
      )
      .execute(stack.db);
    await sql`create trigger refuse_set_aside before insert on inbox for each row execute function refuse_set_aside()`.execute(stack.db);
    const tries = async () => Number((await sql<{ n: string }>`select case when is_called then last_value else 0 end as n from set_aside_tries`.execute(stack.db)).rows[0]!.n);
    const before = await tries();
    try {
      socket.upsert('notify', [textMessage(jid(customer), 'cat costa livrarea?', { id })]);
      // Three tries, then it is set aside: no more tries for now.
      await eventually(async () => (await tries()) - before >= 3, 10_000, 'three tries');
      await new Promise((resolve) => setTimeout(resolve, SET_ASIDE_RETRY_MS / 4));
      assert.equal((await tries()) - before, 3, 'set aside after three tries');
    } finally {
      await sql`drop trigger refuse_set_aside on inbox`.execute(stack.db);
    }
    assert.deepEqual(await inboundSignals(customer).catch(() => []), [], 'not delivered while refused');
    // Nothing else arrives on the number: the retry comes by itself.
    await eventually(async () => (await inboundSignals(customer)).length === 1, SET_ASIDE_RETRY_MS + 10_000, 'the message, tried again');
    assert.deepEqual((await inboundSignals(customer)).map((s) => s.id), [id]);
    assert.deepEqual(stack.gateway!.spool.pending(channelId).filter((e) => e.message.key.id === id), [], 'and gone from the spool');
  });

  test('while the database is unavailable the messages wait, in order, and none is lost', async () => {
    const customer = uniquePhone();
    // Another session holds the inbox locked, so storing times out and is retried.
    const locker = await stack.db.connection().execute(async (conn) => {
      await sql`begin`.execute(conn);
      await sql`set local lock_timeout = '60s'`.execute(conn);
      await sql`lock table inbox in access exclusive mode`.execute(conn);
      socket.upsert('notify', ['unu', 'doi', 'trei'].map((text, i) => textMessage(jid(customer), text, { id: `LOCKED-${i}` })));
      await new Promise((r) => setTimeout(r, 1500));
      assert.deepEqual(await inboundSignals(customer).catch(() => []), [], 'nothing handed over before it is stored');
      await sql`rollback`.execute(conn);
      return true;
    });
    assert.ok(locker);
    await eventually(async () => (await inboundSignals(customer)).length === 3, 30_000, 'all three after the database is back');
    assert.deepEqual((await inboundSignals(customer)).map((s) => s.text), ['unu', 'doi', 'trei']);
  });
});

describe('buttons and lists', () => {
  const buttons = { buttons: [{ id: 'buy', title: 'Cumpara' }, { id: 'info', title: 'Mai multe info' }, { id: 'later', title: 'Mai tarziu' }] };

  test('buttons go out as a native poll, and a vote comes back as the item id', async () => {
    const customer = uniquePhone();
    socket.upsert('notify', [textMessage(jid(customer), 'Buna')]);
    await eventually(async () => (await inboundSignals(customer)).length === 1, 10_000, 'the conversation');
    const { providerMessageId } = await session.send({ to: customer, text: 'Ce doriti?', rich: buttons, idempotencyKey: 'menu-1' });
    const sent = socket.sent.find((s) => s.messageId === providerMessageId)!;
    const poll = (sent.content as { poll: { name: string; values: string[]; selectableCount: number; messageSecret: Buffer } }).poll;
    assert.deepEqual([poll.name, poll.values, poll.selectableCount], ['Ce doriti?', ['Cumpara', 'Mai multe info', 'Mai tarziu'], 1]);

    socket.upsert('notify', [
      pollVoteMessage({ pollMessageId: providerMessageId, pollCreatorJid: `${businessDigits}@s.whatsapp.net`, voterJid: jid(customer), secret: poll.messageSecret, optionName: 'Mai multe info' }),
    ]);
    const signals = await eventually(async () => {
      const s = await inboundSignals(customer);
      return s.length === 2 && s;
    }, 10_000, 'the vote');
    assert.equal(signals[1]!.replyId, 'info');
    assert.equal(signals[1]!.text, 'Mai multe info');
  });

  test('a list with descriptions goes out as a numbered menu, and "2" or a word comes back as the item id', async () => {
    const customer = uniquePhone();
    socket.upsert('notify', [textMessage(jid(customer), 'Buna')]);
    await eventually(async () => (await inboundSignals(customer)).length === 1, 10_000, 'the conversation');
    const { providerMessageId } = await session.send({
      to: customer,
      text: 'Ce doriti?',
      rich: { list: { title: 'Optiuni', items: [{ id: 'buy', title: 'Cumpara', description: 'acum' }, { id: 'info', title: 'Mai multe info' }, { id: 'later', title: 'Mai tarziu' }] } },
      idempotencyKey: 'menu-2',
    });
    // By its id: Caty's own answer to "Buna" may go out before or after it.
    assert.deepEqual(socket.sent.find((s) => s.messageId === providerMessageId)!.content, { text: 'Ce doriti?\nOptiuni\n\n1. Cumpara - acum\n2. Mai multe info\n3. Mai tarziu' });
    socket.upsert('notify', [textMessage(jid(customer), '2')]);
    socket.upsert('notify', [textMessage(jid(customer), 'tarziu')]);
    socket.upsert('notify', [textMessage(jid(customer), 'cat costa livrarea?')]);
    const signals = await eventually(async () => {
      const s = await inboundSignals(customer);
      return s.length === 4 && s;
    }, 10_000, 'the answers');
    assert.deepEqual(signals.slice(1).map((s) => s.replyId ?? null), ['info', 'later', null]);
  });
});

describe('outbound', () => {
  test('rate-overlimit backs off and retries; the same idempotency key never sends twice', async () => {
    const customer = uniquePhone();
    socket.overlimit = 2;
    const first = await session.send({ to: customer, text: 'Comanda a fost expediata', idempotencyKey: 'ship-1' });
    assert.equal(socket.overlimitHits >= 2, true);
    const again = await session.send({ to: customer, text: 'Comanda a fost expediata', idempotencyKey: 'ship-1' });
    assert.equal(again.providerMessageId, first.providerMessageId);
    assert.equal(sentTo(customer).length, 1);
  });

  test('typing presence and deleting a message for everyone use the socket', async () => {
    const customer = uniquePhone();
    await session.setTyping(customer, true);
    await session.setTyping(customer, false);
    assert.deepEqual(socket.presences.slice(-2), [{ type: 'composing', jid: jid(customer) }, { type: 'paused', jid: jid(customer) }]);
    await session.deleteForEveryone(customer, 'PREIA-MSG-1', true);
    const deletion = sentTo(customer).at(-1)!.content as { delete: WAMessage['key'] };
    assert.deepEqual(deletion.delete, { remoteJid: jid(customer), id: 'PREIA-MSG-1', fromMe: true });
  });
});
