import { createHash } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { AnyMessageContent, WAMessage } from '@whiskeysockets/baileys';
import { loadConfig } from '../../../config/index.js';
import { startStack } from '../../../worker/stack.js';
import { loopbackDispatcher } from '../../whatsapp/support/fake-media-server.js';
import { FakeWhatsApp } from '../../whatsapp/support/fake-whatsapp.js';

/**
 * The WhatsApp gateway as a process of its own for `npm run bench:media`, as worker/gateway.ts runs
 * it (no conversation worker, no API), on the bench's PostgreSQL and Temporal. Its sockets are
 * fake: each pairs and opens at once as FAKE_PHONE_DIGITS; WhatsApp's media servers are the
 * bench's loopback server on MEDIA_SERVER_PORT. Reads `{"upsert": <WAMessage>}` lines on stdin
 * (a message WhatsApp delivers); writes JSON lines on stdout: `ready`, and `sent` with the size
 * and SHA-256 of each file it sent, read from its stream as Baileys' upload reads it.
 */
const config = loadConfig();
const phone = process.env.FAKE_PHONE_DIGITS!;
const report = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);

const whatsapp = new FakeWhatsApp();
whatsapp.onSocket = (socket) => {
  if (!socket.config.auth.creds.registered) socket.creds({ registered: true, me: { id: `${phone}:2@s.whatsapp.net` } });
  socket.open(phone);
  const send = socket.sendMessage.bind(socket);
  socket.sendMessage = async (jid: string, content: AnyMessageContent, options?: { messageId?: string }) => {
    const file = Object.values(content).find((v): v is { stream: AsyncIterable<Buffer> } => typeof v === 'object' && v !== null && 'stream' in v);
    if (file) {
      const hash = createHash('sha256');
      let bytes = 0;
      for await (const chunk of file.stream) {
        hash.update(chunk);
        bytes += chunk.length;
      }
      report({ event: 'sent', bytes, sha256: hash.digest('hex') });
    }
    return send(jid, content, options);
  };
};

const stack = await startStack({
  config,
  dataDir: await mkdtemp(path.join(tmpdir(), 'caty-bench-gateway-')),
  runWorker: false,
  gateway: { socketFactory: whatsapp.factory, identity: 'bench-gateway' },
  mediaDispatcher: loopbackDispatcher(Number(process.env.MEDIA_SERVER_PORT)),
  log: (line) => process.stderr.write(`gateway: ${line}\n`),
});
report({ event: 'ready' });

const revive = (_key: string, value: unknown) =>
  value && typeof value === 'object' && (value as { type?: unknown }).type === 'Buffer' ? Buffer.from((value as { data: number[] }).data) : value;
for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const { upsert } = JSON.parse(line, revive) as { upsert: WAMessage };
  whatsapp.latest()?.upsert('notify', [upsert]);
}
await stack.stop();
