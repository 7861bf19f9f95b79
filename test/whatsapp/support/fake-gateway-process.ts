import path from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../../../config/index.js';
import { KeyRing } from '../../../config/key-ring.js';
import { createDatabase } from '../../../db/connection.js';
import { startGateway } from '../../../worker/gateway-worker.js';
import { FakeWhatsApp, textMessage } from './fake-whatsapp.js';
import { encryptingDataConverter } from '../../../config/payload-codec.js';

/**
 * A gateway in its own process, for tests that kill it. Its fake WhatsApp pairs every new session
 * at once and opens every socket; it reports each socket and each message sent on stdout as JSON
 * lines. A line on stdin `{"command": "upsert", "channelId", "type", "messages": [{from, text, id}]}`
 * makes the channel's socket deliver those messages (`from` a phone number), and is answered
 * `{"event": "upserted", "ids"}` once the gateway has had them.
 */
const write = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);
const config = loadConfig();
const phoneDigits = process.env.FAKE_PHONE_DIGITS ?? '40700000001';
const whatsapp = new FakeWhatsApp();
whatsapp.onSocket = (socket) => {
  const creds = socket.config.auth.creds;
  write({ event: 'socket', channelId: socket.channelId, registered: creds.registered, me: creds.me?.id ?? null, noise: Buffer.from(creds.noiseKey.public).toString('base64') });
  const send = socket.sendMessage.bind(socket);
  socket.sendMessage = async (jid, content, options) => {
    const sent = await send(jid, content, options);
    write({ event: 'sent', channelId: socket.channelId, jid, messageId: options?.messageId ?? null });
    return sent;
  };
  if (!creds.registered) socket.creds({ registered: true, me: { id: `${phoneDigits}:2@s.whatsapp.net` } });
  socket.open(phoneDigits);
};

const db = createDatabase(config.DATABASE_URL!);
// One native connection for the client and the gateway's workers, as worker/stack.ts does.
const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS!, grpcCompression: { codec: config.TEMPORAL_GRPC_COMPRESSION } });
const encryptionKeys = KeyRing.parse(config.CATY_ENCRYPTION_KEY!);
const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: encryptingDataConverter(encryptionKeys) });
const gateway = await startGateway({
  connection,
  client,
  db,
  config,
  encryptionKeys,
  socketFactory: whatsapp.factory,
  identity: process.env.GATEWAY_IDENTITY ?? 'gateway-child',
  spoolDir: path.join(config.CATY_DATA_DIR, 'whatsapp-spool'),
});
write({ event: 'ready', identity: gateway.identity });

createInterface({ input: process.stdin }).on('line', (line) => {
  const command = JSON.parse(line) as { command: 'upsert'; channelId: string; type: 'notify' | 'append'; messages: { from: string; text: string; id: string }[] };
  const socket = whatsapp.latest(command.channelId);
  if (!socket) throw new Error(`no socket for channel ${command.channelId}`);
  // Baileys' emitter calls the gateway's listener synchronously: when this returns, the gateway has them.
  socket.upsert(command.type, command.messages.map((m) => textMessage(`${m.from.slice(1)}@s.whatsapp.net`, m.text, { id: m.id })));
  write({ event: 'upserted', ids: command.messages.map((m) => m.id) });
});
