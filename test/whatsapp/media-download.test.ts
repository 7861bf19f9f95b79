import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { WAMessage } from '@whiskeysockets/baileys';
import { sql } from 'kysely';
import { catalogues } from '../../workflows/i18n/catalogue.js';
import { whatsappConversationWorkflowId } from '../../workflows/conversation/ids.js';
import { inboundSignal } from '../../workflows/conversation/signals.js';
import { demoKnowledge, uniquePhone } from '../support/scenario.js';
import { signalArguments } from '../support/history.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';
import { fastGatewayEnv } from './support/env.js';
import { FakeMediaServer } from './support/fake-media-server.js';
import { FakeWhatsApp, type FakeSocket } from './support/fake-whatsapp.js';

const whatsapp = new FakeWhatsApp();
const cdn = new FakeMediaServer();
let stack: TestStack;
let socket: FakeSocket;
let channelId: string;
let widgetId: string;
const business = uniquePhone();

before(async () => {
  await cdn.start();
  stack = await startTestStack({
    gateway: { socketFactory: whatsapp.factory, identity: 'gateway-media' },
    mediaDispatcher: cdn.dispatcher,
    // The phone's answer to a re-upload request is awaited 300 ms (20 s by default).
    env: { ...fastGatewayEnv, WHATSAPP_MEDIA_REUPLOAD_TIMEOUT_MS: '300' },
  });
  widgetId = (await stack.api.post('/api/widgets', { name: 'Magazin Test', knowledge_base: demoKnowledge })).body.id;
  channelId = (await stack.api.post('/api/whatsapp/channels', { provider: 'baileys' })).body.id;
  socket = await eventually(async () => whatsapp.latest(), 10_000, 'a socket');
  socket.creds({ registered: true, me: { id: `${business.slice(1)}:9@s.whatsapp.net` } });
  socket.open(business.slice(1));
  await eventually(async () => (await stack.api.get(`/api/whatsapp/channels/${channelId}/status`)).body.status === 'connected', 5000, 'connected');
  assert.equal((await stack.api.post('/api/whatsapp/links', { widget_id: widgetId, whatsapp_channel: 'web', phone: business })).status, 201);
});
after(async () => {
  await stack?.stop();
  await cdn.stop();
});

let counter = 0;
async function photoMessage(customer: string, photo: Buffer): Promise<{ message: WAMessage; directPath: string }> {
  const uploaded = await cdn.upload(photo, 'image');
  const message = {
    key: { remoteJid: `${customer.slice(1)}@s.whatsapp.net`, fromMe: false, id: `3AMEDIA${Date.now()}${++counter}` },
    messageTimestamp: Math.floor(Date.now() / 1000),
    message: { imageMessage: { url: uploaded.url, directPath: uploaded.directPath, mediaKey: uploaded.mediaKey, mimetype: 'image/jpeg', fileLength: uploaded.fileLength, fileSha256: uploaded.fileSha256, fileEncSha256: uploaded.fileEncSha256 } },
  } as WAMessage;
  return { message, directPath: uploaded.directPath };
}

function textMessage(customer: string, text: string): WAMessage {
  return {
    key: { remoteJid: `${customer.slice(1)}@s.whatsapp.net`, fromMe: false, id: `3ATEXT${Date.now()}${++counter}` },
    messageTimestamp: Math.floor(Date.now() / 1000),
    message: { conversation: text },
  } as WAMessage;
}

const jpeg = (size: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(size - 4)]);

async function inboxRow(messageId: string) {
  return stack.db.selectFrom('inbox').select(['status', 'attempts', 'last_error', 'received_at', 'next_attempt_at']).where('message_id', '=', messageId).executeTakeFirst();
}

/** What the socket sent this customer, as text (a reply's words). */
function sentTo(customer: string): string[] {
  return socket.sent.filter((s) => s.jid.startsWith(customer.slice(1))).map((s) => (s.content as { text?: string }).text ?? '');
}

