import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { NativeConnection } from '@temporalio/worker';
import { currentLeaseOwner } from '../../activities/whatsapp/baileys/lease.js';
import { newId } from '../../db/ids.js';
import { createChannelSessions } from '../../worker/channel-sessions.js';
import { startGateway, type Gateway } from '../../worker/gateway-worker.js';
import { demoKnowledge, uniquePhone } from '../support/scenario.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';
import { fastGatewayEnv } from './support/env.js';
import { FakeWhatsApp, textMessage, type FakeSocket } from './support/fake-whatsapp.js';

// No gateway inside the stack: this file decides where gateways run.
let stack: TestStack;
const gateways: Gateway[] = [];
const connections: NativeConnection[] = [];
const fakes = new Map<string, FakeWhatsApp>();
let child: ChildProcess | undefined;
before(async () => {
  stack = await startTestStack({ gateway: false, env: fastGatewayEnv });
});
after(async () => {
  child?.kill('SIGKILL');
  for (const g of gateways) await g.stop().catch(() => undefined);
  for (const c of connections) await c.close().catch(() => undefined);
  await stack?.stop();
});

async function accountId(): Promise<string> {
  return (await stack.db.selectFrom('accounts').select('id').orderBy('created_at').executeTakeFirstOrThrow()).id;
}

async function startChannel(): Promise<string> {
  const id = newId('chn');
  await stack.db.insertInto('channels').values({ id, account_id: await accountId(), provider: 'baileys', name: null, status: 'pending', phone: null, qr: null, last_error: null }).execute();
  await createChannelSessions({ client: stack.client, db: stack.db, config: stack.config }).start(id);
  return id;
}

async function inProcessGateway(identity: string, phoneDigits: string): Promise<{ gateway: Gateway; whatsapp: FakeWhatsApp }> {
  const whatsapp = new FakeWhatsApp();
  whatsapp.onSocket = (socket) => {
    if (!socket.config.auth.creds.registered) socket.creds({ registered: true, me: { id: `${phoneDigits}:4@s.whatsapp.net` } });
    socket.open(phoneDigits);
  };
  // One connection per gateway, as separate processes would have: the SDK allows one worker per queue per connection.
  const connection = await NativeConnection.connect({ address: stack.temporalAddress });
  connections.push(connection);
  const gateway = await startGateway({ connection, client: stack.client, db: stack.db, config: stack.config, encryptionKeys: stack.encryptionKeys, socketFactory: whatsapp.factory, identity, spoolDir: path.join(stack.dataDir, `spool-${identity}`) });
  gateways.push(gateway);
  fakes.set(identity, whatsapp);
  return { gateway, whatsapp };
}

async function channelStatus(id: string) {
  return stack.db.selectFrom('channels').select(['status', 'phone']).where('id', '=', id).executeTakeFirstOrThrow();
}

