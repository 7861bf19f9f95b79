import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { catalogues } from '../../workflows/i18n/catalogue.js';
import { whatsappConversationWorkflowId } from '../../workflows/conversation/ids.js';
import { connectedWidget, outbox, uniquePhone, conversationSettled } from '../support/scenario.js';
import { startFakeOpenAi, type FakeOpenAi } from '../support/openai-server.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';

let stack: TestStack;
let openai: FakeOpenAi;
let widget: { widgetId: string; businessPhone: string };

before(async () => {
  openai = await startFakeOpenAi();
  stack = await startTestStack({ env: { TRANSCRIPTION_PROVIDER: 'openai', OPENAI_BASE_URL: openai.baseUrl, OPENAI_API_KEY: 'test-key', TRANSCRIPTION_MODEL: 'whisper-test' } });
  widget = await connectedWidget(stack.api);
});
after(async () => {
  await stack?.stop();
  await openai?.close();
});

export const jpeg = (size: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(size - 4)]);
const ogg = (size: number) => Buffer.concat([Buffer.from('OggS'), randomBytes(size - 4)]);

async function send(from: string, body: Record<string, unknown>) {
  const response = await stack.api.post('/api/whatsapp/sandbox/messages', { to: widget.businessPhone, from, ...body });
  assert.equal(response.status, 202, JSON.stringify(response.body));
  return response.body as { message_id: string; conversation_id: string };
}

async function repliesTo(phone: string, count: number) {
  return eventually(async () => {
    const sent = await outbox(stack.api, phone);
    return sent.length >= count && sent;
  }, 20_000, `${count} replies to ${phone}`);
}

async function thread(conversationId: string, count: number) {
  return eventually(async () => {
    const messages = (await stack.api.get(`/api/conversations/${conversationId}/messages`)).body as any[];
    return messages.length >= count && messages;
  }, 20_000, `${count} messages in the thread`);
}

