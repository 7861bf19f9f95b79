import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { ScheduleNotFoundError } from '@temporalio/client';
import { sql } from 'kysely';
import { DATA_RETENTION_SCHEDULE } from '../../workflows/lifecycle/retention.js';
import { ensureDataRetentionSchedule, retentionPolicy } from '../../worker/data-retention-schedule.js';
import { deploymentScheduleId, ensureSchedule } from '../../worker/ensure-schedule.js';
import { connectedWidget, conversationSettled, customerSays, uniquePhone } from '../support/scenario.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';
import { WebhookConsumer } from '../support/webhook-consumer.js';

let stack: TestStack;
let consumer: WebhookConsumer;
before(async () => {
  stack = await startTestStack({ env: { CATY_MESSAGE_RETENTION_DAYS: '30' } });
  consumer = await WebhookConsumer.start();
});
after(async () => {
  await consumer?.stop();
  await stack?.stop();
});

const count = async (query: { execute(): Promise<unknown[]> }) => (await query.execute()).length;
const ago = (days: number) => sql<Date>`now() - make_interval(days => ${days})`;

function deletedMetric(text: string, table: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`caty_retention_rows_deleted_total{table="${table}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

test('the hourly retention schedule deletes back-dated rows of every growing table in batches, keeps newer ones and rows still in play, and counts what it deleted', async () => {
  const { db } = stack;
  const widget = await connectedWidget(stack.api);
  assert.equal((await stack.api.post(`/api/widgets/${widget.widgetId}/webhooks`, { url: consumer.url })).status, 201);
  const [oldCustomer, newCustomer] = [uniquePhone(), uniquePhone()];
  const old = await customerSays(stack.api, widget.businessPhone, oldCustomer, 'Buna ziua, cat costa livrarea?');
  const file = await stack.api.post('/api/whatsapp/sandbox/messages', { to: widget.businessPhone, from: oldCustomer, media: { kind: 'document', mime_type: 'application/pdf', data: Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(3000)]).toString('base64'), filename: 'factura.pdf' } });
  assert.equal(file.status, 202);
  const fresh = await customerSays(stack.api, widget.businessPhone, newCustomer, 'Buna, aveti program sambata?');
  await conversationSettled(stack, old.conversation_id, { customerMessages: 2 });
  await conversationSettled(stack, fresh.conversation_id, { customerMessages: 1 });
  const oldMedia = await eventually(async () => (await db.selectFrom('messages').select('media_id').where('conversation_id', '=', old.conversation_id).where('media_id', 'is not', null).executeTakeFirst())?.media_id, 15_000, 'the stored file');
  await eventually(async () => (await db.selectFrom('webhook_deliveries').select('status').where('status', '=', 'pending').execute()).length === 0 && (await count(db.selectFrom('webhook_deliveries').select('event_id'))) > 0, 15_000, 'webhooks delivered');

  // Everything of the old customer's conversation happened 400 days ago; a live event two days ago.
  const oldEvents = db.selectFrom('events').select('id').where('conversation_id', '=', old.conversation_id);
  await db.updateTable('messages').set({ at: ago(400) }).where('conversation_id', '=', old.conversation_id).execute();
  await db.updateTable('inbox').set({ received_at: ago(400) }).where('customer_phone', '=', oldCustomer).execute();
  await db.updateTable('sandbox_outbox').set({ sent_at: ago(400) }).where('to_phone', '=', oldCustomer).execute();
  await db.updateTable('events').set({ created_at: ago(400) }).where('conversation_id', '=', old.conversation_id).execute();
  await db.updateTable('webhook_deliveries').set({ created_at: ago(400) }).where('event_id', 'in', oldEvents).execute();
  await db.insertInto('live_events').values({ account_id: 'acc_old', widget_id: null, kind: 'conversation.updated', data: JSON.stringify({}), created_at: ago(2) }).execute();
  const account = (await db.selectFrom('widgets').select('account_id').where('id', '=', widget.widgetId).executeTakeFirstOrThrow()).account_id;
  await db
    .insertInto('idempotency_keys')
    .values([
      { account_id: account, key: 'old-key', request_hash: 'h', resource_id: 'r', response: null, created_at: ago(3) },
      { account_id: account, key: 'new-key', request_hash: 'h', resource_id: 'r', response: null, created_at: ago(1) },
    ])
    .execute();
  await db
    .insertInto('whatsapp_sent')
    .values([
      { channel_id: widget.channelId, idempotency_key: 'old', provider_message_id: 'p1', to_phone: oldCustomer, sent_at: ago(31) },
      { channel_id: widget.channelId, idempotency_key: 'new', provider_message_id: 'p2', to_phone: newCustomer, sent_at: ago(29) },
    ])
    .execute();
  await db
    .insertInto('agent_sends')
    .values([
      { conversation_id: old.conversation_id, message_key: 'old', agent: JSON.stringify({ id: 'usr_1', name: 'Ana' }), at: ago(31) },
      { conversation_id: old.conversation_id, message_key: 'new', agent: JSON.stringify({ id: 'usr_1', name: 'Ana' }), at: ago(29) },
    ])
    .execute();
  await db
    .insertInto('conversation_events')
    .values([
      { id: 'cev_old', conversation_id: old.conversation_id, kind: 'mode_changed', actor: null, reason: null, data: JSON.stringify({}), at: ago(366) },
      { id: 'cev_new', conversation_id: old.conversation_id, kind: 'mode_changed', actor: null, reason: null, data: JSON.stringify({}), at: ago(364) },
    ])
    .execute();
  // An inbox message never handed over is still work to do, however old.
  await db
    .insertInto('inbox')
    .values({ channel_id: widget.channelId, message_id: 'stuck', customer_phone: oldCustomer, from_me: false, text: 'x', reply_id: null, sent_at: ago(400), received_at: ago(400), next_attempt_at: sql<Date>`now() + interval '1 hour'`, last_error: null, conversation_id: null, delivered_at: null, attachment: null, media_source: null })
    .execute();
  const freshMessages = await count(db.selectFrom('messages').select('id').where('conversation_id', '=', fresh.conversation_id));
  const freshOutbox = await count(db.selectFrom('sandbox_outbox').select('id').where('to_phone', '=', newCustomer));
  const freshEvents = await count(db.selectFrom('events').select('id').where('conversation_id', '=', fresh.conversation_id));
  const oldMessages = await count(db.selectFrom('messages').select('id').where('conversation_id', '=', old.conversation_id));
  assert.ok(freshMessages >= 2 && freshOutbox >= 1 && freshEvents >= 1 && oldMessages >= 3);
  const metricsBefore = (await stack.api.get('/metrics')).body as string;

  // One schedule for the deployment, hourly, carrying this configuration; triggered now.
  await ensureDataRetentionSchedule(stack.client, stack.config);
  const schedule = stack.client.schedule.getHandle(deploymentScheduleId(DATA_RETENTION_SCHEDULE, stack.config.TEMPORAL_TASK_QUEUE));
  const described = await schedule.describe();
  assert.equal(described.spec.intervals?.[0]?.every, 3_600_000);
  assert.equal(described.action.type, 'startWorkflow');
  assert.deepEqual((described.action as { args?: unknown[] }).args, [{ policy: retentionPolicy(stack.config) }]);
  await schedule.trigger();
  const run = await eventually(async () => (await schedule.describe()).info.recentActions.at(-1)?.action.workflow, 15_000, 'the triggered run');
  const deleted = (await stack.client.workflow.getHandle(run.workflowId, run.firstExecutionRunId).result()) as Record<string, number>;

  assert.equal(await count(db.selectFrom('messages').select('id').where('conversation_id', '=', old.conversation_id)), 0);
  assert.equal(await count(db.selectFrom('messages').select('id').where('conversation_id', '=', fresh.conversation_id)), freshMessages);
  // The old file's bytes and row went with its message.
  assert.equal(await count(db.selectFrom('media').select('id').where('id', '=', oldMedia)), 0);
  assert.equal(await count(db.selectFrom('media_chunks').select('seq').where('media_id', '=', oldMedia)), 0);
  assert.deepEqual((await db.selectFrom('inbox').select('message_id').where('customer_phone', '=', oldCustomer).execute()).map((r) => r.message_id), ['stuck']);
  assert.ok((await count(db.selectFrom('inbox').select('message_id').where('customer_phone', '=', newCustomer))) >= 1);
  assert.equal(await count(db.selectFrom('sandbox_outbox').select('id').where('to_phone', '=', oldCustomer)), 0);
  assert.equal(await count(db.selectFrom('sandbox_outbox').select('id').where('to_phone', '=', newCustomer)), freshOutbox);
  assert.equal(await count(oldEvents), 0);
  assert.equal(await count(db.selectFrom('events').select('id').where('conversation_id', '=', fresh.conversation_id)), freshEvents);
  assert.equal(await count(db.selectFrom('live_events').select('id').where('account_id', '=', 'acc_old')), 0);
  assert.ok((await count(db.selectFrom('live_events').select('id'))) > 0, 'recent live events stay');
  assert.deepEqual((await db.selectFrom('idempotency_keys').select('key').where('account_id', '=', account).execute()).map((r) => r.key), ['new-key']);
  assert.deepEqual((await db.selectFrom('whatsapp_sent').select('idempotency_key').where('channel_id', '=', widget.channelId).execute()).map((r) => r.idempotency_key), ['new']);
  assert.deepEqual((await db.selectFrom('agent_sends').select('message_key').where('conversation_id', '=', old.conversation_id).execute()).map((r) => r.message_key), ['new']);
  assert.deepEqual((await db.selectFrom('conversation_events').select('id').where('id', 'in', ['cev_old', 'cev_new']).execute()).map((r) => r.id), ['cev_new']);
  // The conversation itself (its mode and lead) stays: only its messages had a retention.
  assert.equal(await count(db.selectFrom('conversations').select('id').where('id', '=', old.conversation_id)), 1);

  assert.equal(deleted.messages, oldMessages);
  assert.equal(deleted.idempotency_keys, 1);
  const metricsAfter = (await stack.api.get('/metrics')).body as string;
  assert.equal(deletedMetric(metricsAfter, 'messages') - deletedMetric(metricsBefore, 'messages'), oldMessages);
  assert.equal(deletedMetric(metricsAfter, 'whatsapp_sent') - deletedMetric(metricsBefore, 'whatsapp_sent'), 1);
});

test('messages are kept unless CATY_MESSAGE_RETENTION_DAYS is set', () => {
  const policy = retentionPolicy({ ...stack.config, CATY_MESSAGE_RETENTION_DAYS: undefined });
  assert.equal(policy.messages, undefined);
  assert.equal(policy.inbox, 30 * 86_400_000);
  assert.equal(retentionPolicy(stack.config).messages, 30 * 86_400_000);
});

test('each deployment keeps its own schedule, named with its task queue; the one named without it before goes', async () => {
  const { client, config } = stack;
  const elsewhere = `${config.TEMPORAL_TASK_QUEUE}-elsewhere`;
  // A deployment on another task queue in the same namespace, and this one as releases before named it.
  await ensureDataRetentionSchedule(client, { ...config, TEMPORAL_TASK_QUEUE: elsewhere, CATY_MESSAGE_RETENTION_DAYS: undefined });
  const unqualified = `${DATA_RETENTION_SCHEDULE}-${randomBytes(4).toString('hex')}`;
  await client.schedule.create({
    scheduleId: unqualified,
    spec: { intervals: [{ every: '1h' }] },
    action: { type: 'startWorkflow', workflowType: 'dataRetentionWorkflow', taskQueue: config.TEMPORAL_TASK_QUEUE, args: [] },
  });
  await ensureSchedule(client, { name: unqualified, every: '1h', workflowType: 'dataRetentionWorkflow', taskQueue: config.TEMPORAL_TASK_QUEUE, args: [{ policy: retentionPolicy(config) }], about: 'test' });

  const ours = await client.schedule.getHandle(deploymentScheduleId(DATA_RETENTION_SCHEDULE, config.TEMPORAL_TASK_QUEUE)).describe();
  const theirs = await client.schedule.getHandle(deploymentScheduleId(DATA_RETENTION_SCHEDULE, elsewhere)).describe();
  assert.deepEqual((ours.action as { args?: unknown[] }).args, [{ policy: retentionPolicy(config) }]);
  assert.equal(ours.action.type === 'startWorkflow' && ours.action.taskQueue, config.TEMPORAL_TASK_QUEUE);
  assert.equal(theirs.action.type === 'startWorkflow' && theirs.action.taskQueue, elsewhere);
  assert.equal(((theirs.action as { args?: Array<{ policy: object }> }).args?.[0]?.policy as { messages?: number }).messages, undefined);
  await assert.rejects(client.schedule.getHandle(unqualified).describe(), ScheduleNotFoundError);
  assert.equal((await client.schedule.getHandle(deploymentScheduleId(unqualified, config.TEMPORAL_TASK_QUEUE)).describe()).action.type, 'startWorkflow');
  await client.schedule.getHandle(deploymentScheduleId(DATA_RETENTION_SCHEDULE, elsewhere)).delete();
  await client.schedule.getHandle(deploymentScheduleId(unqualified, config.TEMPORAL_TASK_QUEUE)).delete();
});
