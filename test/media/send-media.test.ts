import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { connectedWidget, outbox, uniquePhone } from '../support/scenario.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';

let stack: TestStack;
let widget: { widgetId: string; businessPhone: string };
before(async () => {
  stack = await startTestStack();
  widget = await connectedWidget(stack.api);
  await stack.api.patch(`/api/widgets/${widget.widgetId}`, { allowed_origins: ['https://shop.example'] });
});
after(async () => {
  await stack?.stop();
});

const pdf = (size: number) => Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(size - 9)]);
const jpeg = (size: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(size - 4)]);

/** A raw upload; `chunked` sends no Content-Length, so the limit can only be found while streaming. */
function upload(path: string, type: string, bytes: Buffer | (() => AsyncGenerator<Buffer>), headers: Record<string, string> = { authorization: `Bearer ${stack.adminKey}` }): Promise<{ status: number; body: any; sent: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    const req = http.request(`${stack.api.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': type, ...headers, ...(Buffer.isBuffer(bytes) ? { 'content-length': String(bytes.length) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString() || 'null'), sent }));
    });
    req.on('error', reject);
    if (Buffer.isBuffer(bytes)) {
      sent = bytes.length;
      req.end(bytes);
      return;
    }
    void (async () => {
      for await (const chunk of bytes()) {
        if (req.destroyed) return;
        sent += chunk.length;
        if (!req.write(chunk)) await new Promise((r) => req.once('drain', r));
      }
      req.end();
    })().catch(() => undefined);
  });
}

describe('sending media', () => {
  test('POST /api/media: 201 with the description; 413 past the limit, by Content-Length and while streaming; 415 for a type WhatsApp cannot carry or bytes that lie', async () => {
    const ok = await upload('/api/media?filename=catalog.pdf', 'application/pdf', pdf(300_000));
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    assert.deepEqual({ ...ok.body, id: undefined }, { id: undefined, kind: 'document', mime_type: 'application/pdf', size: 300_000 });
    assert.equal((await upload('/api/media', 'image/jpeg', jpeg(5 * 1024 * 1024 + 1))).status, 413);
    const streamed = await upload('/api/media', 'image/jpeg', async function* () {
      yield jpeg(64 * 1024);
      for (let i = 0; i < 400; i++) yield randomBytes(64 * 1024);
    });
    assert.equal(streamed.status, 413, JSON.stringify(streamed.body));
    assert.match(streamed.body.error.message, /5 MB/);
    assert.equal((await upload('/api/media', 'application/zip', Buffer.from('PK\x03\x04rest'))).status, 415);
    const lie = await upload('/api/media', 'image/png', jpeg(1000));
    assert.equal(lie.status, 415);
    assert.match(lie.body.error.message, /not image\/png/);
    // A name PostgreSQL cannot store (a NUL, found by schemathesis) or with a folder in it is a 400.
    for (const name of ['a%00b.pdf', '..%2Fetc%2Fpasswd', 'tab%09.pdf']) {
      const refused = await upload(`/api/media?filename=${name}`, 'application/pdf', pdf(1000));
      assert.equal(refused.status, 400, `${name}: ${JSON.stringify(refused.body)}`);
      assert.match(refused.body.error.message, /filename: must be a file name/);
    }
    assert.equal((await stack.db.selectFrom('media').select('id').where('status', '=', 'pending').execute()).length, 0, 'nothing half-written');
  });

  test('a document and a voice note sent with POST /api/whatsapp/send reach the sandbox outbox and the thread, with caption and file name', async () => {
    const customer = uniquePhone();
    const doc = await upload('/api/media?filename=oferta.pdf', 'application/pdf', pdf(2000));
    const sent = await stack.api.post('/api/whatsapp/send', { to: customer, widget_id: widget.widgetId, message: { media: { id: doc.body.id }, text: 'Oferta noastră' } });
    assert.equal(sent.status, 202, JSON.stringify(sent.body));
    const voice = await upload('/api/media', 'audio/ogg; codecs=opus', Buffer.concat([Buffer.from('OggS'), randomBytes(3000)]));
    await stack.api.post('/api/whatsapp/send', { to: customer, widget_id: widget.widgetId, message: { media: { id: voice.body.id } } });
    const box = await eventually(async () => {
      const b = await outbox(stack.api, customer);
      return b.length === 2 && (b as any[]);
    }, 15_000, 'both in the outbox');
    assert.equal(box[0].text, 'Oferta noastră');
    assert.deepEqual({ ...box[0].media, id: undefined }, { id: undefined, kind: 'document', mime_type: 'application/pdf', size: 2000, filename: 'oferta.pdf' });
    assert.equal(box[1].media.voice, true);
    const thread = (await stack.api.get(`/api/conversations/${sent.body.conversation_id}/messages`)).body as any[];
    assert.deepEqual(thread.map((m) => [m.author, m.media?.kind]), [['agent', 'document'], ['agent', 'audio']]);
  });

  test("another account's file cannot be read or sent: 404", async () => {
    const mine = await upload('/api/media', 'application/pdf', pdf(500));
    const other = (await stack.api.post('/api/accounts', { name: 'Someone else' })).body.api_key as string;
    const api = stack.api.withKey(other);
    assert.equal((await api.get(`/api/media/${mine.body.id}`)).status, 404);
    const theirWidget = await connectedWidget(api);
    const send = await api.post('/api/whatsapp/send', { to: uniquePhone(), widget_id: theirWidget.widgetId, message: { media: { id: mine.body.id } } });
    assert.equal(send.status, 404, JSON.stringify(send.body));
  });

  test('a web visitor uploads a photo, sends it, reads it back; another visitor cannot', async () => {
    const origin = { origin: 'https://shop.example' };
    const session = (await stack.api.request('POST', `/public/widgets/${widget.widgetId}/sessions`, undefined, origin)).body;
    const photo = jpeg(20_000);
    const up = await upload(`/public/widgets/${widget.widgetId}/media`, 'image/jpeg', photo, { ...origin, authorization: `Bearer ${session.token}` });
    assert.equal(up.status, 201, JSON.stringify(up.body));
    assert.equal((await upload(`/public/widgets/${widget.widgetId}/media`, 'audio/ogg', Buffer.from('OggS1234'), { ...origin, authorization: `Bearer ${session.token}` })).status, 415);
    const posted = await stack.api.request('POST', `/public/widgets/${widget.widgetId}/messages`, { media_id: up.body.id }, { ...origin, authorization: `Bearer ${session.token}` });
    assert.equal(posted.status, 202, JSON.stringify(posted.body));
    const history = await eventually(async () => {
      const h = (await stack.api.request('GET', `/public/widgets/${widget.widgetId}/messages`, undefined, { ...origin, authorization: `Bearer ${session.token}` })).body.messages as any[];
      return h.length >= 2 && h;
    }, 15_000, 'the visitor thread');
    assert.equal(history[0].media.id, up.body.id);
    assert.ok(history[1].text.length > 0, 'acknowledged');
    const own = await fetch(`${stack.api.baseUrl}/public/widgets/${widget.widgetId}/media/${up.body.id}`, { headers: { ...origin, authorization: `Bearer ${session.token}` } });
    assert.deepEqual(Buffer.from(await own.arrayBuffer()), photo);
    const stranger = (await stack.api.request('POST', `/public/widgets/${widget.widgetId}/sessions`, undefined, origin)).body;
    const theirs = await fetch(`${stack.api.baseUrl}/public/widgets/${widget.widgetId}/media/${up.body.id}`, { headers: { ...origin, authorization: `Bearer ${stranger.token}` } });
    assert.equal(theirs.status, 404);
  });
});
