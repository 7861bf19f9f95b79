import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../../../config/index.js';
import { KeyRing } from '../../../config/key-ring.js';
import { createDatabase } from '../../../db/connection.js';
import { startGateway } from '../../../worker/gateway-worker.js';
import { FakeWhatsApp } from './fake-whatsapp.js';

/**
 * A gateway in its own process, for tests that kill it. Its fake WhatsApp pairs every new session
 * at once and opens every socket; it reports each socket on stdout as a JSON line.
 */
const config = loadConfig();
const phoneDigits = process.env.FAKE_PHONE_DIGITS ?? '40700000001';
const whatsapp = new FakeWhatsApp();
whatsapp.onSocket = (socket) => {
  const creds = socket.config.auth.creds;
  process.stdout.write(
    `${JSON.stringify({ event: 'socket', channelId: socket.channelId, registered: creds.registered, me: creds.me?.id ?? null, noise: Buffer.from(creds.noiseKey.public).toString('base64') })}\n`,
  );
  if (!creds.registered) socket.creds({ registered: true, me: { id: `${phoneDigits}:2@s.whatsapp.net` } });
  socket.open(phoneDigits);
};

const db = createDatabase(config.DATABASE_URL!);
// One native connection for the client and the gateway's workers, as worker/stack.ts does.
const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS!, grpcCompression: { codec: config.TEMPORAL_GRPC_COMPRESSION } });
const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
const encryptionKeys = KeyRing.parse(config.CATY_ENCRYPTION_KEY!);
const gateway = await startGateway({ connection, client, db, config, encryptionKeys, socketFactory: whatsapp.factory, identity: process.env.GATEWAY_IDENTITY ?? 'gateway-child' });
process.stdout.write(`${JSON.stringify({ event: 'ready', identity: gateway.identity })}\n`);