/** The message ids the customer's conversation was signalled, in order. */
async function signalledIds(customer: string): Promise<string[]> {
  return (await signalArguments<{ id: string }>(stack.client, whatsappConversationWorkflowId(widgetId, customer), [inboundSignal.name])).map((s) => s.id);
}

/** A photo whose download fails, then a text of the same chat: the text's inbox row once it is held behind the photo. */
async function photoThenText(photo: WAMessage, text: WAMessage) {
  socket.upsert('notify', [photo]);
  await eventually(async () => ((await inboxRow(photo.key.id!))?.attempts ?? 0) >= 1, 10_000, 'a failed download');
  socket.upsert('notify', [text]);
  return eventually(async () => {
    const row = await inboxRow(text.key.id!);
    return row?.last_error?.startsWith('waiting for the file') && row;
  }, 10_000, 'the text held behind the photo');
}

async function storedBytes(mediaId: string): Promise<Buffer> {
  const response = await fetch(`${stack.api.baseUrl}/api/media/${mediaId}`, { headers: { authorization: `Bearer ${stack.adminKey}` } });
  assert.equal(response.status, 200);
  return Buffer.from(await response.arrayBuffer());
}

async function conversationMessages(customer: string) {
  const row = await stack.db.selectFrom('conversations').select('id').where('customer', '=', customer).executeTakeFirst();
  return row ? ((await stack.api.get(`/api/conversations/${row.id}/messages`)).body as any[]) : [];
}

test('a photo is downloaded (after the phone uploads it again, its URL having expired), stored, and its conversation gets only the id', async () => {
  const customer = uniquePhone();
  const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(300_000)]);
  const { message, directPath } = await photoMessage(customer, photo);
  cdn.expire(directPath);
  socket.reupload = (path) => cdn.reupload(path);
  socket.upsert('notify', [message]);
  const [reply] = await eventually(async () => socket.sent.filter((s) => s.jid.startsWith(customer.slice(1))).length > 0 && socket.sent.filter((s) => s.jid.startsWith(customer.slice(1))), 20_000, 'the acknowledgement');
  assert.deepEqual(reply!.content, { text: catalogues.ro!.attachmentReceived });
  assert.deepEqual(socket.reuploads, [message.key.id]);
  assert.deepEqual(cdn.requests.filter((r) => r.path === directPath).map((r) => r.status), [410]);
  const [received] = await conversationMessages(customer);
  assert.equal(received.media.kind, 'image');
  assert.deepEqual(await storedBytes(received.media.id), photo);
  const history = await stack.client.workflow.getHandle(whatsappConversationWorkflowId(widgetId, customer)).fetchHistory();
  const [payload] = await signalArguments<{ media: unknown }>(stack.client, whatsappConversationWorkflowId(widgetId, customer), [inboundSignal.name]);
  assert.deepEqual(payload!.media, { id: received.media.id, kind: 'image' });
  assert.ok(Buffer.byteLength(JSON.stringify(history)) < 32 * 1024);
});

test('a download that fails leaves the message in the inbox, tried again until it is stored; never dropped', async () => {
  const customer = uniquePhone();
  const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(20_000)]);
  const { message, directPath } = await photoMessage(customer, photo);
  cdn.expire(directPath);
  socket.reupload = 'no_answer'; // the phone is offline: the re-upload request is never answered
  socket.upsert('notify', [message]);
  const pending = await eventually(async () => {
    const row = await inboxRow(message.key.id!);
    return row && row.attempts >= 1 && row;
  }, 10_000, 'a failed attempt');
  assert.equal(pending.status, 'pending');
  assert.match(pending.last_error ?? '', /could not be downloaded yet: the phone did not answer the re-upload request within 300 ms/);
  assert.deepEqual(await conversationMessages(customer), []);
  socket.reupload = (path) => cdn.reupload(path); // the phone is back
  const messages = await eventually(async () => {
    const m = await conversationMessages(customer);
    return m.length >= 1 && m;
  }, 20_000, 'the message delivered by the relay');
  assert.deepEqual(await storedBytes(messages[0].media.id), photo);
});

