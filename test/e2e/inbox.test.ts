import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client/lib/grpc-retry.js';
import { createInboundDelivery } from '../../inbound/deliver.js';
import { Inbox } from '../../inbound/inbox.js';
import { createApp } from '../../api/app.js';
import { KeyRing } from '../../config/key-ring.js';
import { connectedWidget, outbox, uniquePhone, conversationSettled } from '../support/scenario.js';
import { ApiClient, eventually, startTestStack, type TestStack } from '../support/stack.js';
import { encryptingDataConverter } from '../../config/payload-codec.js';

let stack: TestStack;
let cutOff: { api: ApiClient; server: Server; connection: Connection };

before(async () => {
  stack = await startTestStack();
  // A second API process whose Temporal is unreachable (a network partition, a server restart).
  // It gives up after two tries (the SDK's default takes some 20 s), so the test runs quickly.
  const connection = Connection.lazy({
    address: '127.0.0.1:9',
    connectTimeout: '500ms',
    interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 2 }))],
  });
  const client = new Client({ connection, namespace: stack.config.TEMPORAL_NAMESPACE, dataConverter: encryptingDataConverter(stack.encryptionKeys) });
  const inbox = new Inbox({ db: stack.db, deliverInbound: createInboundDelivery({ db: stack.db, client, taskQueue: stack.config.TEMPORAL_TASK_QUEUE }) });
  const app = createApp({ db: stack.db, client, taskQueue: stack.config.TEMPORAL_TASK_QUEUE, adminKey: stack.adminKey, inbox, detector: undefined as never, media: stack.media, liveEvents: undefined as never, allowPrivateWebhooks: true, sandbox: true, visitorTokenKeys: KeyRing.parse(KeyRing.generate()), dashboard: { temporalUiUrl: null, temporalNamespace: 'default' }, log: () => undefined });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  cutOff = { api: new ApiClient(`http://127.0.0.1:${port}`, stack.adminKey), server, connection };
});

after(async () => {
  cutOff?.server.closeAllConnections();
  await new Promise((r) => cutOff?.server.close(r));
  await cutOff?.connection.close().catch(() => undefined);
  await stack?.stop();
});

const inboxRow = (messageId: string) => stack.db.selectFrom('inbox').selectAll().where('message_id', '=', messageId).executeTakeFirst();

