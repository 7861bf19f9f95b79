import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { WAMessage } from '@whiskeysockets/baileys';
import { catalogues } from '../../workflows/i18n/catalogue.js';
import { whatsappConversationWorkflowId } from '../../workflows/conversation/ids.js';
import { demoKnowledge, uniquePhone } from '../support/scenario.js';
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
  stack = await startTestStack({ gateway: { socketFactory: whatsapp.factory, identity: 'gateway-media' }, mediaDispatcher: cdn.dispatcher, env: fastGatewayEnv });
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
  const signals = (history.events ?? []).map((e) => e.workflowExecutionSignaledEventAttributes).filter(Boolean);
  const payload = JSON.parse(Buffer.from(signals[0]!.input!.payloads![0]!.data!).toString());
  assert.deepEqual(payload.media, { id: received.media.id, kind: 'image' });
  assert.ok(Buffer.byteLength(JSON.stringify(history)) < 32 * 1024);
});

test('a download that fails leaves the message in the inbox, tried again until it is stored; never dropped', async () => {
  const customer = uniquePhone();
  const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(20_000)]);
  const { message, directPath } = await photoMessage(customer, photo);
  cdn.expire(directPath);
  socket.reupload = undefined; // the phone is offline: the re-upload request fails
  socket.upsert('notify', [message]);
  const pending = await eventually(async () => {
    const row = await stack.db.selectFrom('inbox').select(['status', 'last_error', 'attempts']).where('message_id', '=', message.key.id!).executeTakeFirst();
    return row && row.attempts >= 1 && row;
  }, 10_000, 'a failed attempt');
  assert.equal(pending.status, 'pending');
  assert.match(pending.last_error ?? '', /could not be downloaded yet/);
  assert.deepEqual(await conversationMessages(customer), []);
  socket.reupload = (path) => cdn.reupload(path); // the phone is back
  const messages = await eventually(async () => {
    const m = await conversationMessages(customer);
    return m.length >= 1 && m;
  }, 20_000, 'the message delivered by the relay');
  assert.deepEqual(await storedBytes(messages[0].media.id), photo);
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