test("an outage of WhatsApp's media servers: the photo waits in the inbox, tried again with a backoff; the chat's next text waits behind it; when the servers are back both reach the conversation in the order they were sent", async () => {
  const customer = uniquePhone();
  const photo = jpeg(30_000);
  const { message } = await photoMessage(customer, photo);
  const text = textMessage(customer, 'Cat costa livrarea?');
  cdn.outage = 503;
  try {
    const held = await photoThenText(message, text);
    assert.equal(held.status, 'pending');
    assert.equal(held.attempts, 0, 'held, not failed: no attempt spent');
    assert.match(held.last_error!, new RegExp(`waiting for the file of message ${message.key.id}`));
    const retried = await eventually(async () => {
      const row = await inboxRow(message.key.id!);
      return row && row.attempts >= 2 && row;
    }, 15_000, 'the photo tried again');
    assert.equal(retried.status, 'pending');
    assert.match(retried.last_error ?? '', /could not be downloaded yet: .*503/);
    assert.deepEqual(await conversationMessages(customer), [], 'nothing reached the conversation meanwhile');
  } finally {
    cdn.outage = null;
  }
  const acknowledgement = catalogues.ro!.attachmentReceived;
  await eventually(async () => sentTo(customer).length >= 2, 30_000, 'both answered');
  assert.deepEqual(sentTo(customer), [acknowledgement, 'Livrarea costă 15 lei, gratuită peste 200 lei.'], 'the photo was answered first');
  assert.deepEqual(await signalledIds(customer), [message.key.id, text.key.id], 'the conversation got the photo, then the text');
  const received = (await conversationMessages(customer)).find((m) => m.media);
  assert.deepEqual(await storedBytes(received.media.id), photo);
});

test('the hold is bounded: a text waits behind a failing photo for CATY_MEDIA_HOLD_MS at most, then goes ahead; the photo follows when it can', async () => {
  const customer = uniquePhone();
  const { message } = await photoMessage(customer, jpeg(10_000));
  const text = textMessage(customer, 'Care este programul magazinului?');
  cdn.outage = 503;
  try {
    await photoThenText(message, text);
    // A minute passes for the photo (the hold counts from its arrival, as the inbox recorded it).
    await stack.db.updateTable('inbox').set({ received_at: sql`received_at - interval '61 seconds'` }).where('message_id', '=', message.key.id!).execute();
    await eventually(async () => sentTo(customer).length >= 1, 15_000, 'the text answered');
    assert.deepEqual(sentTo(customer), ['Suntem deschiși luni-vineri, 9:00-18:00.']);
    assert.equal((await inboxRow(message.key.id!))?.status, 'pending', 'the photo still waits for its file');
  } finally {
    cdn.outage = null;
  }
  await eventually(async () => sentTo(customer).length >= 2, 30_000, 'the photo acknowledged');
  assert.deepEqual(await signalledIds(customer), [text.key.id, message.key.id]);
  const thread = await conversationMessages(customer);
  assert.ok(thread.find((m) => m.media?.kind === 'image' && !m.media.expired), 'the photo arrived with its file');
});

test('WhatsApp says the file is gone (the phone no longer has it, or its new URL is gone too): the message goes on at once, the file marked unavailable, and is acknowledged', async () => {
  for (const [what, reupload] of [
    ['the phone answers NOT_FOUND', undefined],
    ['the re-uploaded URL is gone too', (path: string) => {
      const fresh = cdn.reupload(path);
      cdn.expire(fresh);
      return fresh;
    }],
  ] as const) {
    const customer = uniquePhone();
    const { message, directPath } = await photoMessage(customer, jpeg(10_000));
    cdn.expire(directPath);
    socket.reupload = reupload;
    socket.upsert('notify', [message]);
    await eventually(async () => sentTo(customer).length >= 1, 15_000, `the acknowledgement (${what})`);
    assert.deepEqual(sentTo(customer), [catalogues.ro!.attachmentReceived], what);
    const row = await inboxRow(message.key.id!);
    assert.deepEqual([row?.status, row?.attempts], ['delivered', 1], `${what}: delivered on its first attempt`);
    const [received] = await conversationMessages(customer);
    assert.equal(received.media.kind, 'image');
    assert.equal(received.media.expired, true, what);
    const bytes = await fetch(`${stack.api.baseUrl}/api/media/${received.media.id}`, { headers: { authorization: `Bearer ${stack.adminKey}` } });
    assert.equal(bytes.status, 410);
  }
});

