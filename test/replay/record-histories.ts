/**
 * Records conversation histories from the code as it is now, for the replay test
 * (`replay.test.ts`). Run it before a change to workflow code that running conversations must
 * survive, and commit the files it writes:
 *
 *   npx tsx test/replay/record-histories.ts [label]
 *
 * Every scenario runs against a real stack; each workflow's history is written once it is idle,
 * so it ends on a completed workflow task.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFile } from 'node:child_process';
import { resolveTemporalCli } from '../../worker/infra/temporal-dev-server.js';
import { stateQuery } from '../../workflows/conversation/signals.js';
import { connectedWidget, outbox, uniquePhone } from '../support/scenario.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';
import { WebhookConsumer } from '../support/webhook-consumer.js';

const label = process.argv[2] ?? new Date().toISOString().slice(0, 10);
const outDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'histories', label);

const stack: TestStack = await startTestStack({
  // A run that continues as new within a short scenario.
  temporalDynamicConfig: { 'limit.historyCount.suggestContinueAsNew': 120 },
});

async function say(businessPhone: string, from: string, text: string, extra: Record<string, unknown> = {}) {
  const r = await stack.api.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from, text, ...extra });
  if (r.status !== 202) throw new Error(`sandbox message: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as { message_id: string; conversation_id: string };
}

async function idle(conversationId: string): Promise<void> {
  const row = await stack.db.selectFrom('conversations').select('workflow_id').where('id', '=', conversationId).executeTakeFirstOrThrow();
  await eventually(async () => {
    const state = await stack.client.workflow.getHandle(row.workflow_id).query(stateQuery);
    return state.pending === 0;
  }, 30_000, 'an idle conversation');
  // The query runs between tasks; a moment more lets the last task's completion land.
  await new Promise((r) => setTimeout(r, 500));
}

const texts = async (phone: string) => (await outbox(stack.api, phone)).map((m) => m.text);

const scenarios: Record<string, () => Promise<void>> = {
  async 'web-answers-and-duplicates'() {
    const { businessPhone } = await connectedWidget(stack.api);
    const customer = uniquePhone();
    const first = await say(businessPhone, customer, 'Cat costa livrarea?', { id: 'rec-web-1' });
    await say(businessPhone, customer, 'Cat costa livrarea?', { id: 'rec-web-1' });
    await say(businessPhone, customer, 'How much is shipping to London?', { id: 'rec-web-2' });
    await say(businessPhone, customer, 'aveti reduceri la televizoare?', { id: 'rec-web-3' });
    await eventually(async () => (await texts(customer)).length === 3);
    await idle(first.conversation_id);
  },

  async 'qr-first-lead-alert-and-call'() {
    const admin = uniquePhone();
    const { businessPhone } = await connectedWidget(stack.api, {
      channelType: 'qr_first',
      widget: { admin_phones: [admin], notifications: { lead_alerts: true, alert_channel: 'whatsapp', alert_phone: admin } },
    });
    const customer = uniquePhone();
    const first = await say(businessPhone, customer, 'Buna ziua! (ref: flyer-mai)');
    await eventually(async () => (await texts(customer)).length === 1);
    await say(businessPhone, customer, 'Ma numesc Ion Popescu');
    await say(businessPhone, customer, 'vreau sa cumpar, cat costa livrarea? ion@example.com');
    await eventually(async () => (await texts(admin)).some((t) => t.startsWith('New Lead Captured!')));
    await say(businessPhone, admin, 'CALL');
    await eventually(async () => (await texts(admin)).length >= 2);
    await idle(first.conversation_id);
  },

  async 'notifications-never-reply-and-api-send'() {
    const { businessPhone, widgetId } = await connectedWidget(stack.api, { channelType: 'notifications' });
    const customer = uniquePhone();
    const sent = await stack.api.post('/api/whatsapp/send', { to: customer, widget_id: widgetId, message: 'Comanda a fost expediata!' });
    if (sent.status !== 202) throw new Error(JSON.stringify(sent.body));
    const rich = await stack.api.post('/api/whatsapp/send', {
      to: customer,
      widget_id: widgetId,
      message: { text: 'Cum doriti sa continuam?', buttons: [{ id: 'buy', title: 'Cumpara' }, { id: 'info', title: 'Mai multe info' }] },
    });
    if (rich.status !== 202) throw new Error(JSON.stringify(rich.body));
    const reply = await say(businessPhone, customer, '2');
    await eventually(async () => (await texts(customer)).length === 2);
    await idle(reply.conversation_id);
  },

  async 'chat-takeover-agent-and-resume'() {
    const { businessPhone } = await connectedWidget(stack.api);
    const customer = uniquePhone();
    const first = await say(businessPhone, customer, 'cat costa livrarea?');
    await eventually(async () => (await texts(customer)).length === 1);
    await say(businessPhone, customer, 'PREIA', { from_me: true });
    await say(businessPhone, customer, 'Buna, sunt Ana de la magazin', { from_me: true });
    await say(businessPhone, customer, 'cat dureaza livrarea?');
    await eventually(async () => (await texts(businessPhone)).length === 1);
    await say(businessPhone, customer, '/caty on', { from_me: true });
    await say(businessPhone, customer, 'care este programul?');
    await eventually(async () => (await texts(customer)).length === 2);
    await idle(first.conversation_id);
  },

  async 'admin-phone-and-api-commands'() {
    const admin = uniquePhone();
    const { businessPhone } = await connectedWidget(stack.api, { widget: { admin_phones: [admin], notifications: { alert_phone: admin } } });
    const customer = uniquePhone();
    const first = await say(businessPhone, customer, 'cat costa livrarea?');
    await eventually(async () => (await texts(customer)).length === 1);
    await say(businessPhone, admin, `PREIA ${customer}`);
    await eventually(async () => (await texts(admin)).length === 1);
    await say(businessPhone, admin, `/caty on ${customer}`);
    await eventually(async () => (await texts(admin)).length === 2);
    await stack.api.post(`/api/conversations/${first.conversation_id}/takeover`);
    await stack.api.post(`/api/conversations/${first.conversation_id}/resume`);
    await say(businessPhone, customer, 'care este programul?');
    await eventually(async () => (await texts(customer)).length === 2);
    await idle(first.conversation_id);
  },

  async 'human-request-follow-up-and-auto-resume'() {
    const admin = uniquePhone();
    const { businessPhone } = await connectedWidget(stack.api, {
      widget: { notifications: { alert_phone: admin }, handoff: { response_timeout: 2, auto_resume_after: 2 } },
    });
    const customer = uniquePhone();
    const first = await say(businessPhone, customer, 'Vreau sa vorbesc cu un om');
    await eventually(async () => (await texts(customer)).length === 2, 20_000, 'acknowledgement and follow-up');
    await say(businessPhone, customer, 'PREIA', { from_me: true });
    await say(businessPhone, customer, 'Revin imediat', { from_me: true });
    await new Promise((r) => setTimeout(r, 3000));
    await say(businessPhone, customer, 'cat costa livrarea?');
    await eventually(async () => (await texts(customer)).length === 3, 20_000, 'answered after the auto-resume');
    await idle(first.conversation_id);
  },

  async 'continue-as-new'() {
    const { businessPhone } = await connectedWidget(stack.api);
    const customer = uniquePhone();
    let conversationId = '';
    for (let i = 0; i < 60; i++) {
      conversationId = (await say(businessPhone, customer, i % 2 ? 'cat dureaza livrarea?' : 'cat costa livrarea?', { id: `rec-can-${i}` })).conversation_id;
      // Paced, so the messages take many workflow tasks and the history passes the suggestion.
      if (i % 5 === 4) await eventually(async () => (await texts(customer)).length === i + 1, 20_000, `${i + 1} replies`);
    }
    await idle(conversationId);
  },

  async 'webhook-deliveries'() {
    const consumer = await WebhookConsumer.start();
    try {
      const { businessPhone, widgetId } = await connectedWidget(stack.api);
      await stack.api.post(`/api/widgets/${widgetId}/webhooks`, { url: consumer.url, secret: 'whsec_recording_secret_1234' });
      const customer = uniquePhone();
      const first = await say(businessPhone, customer, 'cat costa livrarea?');
      await eventually(async () => consumer.requests.length >= 2, 20_000, 'two webhook deliveries');
      await idle(first.conversation_id);
    } finally {
      await consumer.stop();
    }
  },
};

function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(file, args, { maxBuffer: 64 << 20 }, (error, stdout) => (error ? reject(error) : resolve(stdout))),
  );
}
const cli = await resolveTemporalCli(stack.config.TEMPORAL_CLI_PATH);

try {
  await mkdir(outDir, { recursive: true });
  for (const [name, scenario] of Object.entries(scenarios)) {
    const startedAt = new Date();
    await scenario();
    let index = 0;
    for await (const execution of stack.client.workflow.list({ query: `StartTime >= '${startedAt.toISOString()}'` })) {
      if (execution.type === 'whatsappSessionWorkflow') continue;
      // The CLI writes the JSON form `historyFromJSON` reads (the SDK's own serialiser trips over
      // two copies of protobufjs in this install).
      const stdout = await run(cli, ['workflow', 'show', '--address', stack.temporalAddress, '--workflow-id', execution.workflowId, '--run-id', execution.runId, '--output', 'json']);
      const file = path.join(outDir, `${name}.${execution.type}.${index++}.json`);
      await writeFile(file, JSON.stringify(JSON.parse(stdout), null, 1));
    }
    console.log(`${name}: ${index} histories`);
  }
} finally {
  await stack.stop();
}
