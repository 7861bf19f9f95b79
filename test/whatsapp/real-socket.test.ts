import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';

// A loopback WebSocket endpoint in place of WhatsApp's server: it accepts the WebSocket, then
// refuses Baileys' Noise handshake by closing the connection on the first frame (the client hello).
const attempts: number[] = [];

function closeFrame(code: number, reason: string): Buffer {
  const payload = Buffer.concat([Buffer.from([code >> 8, code & 0xff]), Buffer.from(reason)]);
  return Buffer.concat([Buffer.from([0x88, payload.length]), payload]);
}
let server: Server;
let stack: TestStack;

before(async () => {
  server = createServer((_req, res) => res.writeHead(404).end());
  server.on('upgrade', (req, socket) => {
    attempts.push(Date.now());
    const accept = createHash('sha1').update(`${req.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    socket.once('data', () => socket.end(closeFrame(1008, 'noise handshake refused')));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // The stack's own gateway, with Baileys' real makeWASocket (no socket factory injected).
  stack = await startTestStack({
    env: {
      WHATSAPP_WS_URL: `ws://127.0.0.1:${port}/ws/chat`,
      WHATSAPP_VERSION_FETCH_TIMEOUT_MS: '0',
      WHATSAPP_RECONNECT_INITIAL_MS: '200',
      WHATSAPP_RECONNECT_MAX_MS: '800',
      WHATSAPP_SESSION_HEARTBEAT_TIMEOUT_MS: '3000',
    },
  });
});
after(async () => {
  await stack?.stop();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});

test('a refused handshake leaves the channel disconnected with a clear error, retrying with backoff, the worker alive', async () => {
  const created = await stack.api.post('/api/whatsapp/channels', { provider: 'baileys' });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id: string = created.body.id;

  const status = await eventually(async () => {
    const s = (await stack.api.get(`/api/whatsapp/channels/${id}/status`)).body;
    return s.status === 'disconnected' && s;
  }, 15_000, 'disconnected');
  assert.match(status.last_error, /Connection (Terminated|Failure|Closed)/i);
  assert.match(status.last_error, /reconnecting in/);
  process.stderr.write(`    last_error: ${status.last_error}\n`);

  await eventually(async () => attempts.length >= 4, 15_000, 'four handshake attempts');
  const gaps = attempts.slice(1).map((t, i) => t - attempts[i]!);
  process.stderr.write(`    gaps between attempts: ${gaps.join(', ')} ms\n`);
  // 200, 400, 800 ms (+-25%) plus connection time: the pauses grow, and never hammer the server.
  assert.ok(gaps.every((g) => g >= 140), `gaps ${gaps.join(', ')}`);
  assert.ok(gaps[2]! > gaps[0]!, `backoff grows: ${gaps.join(', ')}`);

  // Still alive: the gateway worker runs and the API answers.
  assert.equal(stack.gateway?.sessions.has(id), true, 'the session is still held, waiting to retry');
  assert.equal((await stack.api.get('/healthz')).status, 200);
  const events = await stack.db.selectFrom('channel_events').select('data').where('channel_id', '=', id).execute();
  assert.ok(events.some((e) => (e.data as { status: string }).status === 'disconnected'));
});