describe('media a customer sends, through the sandbox', () => {
  test('a photo without a caption is stored, shown with its description, served, and acknowledged once in the customer language', async () => {
    const customer = uniquePhone();
    const photo = jpeg(40_000);
    const { conversation_id } = await send(customer, { media: { kind: 'image', mime_type: 'image/jpeg', data: photo.toString('base64') } });
    const [reply] = await repliesTo(customer, 1);
    assert.equal(reply!.text, catalogues.ro!.attachmentReceived);
    const [message] = await thread(conversation_id, 2);
    assert.equal(message.text, '');
    assert.deepEqual({ ...message.media, id: undefined }, { id: undefined, kind: 'image', mime_type: 'image/jpeg', size: photo.length });
    const bytes = await fetch(`${stack.api.baseUrl}/api/media/${message.media.id}`, { headers: { authorization: `Bearer ${stack.adminKey}` } });
    assert.equal(bytes.status, 200);
    assert.equal(bytes.headers.get('content-type'), 'image/jpeg');
    assert.deepEqual(Buffer.from(await bytes.arrayBuffer()), photo);
    // The webhook event carries the description, never the bytes.
    const event = await stack.db.selectFrom('events').select('data').where('conversation_id', '=', conversation_id).where('event', '=', 'whatsapp.message.received').executeTakeFirstOrThrow();
    assert.equal((event.data as any).media.id, message.media.id);
    // Another account's key: the file does not exist for it.
    const other = await stack.api.post('/api/accounts', { name: 'Other' });
    const foreign = await stack.api.withKey(other.body.api_key).get(`/api/media/${message.media.id}`);
    assert.equal(foreign.status, 404);
  });

  test("a conversation's Temporal history stays small after a 5 MB photo: the signal carries its id", async () => {
    const customer = uniquePhone();
    await send(customer, { media: { kind: 'image', mime_type: 'image/jpeg', data: jpeg(5 * 1024 * 1024 - 10).toString('base64') }, text: 'Cât costă livrarea pentru asta?' });
    await repliesTo(customer, 1);
    const history = await stack.client.workflow.getHandle(whatsappConversationWorkflowId(widget.widgetId, customer)).fetchHistory();
    const size = Buffer.byteLength(JSON.stringify(history));
    assert.ok(size < 64 * 1024, `history is ${size} bytes`);
  });

  test('a voice note is transcribed and answered exactly as if typed; the transcript is on the message', async () => {
    const customer = uniquePhone();
    openai.enqueueTranscription({ text: 'Cat costa livrarea?' });
    const { conversation_id } = await send(customer, { media: { kind: 'audio', mime_type: 'audio/ogg; codecs=opus', data: ogg(9000).toString('base64'), voice: true } });
    const [reply] = await repliesTo(customer, 1);
    assert.equal(reply!.text, 'Livrarea costă 15 lei, gratuită peste 200 lei.');
    const [message] = await thread(conversation_id, 2);
    assert.equal(message.media.voice, true);
    assert.equal(message.media.transcript, 'Cat costa livrarea?');
    assert.equal(message.language, 'ro');
    const request = [...openai.requests].reverse().find((r) => r.path.endsWith('/audio/transcriptions'));
    assert.equal(request?.body.model, 'whisper-test');
  });

  test('a transcriber that answers 500 once is asked again, and the answer follows', async () => {
    const customer = uniquePhone();
    openai.enqueueTranscription({ status: 500 }, { text: 'I want to talk to a human' });
    await send(customer, { media: { kind: 'audio', mime_type: 'audio/ogg', data: ogg(5000).toString('base64'), voice: true } });
    const [reply] = await repliesTo(customer, 1);
    assert.equal(reply!.text, catalogues.en!.handoffAcknowledged);
  });

  test('a transcriber that is down: one reply asking the customer to write, and nothing else', async () => {
    const customer = uniquePhone();
    const before = openai.requests.filter((r) => r.path.endsWith('/audio/transcriptions')).length;
    openai.enqueueTranscription({ status: 503 }, { status: 503 }, { status: 503 });
    const { conversation_id } = await send(customer, { media: { kind: 'audio', mime_type: 'audio/ogg', data: ogg(5000).toString('base64'), voice: true } });
    const [reply] = await repliesTo(customer, 1);
    assert.equal(reply!.text, catalogues.ro!.voiceNoteUnsupported);
    await thread(conversation_id, 2);
    await conversationSettled(stack, conversation_id, { customerMessages: 1 });
    assert.equal((await outbox(stack.api, customer)).length, 1);
    assert.equal(openai.requests.filter((r) => r.path.endsWith('/audio/transcriptions')).length - before, 3, 'three attempts, then given up');
    const metrics = await stack.api.get('/metrics');
    assert.match(metrics.body, /caty_transcriptions_total\{outcome="retrying"\} [1-9]/);
  });

  test('a location and a contact card are stored on the message and acknowledged', async () => {
    const customer = uniquePhone();
    const location = { latitude: 44.4268, longitude: 26.1025, name: 'Magazin', address: 'Str. Lipscani 1' };
    const { conversation_id } = await send(customer, { location });
    await repliesTo(customer, 1);
    await send(customer, { contact: { name: 'Ion Popescu', phones: ['+40722000111'] } });
    const sent = await repliesTo(customer, 2);
    assert.deepEqual(sent.map((m) => m.text), [catalogues.ro!.attachmentReceived, catalogues.ro!.attachmentReceived]);
    const messages = await thread(conversation_id, 4);
    assert.deepEqual(messages[0].location, location);
    assert.deepEqual(messages[2].contact, { name: 'Ion Popescu', phones: ['+40722000111'] });
  });

  test('a sticker is stored and shown, and gets no reply', async () => {
    const customer = uniquePhone();
    const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0, 0, 0, 0]), Buffer.from('WEBPVP8 '), randomBytes(500)]);
    const { conversation_id } = await send(customer, { media: { kind: 'sticker', mime_type: 'image/webp', data: webp.toString('base64') } });
    const [message] = await thread(conversation_id, 1);
    assert.equal(message.media.kind, 'sticker');
    await send(customer, { text: 'Care este programul magazinului?' });
    const sent = await repliesTo(customer, 1);
    assert.equal(sent.length, 1);
    assert.equal(sent[0]!.text, 'Suntem deschiși luni-vineri, 9:00-18:00.');
  });

  test('the sandbox refuses a file that is not what it says (415), a kind its type is not (422), and text missing without an attachment (422)', async () => {
    const customer = uniquePhone();
    const lie = await stack.api.post('/api/whatsapp/sandbox/messages', { to: widget.businessPhone, from: customer, media: { kind: 'image', mime_type: 'image/png', data: jpeg(100).toString('base64') } });
    assert.equal(lie.status, 415, JSON.stringify(lie.body));
    const kind = await stack.api.post('/api/whatsapp/sandbox/messages', { to: widget.businessPhone, from: customer, media: { kind: 'video', mime_type: 'image/jpeg', data: jpeg(100).toString('base64') } });
    assert.equal(kind.status, 422, JSON.stringify(kind.body));
    const empty = await stack.api.post('/api/whatsapp/sandbox/messages', { to: widget.businessPhone, from: customer });
    assert.equal(empty.status, 422, JSON.stringify(empty.body));
  });
});