describe('one owner per session, and failover', () => {
  test('when the owning gateway process is killed, another takes the session over with the stored credentials', async () => {
    const phone = uniquePhone();
    const lines: Record<string, unknown>[] = [];
    child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./support/fake-gateway-process.ts', import.meta.url))], {
      env: {
        ...process.env,
        ...fastGatewayEnv,
        DATABASE_URL: stack.databaseUrl,
        TEMPORAL_ADDRESS: stack.temporalAddress,
        TEMPORAL_TASK_QUEUE: stack.config.TEMPORAL_TASK_QUEUE,
        WHATSAPP_SESSION_TASK_QUEUE: stack.config.WHATSAPP_SESSION_TASK_QUEUE,
        CATY_ENCRYPTION_KEY: stack.config.CATY_ENCRYPTION_KEY!,
        GATEWAY_IDENTITY: 'gateway-child',
        CATY_DATA_DIR: path.join(stack.dataDir, 'gateway-child'),
        FAKE_PHONE_DIGITS: phone.slice(1),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not one of ours
      }
    });
    await eventually(async () => lines.some((l) => l.event === 'ready'), 20_000, 'the child gateway');

    const channelId = await startChannel();
    await eventually(async () => (await channelStatus(channelId)).status === 'connected', 10_000, 'connected in the child');
    assert.match((await currentLeaseOwner(stack.db, channelId)) ?? '', /^gateway-child#/);
    const childSocket = lines.find((l) => l.event === 'socket' && l.channelId === channelId)!;
    assert.equal(childSocket.registered, false, 'the child paired the number');

    // A second gateway joins while the child holds the session: it must not open the same account.
    const { whatsapp } = await inProcessGateway('gateway-B', phone.slice(1));
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(whatsapp.of(channelId).length, 0, 'gateway-B stays away from a held session');

    const killedAt = Date.now();
    child.kill('SIGKILL');
    const socket: FakeSocket = await eventually(async () => whatsapp.latest(channelId), 20_000, 'gateway-B to take over');
    await eventually(async () => (await currentLeaseOwner(stack.db, channelId))?.startsWith('gateway-B#'), 5000, 'the lease to move');
    const failoverMs = Date.now() - killedAt;
    process.stderr.write(`    failover after SIGKILL: ${failoverMs} ms (heartbeat timeout ${stack.config.WHATSAPP_SESSION_HEARTBEAT_TIMEOUT_MS} ms)\n`);
    assert.ok(failoverMs < 12_000, `took ${failoverMs} ms`);

    // Resumed, not re-paired: the same identity keys and account the child stored in PostgreSQL.
    const creds = socket.config.auth.creds;
    assert.equal(creds.registered, true);
    assert.equal(creds.me?.id, `${phone.slice(1)}:2@s.whatsapp.net`);
    assert.equal(Buffer.from(creds.noiseKey.public).toString('base64'), childSocket.noise);
    await eventually(async () => (await channelStatus(channelId)).status === 'connected', 5000, 'connected in gateway-B');

    // Sends now reach the new owner: a customer writes, Caty's reply leaves through gateway-B's socket.
    const widget = await stack.api.post('/api/widgets', { name: 'Magazin', knowledge_base: demoKnowledge });
    const link = await stack.api.post('/api/whatsapp/links', { widget_id: widget.body.id, whatsapp_channel: 'web', phone });
    assert.equal(link.status, 201, JSON.stringify(link.body));
    const customer = uniquePhone();
    socket.upsert('notify', [textMessage(`${customer.slice(1)}@s.whatsapp.net`, 'cat costa livrarea?')]);
    const reply = await eventually(async () => socket.sent.find((s) => s.jid === `${customer.slice(1)}@s.whatsapp.net`), 15_000, 'the reply through gateway-B');
    assert.deepEqual(reply.content, { text: 'Livrarea costă 15 lei, gratuită peste 200 lei.' });
  });

  test('two gateways share the sessions with exactly one socket each, and a stopping gateway hands its sessions over', async () => {
    const c = await inProcessGateway('gateway-C', '40700000099');
    const b = gateways.find((g) => g.identity === 'gateway-B')!;
    const channels = await Promise.all([1, 2, 3, 4].map(() => startChannel()));
    await eventually(async () => {
      const statuses = await Promise.all(channels.map(channelStatus));
      return statuses.every((s) => s.status === 'connected');
    }, 15_000, 'all four connected');
    await new Promise((r) => setTimeout(r, 500));
    for (const id of channels) {
      const holders = [b.sessions.has(id), c.gateway.sessions.has(id)].filter(Boolean).length;
      assert.equal(holders, 1, `channel ${id} is held by exactly one gateway`);
      const sockets = c.whatsapp.of(id).length + fakes.get('gateway-B')!.of(id).length;
      assert.equal(sockets, 1, `channel ${id} was opened once across both gateways`);
    }

    const held = channels.filter((id) => b.sessions.has(id));
    const stoppedAt = Date.now();
    await b.stop();
    gateways.splice(gateways.indexOf(b), 1);
    await eventually(async () => channels.every((id) => c.gateway.sessions.get(id)?.isOpen), 15_000, 'gateway-C to hold every session');
    const handoverMs = Date.now() - stoppedAt;
    process.stderr.write(`    graceful handover of ${held.length} session(s): ${handoverMs} ms\n`);
    for (const id of channels) assert.match((await currentLeaseOwner(stack.db, id)) ?? '', /^gateway-C#/);
  });
});