describe('every inbound message is stored before anything else', () => {
  test('accepted while Temporal is unreachable: stored, then delivered by the relay once, answered once', async () => {
    const { businessPhone } = await connectedWidget(stack.api);
    const customer = uniquePhone();
    const accepted = await cutOff.api.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from: customer, text: 'cat costa livrarea?', id: 'wamid-partition-1' });
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    const stored = await inboxRow('wamid-partition-1');
    assert.equal(stored?.status, 'pending', 'in PostgreSQL before anything else');

    // Its own process gives up on Temporal; another process's relay hands it over, and the
    // conversation id the API promised is the one used.
    await eventually(async () => (await outbox(stack.api, customer)).length === 1, 60_000, 'the reply');
    const delivered = await eventually(async () => {
      const row = await inboxRow('wamid-partition-1');
      return row?.status === 'delivered' && row;
    });
    assert.ok(delivered.attempts >= 2, `the first hand-over failed (attempts: ${delivered.attempts})`);
    assert.equal(delivered.conversation_id, accepted.body.conversation_id);

    // WhatsApp redelivers it: the same row, nothing new.
    const again = await stack.api.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from: customer, text: 'cat costa livrarea?', id: 'wamid-partition-1' });
    assert.equal(again.status, 202);
    assert.equal(again.body.conversation_id, accepted.body.conversation_id);
    await conversationSettled(stack, accepted.body.conversation_id, { customerMessages: 1 });
    assert.equal((await outbox(stack.api, customer)).length, 1, 'one reply');
  });

  test('a message that can never be delivered is marked failed with the reason, not retried forever; the others still go', async () => {
    const orphaned = await connectedWidget(stack.api);
    const healthy = await connectedWidget(stack.api);
    const [a, b] = [uniquePhone(), uniquePhone()];
    // Both stored while Temporal was away; then one number was unlinked before the relay came to it.
    assert.equal((await cutOff.api.post('/api/whatsapp/sandbox/messages', { to: orphaned.businessPhone, from: a, text: 'salut', id: 'wamid-orphan-1' })).status, 202);
    assert.equal((await cutOff.api.post('/api/whatsapp/sandbox/messages', { to: healthy.businessPhone, from: b, text: 'cat costa livrarea?', id: 'wamid-healthy-1' })).status, 202);
    await stack.db.deleteFrom('links').where('channel_id', '=', orphaned.channelId).execute();

    const failed = await eventually(async () => {
      const row = await inboxRow('wamid-orphan-1');
      return row?.status === 'failed' && row;
    }, 60_000, 'marked failed');
    assert.match(failed.last_error ?? '', /not linked/);
    await eventually(async () => (await outbox(stack.api, b)).length === 1, 60_000, 'the other message answered');
    const attempts = failed.attempts;
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal((await inboxRow('wamid-orphan-1'))?.attempts, attempts, 'not retried forever');
  });

  test('messages handed over at the same time are each marked delivered with their own conversation before their 202', async () => {
    const { businessPhone } = await connectedWidget(stack.api);
    const customers = Array.from({ length: 24 }, () => uniquePhone());
    const answers = await Promise.all(
      customers.map((from, i) => stack.api.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from, text: 'buna ziua', id: `wamid-together-${i}` })),
    );
    const conversations = new Set<string>();
    for (const [i, answer] of answers.entries()) {
      assert.equal(answer.status, 202, JSON.stringify(answer.body));
      const row = await inboxRow(`wamid-together-${i}`);
      assert.equal(row?.status, 'delivered', `wamid-together-${i}`);
      assert.equal(row?.attempts, 1);
      assert.equal(row?.last_error, null);
      assert.equal(row?.conversation_id, answer.body.conversation_id);
      conversations.add(row!.conversation_id!);
    }
    assert.equal(conversations.size, customers.length, 'one conversation per customer');
  });

  test("a file that takes longer to download than a claim lasts: the claim is renewed, so no other process's relay starts the same download", async () => {
    const { businessPhone, channelId } = await connectedWidget(stack.api);
    const account = await stack.db.selectFrom('channels').select('account_id').where('id', '=', channelId).executeTakeFirstOrThrow();
    const downloads: string[] = [];
    // This process's claims last 300 ms; its download takes 1.5 s. The stack's own relay (every
    // second, its own downloader) would take the row as soon as a claim lapsed.
    const slow = new Inbox({
      db: stack.db,
      deliverInbound: createInboundDelivery({ db: stack.db, client: stack.client, taskQueue: stack.config.TEMPORAL_TASK_QUEUE }),
      claimMs: 300,
      fetchMedia: async (message) => {
        downloads.push(message.id);
        await new Promise((r) => setTimeout(r, 1500));
        await stack.media.save({ id: message.attachment!.media!.id, accountId: account.account_id, kind: 'document', mimeType: 'application/pdf', sniff: false, bytes: Readable.from([Buffer.from('%PDF-1.4\n')]) });
      },
    });
    const id = 'wamid-slow-download-1';
    // Every change another process would make to the row while the download runs: its attempt, its error.
    const seen = new Set<string>();
    let watching = true;
    const watch = (async () => {
      while (watching) {
        const row = await inboxRow(id);
        if (row && (row.attempts > 0 || row.last_error) && row.status !== 'delivered') seen.add(`attempt ${row.attempts}: ${row.last_error}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const accepted = await slow.accept({
      id,
      channelId,
      businessPhone,
      customerPhone: uniquePhone(),
      fromMe: false,
      text: '',
      timestamp: new Date(),
      attachment: { media: { id: 'med_slow_download_1', kind: 'document' } },
      mediaSource: { key: { remoteJid: null, id, fromMe: false, participant: null }, message: '', mimeType: 'application/pdf' },
    });
    assert.equal(accepted.stored, true);
    await eventually(async () => (await inboxRow(id))?.status === 'delivered', 10_000, 'delivered');
    await new Promise((r) => setTimeout(r, 1200));
    watching = false;
    await watch;
    assert.deepEqual([...seen], [], 'no other process took the row');
    const row = await inboxRow(id);
    assert.deepEqual([row?.status, row?.attempts, row?.last_error], ['delivered', 1, null], 'one attempt, by the process that claimed it');
    assert.deepEqual(downloads, [id]);
    assert.equal((await stack.media.find('med_slow_download_1'))?.status, 'ready', 'no other process recorded the file as unavailable');
  });
});