test('a file that could not be downloaded for CATY_MEDIA_DOWNLOAD_WINDOW_MS (a day) goes on without it, marked unavailable', async () => {
  const customer = uniquePhone();
  const { message } = await photoMessage(customer, jpeg(10_000));
  cdn.outage = 503;
  try {
    socket.upsert('notify', [message]);
    await eventually(async () => ((await inboxRow(message.key.id!))?.attempts ?? 0) >= 1, 10_000, 'a failed download');
    assert.deepEqual(await conversationMessages(customer), []);
    // A day passes: the window counts from the arrival the inbox recorded, so a restart does not reset it.
    await stack.db
      .updateTable('inbox')
      .set({ received_at: sql`received_at - interval '25 hours'`, next_attempt_at: sql`now()` })
      .where('message_id', '=', message.key.id!)
      .execute();
    await eventually(async () => sentTo(customer).length >= 1, 15_000, 'the acknowledgement');
  } finally {
    cdn.outage = null;
  }
  const [received] = await conversationMessages(customer);
  assert.equal(received.media.expired, true);
  assert.equal((await inboxRow(message.key.id!))?.status, 'delivered');
});

test('Baileys sends a photo with its caption, a document with its file name and an OGG/Opus voice note as ptt, streamed from the store', async () => {
  const customer = uniquePhone();
  const auth = { authorization: `Bearer ${stack.adminKey}` };
  const uploadFile = async (type: string, bytes: Buffer, filename = '') =>
    (await (await fetch(`${stack.api.baseUrl}/api/media${filename ? `?filename=${filename}` : ''}`, { method: 'POST', headers: { ...auth, 'content-type': type }, body: bytes })).json()) as { id: string };
  const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(5000)]);
  const doc = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(5000)]);
  const voice = Buffer.concat([Buffer.from('OggS'), randomBytes(5000)]);
  for (const [type, bytes, filename, text] of [['image/jpeg', photo, '', 'Produsul'], ['application/pdf', doc, 'catalog.pdf', ''], ['audio/ogg; codecs=opus', voice, '', '']] as const) {
    const { id } = await uploadFile(type, bytes, filename);
    const sent = await stack.api.post('/api/whatsapp/send', { to: customer, widget_id: widgetId, message: { media: { id }, ...(text ? { text } : {}) } });
    assert.equal(sent.status, 202, JSON.stringify(sent.body));
  }
  const out = await eventually(async () => {
    const s = socket.sent.filter((m) => m.jid.startsWith(customer.slice(1)));
    return s.length === 3 && s;
  }, 15_000, 'three media messages on the socket');
  const read = async (media: unknown) => {
    const chunks: Buffer[] = [];
    for await (const c of (media as { stream: AsyncIterable<Buffer> }).stream) chunks.push(c);
    return Buffer.concat(chunks);
  };
  const [image, document, audio] = out.map((m) => m.content as any);
  assert.equal(image.caption, 'Produsul');
  assert.deepEqual(await read(image.image), photo);
  assert.equal(document.fileName, 'catalog.pdf');
  assert.equal(document.mimetype, 'application/pdf');
  assert.deepEqual(await read(document.document), doc);
  assert.equal(audio.ptt, true);
  assert.deepEqual(await read(audio.audio), voice);
});
