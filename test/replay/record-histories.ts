/**
 * Records conversation histories from the code as it is now, for the replay tests
 * (`replay.test.ts`, `reading-guard.test.ts`). Every release records its set before it ships, and
 * commits the files it writes (see the README's Contributing section):
 *
 *   npx tsx test/replay/record-histories.ts <release>
 *
 * Each scenario walks one path a conversation can take, against a real stack: the sandbox, a
 * WhatsApp number through the fake Baileys socket and the gateway's own task queue, the website,
 * handoff with its timers, business hours, the model path (a loopback OpenAI-compatible server
 * with transcription and vision), media, continue-as-new and a send that fails. Each workflow's
 * history is written once it is idle, so it ends on a completed workflow task.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolveTemporalCli } from '../../worker/infra/temporal-dev-server.js';
import { stateQuery } from '../../workflows/conversation/signals.js';
import { WEEKDAYS } from '../../workflows/hours/business-hours.js';
import { connectedWidget, demoKnowledge, outbox, uniquePhone } from '../support/scenario.js';
import { whatsappConversationWorkflowId } from '../../workflows/conversation/ids.js';
import { startFakeOpenAi } from '../support/openai-server.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';
import { WebhookConsumer } from '../support/webhook-consumer.js';
import { fastGatewayEnv } from '../whatsapp/support/env.js';
import { FakeWhatsApp, textMessage } from '../whatsapp/support/fake-whatsapp.js';

const label = process.argv[2] ?? new Date().toISOString().slice(0, 10);
const outDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'histories', label);
// A run that continues as new within a short scenario.
const temporalDynamicConfig = { 'limit.historyCount.suggestContinueAsNew': 120 };

const whatsapp = new FakeWhatsApp();
const stack: TestStack = await startTestStack({ temporalDynamicConfig, gateway: { socketFactory: whatsapp.factory, identity: 'recorder' }, env: fastGatewayEnv });
// The model path: answers, transcripts and photos through a loopback OpenAI-compatible server.
const model = await startFakeOpenAi({ transcriptionFallback: { text: 'Cat costa livrarea?' } });
const modelStack: TestStack = await startTestStack({
  temporalDynamicConfig,
  env: { AI_PROVIDER: 'openai', OPENAI_BASE_URL: model.baseUrl, OPENAI_API_KEY: 'sk-recorder', OPENAI_VISION_MODEL: 'vision-recorder', TRANSCRIPTION_PROVIDER: 'openai' },
});

// Idle close: conversations that complete after a short silence and start again from their state.
const idleStack: TestStack = await startTestStack({ temporalDynamicConfig, env: { CATY_CONVERSATION_IDLE_CLOSE: '2s' } });

async function say(businessPhone: string, from: string, text: string, extra: Record<string, unknown> = {}, on: TestStack = stack) {
  const r = await on.api.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from, text, ...extra });
  if (r.status !== 202) throw new Error(`sandbox message: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as { message_id: string; conversation_id: string };
}

async function idle(conversationId: string, on: TestStack = stack): Promise<void> {
  const row = await on.db.selectFrom('conversations').select('workflow_id').where('id', '=', conversationId).executeTakeFirstOrThrow();
  await eventually(async () => {
    const state = await on.client.workflow.getHandle(row.workflow_id).query(stateQuery);
    return state.pending === 0;
  }, 30_000, 'an idle conversation');
  // The query runs between tasks; a moment more lets the last task's completion land.
  await new Promise((r) => setTimeout(r, 500));
}

const texts = async (phone: string, on: TestStack = stack) => (await outbox(on.api, phone)).map((m) => m.text);
const jid = (phone: string) => `${phone.slice(1)}@s.whatsapp.net`;
const jpeg = (size: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(size - 4)]).toString('base64');
const ogg = (size: number) => Buffer.concat([Buffer.from('OggS'), randomBytes(size - 4)]).toString('base64');

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

  async 'person-reply-takes-over'() {
    const { businessPhone } = await connectedWidget(stack.api);
    const customer = uniquePhone();
    const first = await say(businessPhone, customer, 'cat costa livrarea?');
    await eventually(async () => (await texts(customer)).length === 1);
    // The business answers on its own phone: Caty falls silent, as after PREIA.
    await say(businessPhone, customer, 'Buna ziua, sunt Maria de la magazin. Va ajut eu cu comanda.', { from_me: true });
    await say(businessPhone, customer, 'cat dureaza livrarea?');
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

  async 'whatsapp-baileys-receipts-command-and-agent'() {
    const business = uniquePhone();
    const widget = await stack.api.post('/api/widgets', { name: 'Magazin WhatsApp', knowledge_base: demoKnowledge });
    const channel = await stack.api.post('/api/whatsapp/channels', { provider: 'baileys' });
    const socket = await eventually(async () => whatsapp.latest(channel.body.id), 10_000, 'a socket');
    socket.creds({ registered: true, me: { id: `${business.slice(1)}:9@s.whatsapp.net` } });
    socket.open(business.slice(1));
    await eventually(async () => (await stack.api.get(`/api/whatsapp/channels/${channel.body.id}/status`)).body.status === 'connected', 10_000, 'connected');
    const linked = await stack.api.post('/api/whatsapp/links', { widget_id: widget.body.id, whatsapp_channel: 'web', phone: business });
    if (linked.status !== 201) throw new Error(JSON.stringify(linked.body));
    const customer = uniquePhone();
    const sentTo = () => socket.sent.filter((m) => m.jid === jid(customer));
    // A reply through the gateway's queue, with a read receipt and typing first.
    socket.upsert('notify', [textMessage(jid(customer), 'Buna ziua, cat costa livrarea?')]);
    await eventually(async () => sentTo().length === 1, 20_000, 'the reply on the socket');
    // The business phone takes over in the chat, writes, and hands back.
    socket.upsert('notify', [textMessage(jid(customer), 'PREIA', { fromMe: true })]);
    socket.upsert('notify', [textMessage(jid(customer), 'Buna, sunt Ana de la magazin', { fromMe: true })]);
    socket.upsert('notify', [textMessage(jid(customer), 'cat dureaza livrarea?')]);
    socket.upsert('notify', [textMessage(jid(customer), '/caty on', { fromMe: true })]);
    socket.upsert('notify', [textMessage(jid(customer), 'care este programul?')]);
    await eventually(async () => sentTo().length === 2, 20_000, 'the answer after the resume');
    const row = await stack.db.selectFrom('conversations').select('id').where('customer', '=', customer).executeTakeFirstOrThrow();
    await idle(row.id);
  },

  async 'website-visitor-lead-and-handoff'() {
    const admin = uniquePhone();
    const origin = 'https://shop.example';
    const { businessPhone, widgetId } = await connectedWidget(stack.api, { widget: { allowed_origins: [origin], admin_phones: [admin], notifications: { lead_alerts: true, alert_channel: 'whatsapp', alert_phone: admin } } });
    const session = await stack.api.request('POST', `/public/widgets/${widgetId}/sessions`, {}, { origin, authorization: '' });
    if (session.status !== 201) throw new Error(JSON.stringify(session.body));
    const visitor = { origin, authorization: `Bearer ${session.body.token}` };
    const post = async (text: string) => {
      const r = await stack.api.request('POST', `/public/widgets/${widgetId}/messages`, { text }, visitor);
      if (r.status !== 202) throw new Error(JSON.stringify(r.body));
      return r.body as { conversation_id: string };
    };
    const first = await post('Cat costa livrarea?');
    await post('Ma numesc Ion Popescu, ion@example.com, vreau sa comand');
    await post('Vreau sa vorbesc cu un om');
    await eventually(async () => (await texts(admin)).length >= 2, 20_000, 'the lead and handoff alerts');
    await say(businessPhone, admin, 'PREIA');
    await idle(first.conversation_id);
  },

  async 'business-hours-away-message'() {
    // Open only on the weekday after tomorrow (UTC): closed now.
    const openDay = WEEKDAYS[(((new Date().getUTCDay() + 6) % 7) + 2) % 7]!;
    const { businessPhone } = await connectedWidget(stack.api, { widget: { business_hours: { timezone: 'UTC', days: { [openDay]: [['09:00', '17:00']] } } } });
    const customer = uniquePhone();
    const first = await say(businessPhone, customer, 'cat costa livrarea?');
    await say(businessPhone, customer, 'How much is shipping?');
    await say(businessPhone, customer, 'Vreau sa vorbesc cu un om');
    await eventually(async () => (await texts(customer)).length === 4, 20_000, 'the away message, two answers, the acknowledgement');
    await idle(first.conversation_id);
  },

  async 'media-acknowledged-without-a-model'() {
    const { businessPhone } = await connectedWidget(stack.api);
    const customer = uniquePhone();
    const first = await say(businessPhone, customer, '', { media: { kind: 'image', mime_type: 'image/jpeg', data: jpeg(2000) } });
    await say(businessPhone, customer, '', { media: { kind: 'audio', mime_type: 'audio/ogg; codecs=opus', data: ogg(2000), voice: true } });
    await say(businessPhone, customer, '', { location: { latitude: 44.4268, longitude: 26.1025, name: 'Piata Unirii' } });
    await say(businessPhone, customer, '', { contact: { name: 'Maria Ionescu', phones: ['+40721000111'] } });
    await say(businessPhone, customer, 'cat costa livrarea?', { media: { kind: 'document', mime_type: 'application/pdf', data: Buffer.from('%PDF-1.4 recorded').toString('base64'), filename: 'comanda.pdf' } });
    await eventually(async () => (await texts(customer)).length === 5, 20_000, 'an answer to each');
    await idle(first.conversation_id);
  },

  async 'model-answers-voice-note-and-photo'() {
    const { businessPhone } = await connectedWidget(modelStack.api);
    const customer = uniquePhone();
    const first = await say(businessPhone, customer, 'Cat costa livrarea?', {}, modelStack);
    await say(businessPhone, customer, '', { media: { kind: 'audio', mime_type: 'audio/ogg; codecs=opus', data: ogg(3000), voice: true } }, modelStack);
    await say(businessPhone, customer, 'Il aveti si in albastru?', { media: { kind: 'image', mime_type: 'image/jpeg', data: jpeg(3000) } }, modelStack);
    await eventually(async () => (await texts(customer, modelStack)).length === 3, 30_000, 'three answers from the model');
    await idle(first.conversation_id, modelStack);
  },

  async 'send-that-fails'() {
    const { businessPhone, channelId } = await connectedWidget(stack.api);
    const customer = uniquePhone();
    const first = await say(businessPhone, customer, 'cat costa livrarea?');
    await eventually(async () => (await texts(customer)).length === 1);
    // The number is removed: what is still owed on it is recorded failed, and the conversation goes on.
    await stack.api.request('DELETE', `/api/whatsapp/channels/${channelId}`);
    const sent = await stack.api.post(`/api/conversations/${first.conversation_id}/messages`, { text: 'Revenim cu detalii' });
    if (sent.status !== 202) throw new Error(JSON.stringify(sent.body));
    await eventually(async () => (await stack.db.selectFrom('conversation_events').select('id').where('conversation_id', '=', first.conversation_id).where('kind', '=', 'message.failed').execute()).length > 0, 30_000, 'the failed send recorded');
    await idle(first.conversation_id);
  },

  async 'takeover-before-first-step'() {
    const { businessPhone } = await connectedWidget(stack.api, { widget: { handoff: { auto_resume_after: 2 } } });
    const customer = uniquePhone();
    // The first message and the takeover reach the run's first task together.
    await stack.stopWorker();
    const first = await say(businessPhone, customer, 'salut');
    await eventually(async () => (await stack.db.selectFrom('inbox').select('delivered_at').where('customer_phone', '=', customer).executeTakeFirst())?.delivered_at, 10_000, 'the message handed to Temporal');
    await stack.api.post(`/api/conversations/${first.conversation_id}/takeover`);
    await stack.startWorker();
    await eventually(async () => (await stack.db.selectFrom('conversations').select('mode').where('id', '=', first.conversation_id).executeTakeFirstOrThrow()).mode === 'ai', 30_000, 'auto-resume');
    await idle(first.conversation_id);
  },

  async 'idle-reopened-with-takeover'() {
    const on = idleStack;
    const { businessPhone, widgetId } = await connectedWidget(on.api);
    const customer = uniquePhone();
    const first = await say(businessPhone, customer, 'cat costa livrarea?', {}, on);
    const handle = on.client.workflow.getHandle(whatsappConversationWorkflowId(widgetId, customer));
    await handle.result();
    const closedRun = (await handle.describe()).runId;
    // The reopening message and a takeover reach the new run's first task together.
    await on.stopWorker();
    await say(businessPhone, customer, 'Mai am o intrebare', {}, on);
    await eventually(async () => (await handle.describe()).runId !== closedRun, 10_000, 'the new run');
    await on.api.post(`/api/conversations/${first.conversation_id}/takeover`);
    await on.startWorker();
    await eventually(async () => (await handle.query(stateQuery)).customerMessages === 2, 30_000, 'the message taken');
    await idle(first.conversation_id, on);
  },

  async 'idle-close-and-resume'() {
    const on = idleStack;
    // No follow-up timer while the customer waits for a person, so the silence closes the run.
    const { businessPhone, widgetId } = await connectedWidget(on.api, { widget: { handoff: { response_timeout: null } } });
    const customer = uniquePhone();
    const first = await say(businessPhone, customer, 'Ma numesc Ion Popescu, ion@example.com', {}, on);
    await say(businessPhone, customer, 'Vreau sa vorbesc cu un om', {}, on);
    const handle = on.client.workflow.getHandle(whatsappConversationWorkflowId(widgetId, customer));
    await handle.result();
    await say(businessPhone, customer, 'Mai sunt aici', {}, on);
    await eventually(async () => (await handle.query(stateQuery)).customerMessages === 3, 30_000, 'the resumed run took the message');
    await idle(first.conversation_id, on);
    await handle.result();
  },
};

/** Which stack a scenario runs on (the model path and idle close have their own, configured for them). */
const stackOf = (name: string): TestStack => (name.startsWith('model-') ? modelStack : name.startsWith('idle-') ? idleStack : stack);

