import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { MEDIA_RETENTION_SCHEDULE } from '../../workflows/media/retention.js';
import { deploymentScheduleId } from '../../worker/ensure-schedule.js';
import { ensureMediaRetentionSchedule } from '../../worker/media-retention-schedule.js';
import { connectedWidget, uniquePhone } from '../support/scenario.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';

let stack: TestStack;
before(async () => {
  stack = await startTestStack({ env: { CATY_MEDIA_RETENTION_DAYS: '30' } });
});
after(async () => {
  await stack?.stop();
});

test('the retention schedule deletes the bytes of files older than CATY_MEDIA_RETENTION_DAYS; their messages keep the description and say they expired', async () => {
  const widget = await connectedWidget(stack.api);
  const customer = uniquePhone();
  const send = (data: Buffer) => stack.api.post('/api/whatsapp/sandbox/messages', { to: widget.businessPhone, from: customer, media: { kind: 'document', mime_type: 'application/pdf', data: data.toString('base64'), filename: 'old.pdf' } });
  const old = await send(Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(2000)]));
  const fresh = await send(Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(2000)]));
  const thread = await eventually(async () => {
    const messages = (await stack.api.get(`/api/conversations/${old.body.conversation_id}/messages`)).body as any[];
    const inbound = messages.filter((m) => m.media);
    return inbound.length === 2 && inbound;
  }, 15_000, 'both files in the thread');
  const [oldId, freshId] = [thread[0].media.id, thread[1].media.id];
  await stack.db.updateTable('media').set({ created_at: sql<Date>`now() - interval '31 days'` }).where('id', '=', oldId).execute();

  // Every worker keeps the one schedule pointed at its deployment; this test triggers it now.
  await ensureMediaRetentionSchedule(stack.client, stack.config.TEMPORAL_TASK_QUEUE, stack.config.CATY_MEDIA_RETENTION_DAYS);
  const handle = stack.client.schedule.getHandle(deploymentScheduleId(MEDIA_RETENTION_SCHEDULE, stack.config.TEMPORAL_TASK_QUEUE));
  assert.deepEqual((await handle.describe()).spec.intervals?.[0]?.every, 86_400_000);
  await handle.trigger();

  await eventually(async () => (await stack.db.selectFrom('media').select('status').where('id', '=', oldId).executeTakeFirst())?.status === 'expired', 15_000, 'the old file expired');
  assert.equal((await stack.db.selectFrom('media_chunks').select('seq').where('media_id', '=', oldId).execute()).length, 0);
  assert.equal((await stack.api.get(`/api/media/${oldId}`)).status, 410);
  assert.equal((await stack.api.get(`/api/media/${freshId}`)).status, 200);
  const after = (await stack.api.get(`/api/conversations/${old.body.conversation_id}/messages`)).body as any[];
  const expired = after.find((m) => m.media?.id === oldId);
  assert.equal(expired.media.expired, true);
  assert.equal(expired.media.filename, 'old.pdf');
  assert.equal(after.find((m) => m.media?.id === freshId).media.expired, undefined);
});
