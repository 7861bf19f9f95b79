import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import proto from '@temporalio/proto';
import { KeyRing } from '../../config/key-ring.js';
import { ENCRYPTED_ENCODING, EncryptionCodec } from '../../config/payload-codec.js';
import { whatsappConversationWorkflowId } from '../../workflows/conversation/ids.js';
import { connectedWidget, conversationSettled, customerSays, uniquePhone } from '../support/scenario.js';
import { startTestStack, type TestStack } from '../support/stack.js';

// A CommonJS module: its namespace is its default export.
const { temporal } = proto;

const UI = 'http://127.0.0.1:8233';

test('the codec encrypts payloads with the first key, opens them with any key of the ring, and passes unencrypted ones through', async () => {
  const [oldKey, newKey] = [KeyRing.generate(), KeyRing.generate()];
  const before = new EncryptionCodec(KeyRing.parse(oldKey));
  const rotated = new EncryptionCodec(KeyRing.parse(`${newKey},${oldKey}`));
  const plain = defaultPayloadConverter.toPayload({ text: 'Numele meu este Ana, 0721 234 567' })!;
  const [sealed] = await before.encode([plain]);
  assert.equal(Buffer.from(sealed!.metadata!.encoding!).toString(), ENCRYPTED_ENCODING);
  assert.ok(!Buffer.from(sealed!.data!).toString('latin1').includes('Ana'));
  const [opened] = await rotated.decode([sealed!]);
  assert.deepEqual(defaultPayloadConverter.fromPayload(opened!), { text: 'Numele meu este Ana, 0721 234 567' });
  // What the rotated ring writes, the old one alone cannot read.
  const [resealed] = await rotated.encode([plain]);
  await assert.rejects(before.decode([resealed!]), /not among the configured keys/);
  // A history written before the codec replays: its payloads come back as they were.
  assert.deepEqual(await rotated.decode([plain]), [plain]);
});

let stack: TestStack;
before(async () => {
  stack = await startTestStack({ env: { CATY_CODEC_CORS_ORIGINS: UI } });
});
after(async () => {
  await stack?.stop();
});

type History = Awaited<ReturnType<ReturnType<Client['workflow']['getHandle']>['fetchHistory']>>;

/** Every payload of a history but its search attributes, which stay readable by design (README). */
function payloadsOf(history: History): Payload[] {
  const found: Payload[] = [];
  const walk = (value: unknown): void => {
    if (!value || typeof value !== 'object' || value instanceof Uint8Array) return;
    if (Array.isArray(value)) return value.forEach(walk);
    const record = value as Record<string, unknown>;
    if ('data' in record && record.data instanceof Uint8Array && 'metadata' in record) found.push(record as Payload);
    for (const [key, child] of Object.entries(record)) if (key !== 'searchAttributes') walk(child);
  };
  walk(history.events);
  return found;
}

const toJson = (p: Payload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v!).toString('base64')])),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

test("a conversation's history, read raw from Temporal, holds no message text or number; /codec/decode, with the operator key, shows them", async () => {
  const widget = await connectedWidget(stack.api);
  const customer = uniquePhone();
  const secret = 'Ma numesc Ioana Popescu si vreau o oferta pentru 12 scaune';
  const sent = await customerSays(stack.api, widget.businessPhone, customer, secret);
  await conversationSettled(stack, sent.conversation_id, { customerMessages: 1 });

  // A client without the codec, as whoever reads Temporal's database or its UI without it.
  const raw = new Client({ connection: stack.connection, namespace: stack.config.TEMPORAL_NAMESPACE });
  const history = await raw.workflow.getHandle(whatsappConversationWorkflowId(widget.widgetId, customer)).fetchHistory();
  const payloads = payloadsOf(history);
  const bytes = Buffer.concat(payloads.map((p) => Buffer.from(temporal.api.common.v1.Payload.encode(p).finish())));
  assert.ok(!bytes.toString('latin1').includes('Ioana'), 'no message text');
  assert.ok(!bytes.toString('latin1').includes(customer.slice(1)), 'no phone number');
  // Only the SDK core's own bookkeeping in markers (which local activity, which patch) is left in
  // clear: it writes those itself, past the codec, and they hold nothing of the conversation.
  const plain = payloads.filter((p) => Buffer.from(p.metadata?.encoding ?? []).toString() !== ENCRYPTED_ENCODING);
  for (const p of plain) {
    const value = JSON.parse(Buffer.from(p.data ?? []).toString());
    assert.ok(('activity_type' in value && 'seq' in value) || ('id' in value && 'deprecated' in value), JSON.stringify(value));
  }
  assert.ok(payloads.length - plain.length >= 5, `${payloads.length - plain.length} payloads encrypted`);

  // The Temporal UI asks the API's codec endpoint.
  const signal = history.events!.find((e) => e.workflowExecutionSignaledEventAttributes)!.workflowExecutionSignaledEventAttributes!.input!.payloads!;
  const body = { payloads: signal.map((p) => toJson(p as Payload)) };
  const decoded = await stack.api.post('/codec/decode', body, { 'x-namespace': 'default', origin: UI });
  assert.equal(decoded.status, 200, JSON.stringify(decoded.body));
  assert.equal(decoded.headers.get('access-control-allow-origin'), UI);
  const clear = Buffer.from(decoded.body.payloads[0].data, 'base64').toString();
  assert.ok(clear.includes(secret), clear);
  assert.equal(Buffer.from(decoded.body.payloads[0].metadata.encoding, 'base64').toString(), 'json/plain');
  // What /codec/encode encrypts, /codec/decode opens.
  const encoded = await stack.api.post('/codec/encode', decoded.body);
  assert.equal(encoded.status, 200);
  assert.notEqual(encoded.body.payloads[0].data, decoded.body.payloads[0].data);
  assert.equal((await stack.api.post('/codec/decode', encoded.body)).body.payloads[0].data, decoded.body.payloads[0].data);

  // Only for the operator key, and only pages named in CATY_CODEC_CORS_ORIGINS get CORS headers.
  assert.equal((await stack.api.withKey('').post('/codec/decode', body)).status, 401);
  assert.equal((await stack.api.withKey('wrong-key-0123456789').post('/codec/decode', body)).status, 401);
  const preflight = await stack.api.request('OPTIONS', '/codec/decode', undefined, { origin: UI, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-namespace' });
  assert.equal(preflight.status, 204);
  assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /Authorization/);
  const elsewhere = await stack.api.post('/codec/decode', body, { origin: 'https://evil.example' });
  assert.equal(elsewhere.headers.get('access-control-allow-origin'), null);
  assert.equal((await stack.api.post('/codec/decode', { payloads: [{ metadata: { encoding: Buffer.from(ENCRYPTED_ENCODING).toString('base64') }, data: Buffer.from('not sealed at all, nothing to see here').toString('base64') }] })).status, 422);
});