function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(file, args, { maxBuffer: 64 << 20 }, (error, stdout) => (error ? reject(error) : resolve(stdout))),
  );
}
const cli = await resolveTemporalCli(stack.config.TEMPORAL_CLI_PATH);
const only = process.argv.slice(3);

try {
  await mkdir(outDir, { recursive: true });
  for (const [name, scenario] of Object.entries(scenarios)) {
    if (only.length && !only.includes(name)) continue;
    const on = stackOf(name);
    const startedAt = new Date();
    await scenario();
    let index = 0;
    for await (const execution of on.client.workflow.list({ query: `StartTime >= '${startedAt.toISOString()}'` })) {
      // Sessions, schedules' runs and knowledge work are not conversations' histories.
      if (!['conversationWorkflow', 'conversationWorkflowV2', 'webhookDeliveryWorkflow'].includes(execution.type)) continue;
      // The CLI writes the JSON form `historyFromJSON` reads (the SDK's own serialiser trips over
      // two copies of protobufjs in this install).
      const stdout = await run(cli, ['workflow', 'show', '--address', on.temporalAddress, '--workflow-id', execution.workflowId, '--run-id', execution.runId, '--output', 'json']);
      const file = path.join(outDir, `${name}.${execution.type}.${index++}.json`);
      await writeFile(file, JSON.stringify(JSON.parse(stdout), null, 1));
    }
    console.log(`${name}: ${index} histories`);
  }
} finally {
  await modelStack.stop();
  await idleStack.stop();
  await stack.stop();
  await model.close();
}
