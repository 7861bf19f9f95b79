import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { stateQuery } from '../../workflows/conversation/signals.js';
import { connectedWidget, outbox, uniquePhone, conversationSettled } from '../support/scenario.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';

let stack: TestStack;
before(async () => {
  stack = await startTestStack();
});
after(async () => {
  await stack?.stop();
});

const TAKEOVER_CONFIRMATION = 'Ai preluat conversația. Caty nu va mai răspunde.';
const RESUME_CONFIRMATION = 'Caty este din nou activă.';

async function say(businessPhone: string, from: string, text: string, extra: Record<string, unknown> = {}) {
  const r = await stack.api.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from, text, ...extra });
  assert.equal(r.status, 202, JSON.stringify(r.body));
  return r.body as { message_id: string; conversation_id: string };
}

async function mode(conversationId: string): Promise<string> {
  const row = await stack.db.selectFrom('conversations').select('mode').where('id', '=', conversationId).executeTakeFirstOrThrow();
  return row.mode;
}

async function workflowState(conversationId: string) {
  const row = await stack.db.selectFrom('conversations').select('workflow_id').where('id', '=', conversationId).executeTakeFirstOrThrow();
  return stack.client.workflow.getHandle(row.workflow_id).query(stateQuery);
}

const texts = async (phone: string) => (await outbox(stack.api, phone)).map((m) => m.text);

describe('admin takeover and resume', () => {
  test('(a) PREIA typed on the business phone in the chat: Caty falls silent, the confirmation goes to the business only', async () => {
    const { businessPhone } = await connectedWidget(stack.api);
    const customer = uniquePhone();
    const { conversation_id } = await say(businessPhone, customer, 'cat costa livrarea?');
    await eventually(async () => (await texts(customer)).length === 1);
    await say(businessPhone, customer, '  preiá ', { from_me: true });
    await eventually(async () => (await mode(conversation_id)) === 'human', 10_000, 'mode human');
    await say(businessPhone, customer, 'Salut, eu sunt Ana de la magazin, cu ce va ajut?', { from_me: true });
    await say(businessPhone, customer, 'cat dureaza livrarea?');
    await eventually(async () => (await texts(businessPhone)).includes(TAKEOVER_CONFIRMATION));
    await eventually(async () => (await stack.api.get(`/api/conversations/${conversation_id}/messages`)).body.length === 4);
    await conversationSettled(stack, conversation_id, { customerMessages: 2 });
    assert.deepEqual(await texts(customer), ['Livrarea costă 15 lei, gratuită peste 200 lei.'], 'no AI reply and no confirmation in the customer chat');
    const messages = (await stack.api.get(`/api/conversations/${conversation_id}/messages`)).body;
    assert.deepEqual(
      messages.map((m: { author: string }) => m.author),
      ['customer', 'ai', 'agent', 'customer'],
      'the command itself is not a message of the conversation; the agent message is',
    );

    await say(businessPhone, customer, '/CATY ON', { from_me: true });
    await eventually(async () => (await mode(conversation_id)) === 'ai');
    await eventually(async () => (await texts(businessPhone)).includes(RESUME_CONFIRMATION));
    await say(businessPhone, customer, 'care este programul?');
    await eventually(async () => (await texts(customer)).includes('Suntem deschiși luni-vineri, 9:00-18:00.'));
    assert.ok(!(await texts(customer)).some((t) => t === TAKEOVER_CONFIRMATION || t === RESUME_CONFIRMATION));
  });

  test('(b) an admin phone commands a named conversation, or the one it was last alerted about', async () => {
    const admin = uniquePhone();
    const { businessPhone } = await connectedWidget(stack.api, { widget: { admin_phones: [admin], notifications: { alert_phone: admin } } });
    const customer = uniquePhone();
    const { conversation_id } = await say(businessPhone, customer, 'cat costa livrarea?');
    await eventually(async () => (await texts(customer)).length === 1);

    await say(businessPhone, admin, `PREIA ${customer}`);
    await eventually(async () => (await mode(conversation_id)) === 'human');
    await eventually(async () => (await texts(admin)).includes(TAKEOVER_CONFIRMATION));
    await say(businessPhone, admin, `/caty on ${customer}`);
    await eventually(async () => (await mode(conversation_id)) === 'ai');
    await eventually(async () => (await texts(admin)).includes(RESUME_CONFIRMATION));

    // The customer asks for a person: the admin is alerted, and a bare "PREIA" means that conversation.
    await say(businessPhone, customer, 'Vreau sa vorbesc cu un om');
    await eventually(async () => (await texts(admin)).some((t) => t.includes(customer) && t.includes('PREIA')), 10_000, 'the handoff alert');
    await say(businessPhone, admin, 'Preia');
    await eventually(async () => (await mode(conversation_id)) === 'human');
    assert.ok(!(await texts(customer)).includes(TAKEOVER_CONFIRMATION));

    // A command about nobody gets a notice, not an AI answer.
    await say(businessPhone, admin, `PREIA ${uniquePhone()}`);
    await eventually(async () => (await texts(admin)).some((t) => t.startsWith('Nu am găsit conversația')));
  });

  test('(c) the API takes over and resumes', async () => {
    const { businessPhone } = await connectedWidget(stack.api);
    const customer = uniquePhone();
    const { conversation_id } = await say(businessPhone, customer, 'salut');
    assert.equal((await stack.api.post(`/api/conversations/${conversation_id}/takeover`)).status, 202);
    await eventually(async () => (await mode(conversation_id)) === 'human');
    assert.equal((await stack.api.post(`/api/conversations/${conversation_id}/resume`)).status, 202);
    await eventually(async () => (await mode(conversation_id)) === 'ai');
    const events = await stack.db.selectFrom('conversation_events').select(['kind', 'actor', 'reason']).where('conversation_id', '=', conversation_id).orderBy('at').execute();
    assert.deepEqual(
      events.map((e) => e.kind),
      ['mode.human', 'mode.ai'],
    );
    assert.match(events[0]!.actor!, /^account:/);
    assert.equal(events[0]!.reason, 'takeover via api');
  });

  test("the same words from a customer are an ordinary message", async () => {
    const admin = uniquePhone();
    const { businessPhone } = await connectedWidget(stack.api, { widget: { admin_phones: [admin] } });
    const customer = uniquePhone();
    const { conversation_id } = await say(businessPhone, customer, 'PREIA');
    await say(businessPhone, customer, `/caty on ${customer}`);
    await eventually(async () => (await texts(customer)).length === 2, 10_000, 'two AI answers');
    assert.equal(await mode(conversation_id), 'ai');
    const events = await stack.db.selectFrom('conversation_events').select('kind').where('conversation_id', '=', conversation_id).execute();
    assert.deepEqual(events, []);
  });

  test('a burst of customer messages around a takeover: nothing from Caty once the takeover is in', async () => {
    const { businessPhone } = await connectedWidget(stack.api);
    const customer = uniquePhone();
    const first = await say(businessPhone, customer, 'cat costa livrarea?', { id: 'burst-0' });
    const before = Array.from({ length: 4 }, (_, i) => say(businessPhone, customer, 'cat dureaza livrarea?', { id: `burst-a${i}` }));
    const takeover = stack.api.post(`/api/conversations/${first.conversation_id}/takeover`);
    await Promise.all([...before, takeover]);
    const afterTakeover = await Promise.all(Array.from({ length: 8 }, (_, i) => say(businessPhone, customer, 'care este programul?', { id: `burst-b${i}` })));
    assert.equal(afterTakeover.length, 8);
    await eventually(async () => (await stack.api.get(`/api/conversations/${first.conversation_id}/messages`)).body.filter((m: { author: string }) => m.author === 'customer').length === 13);
    await conversationSettled(stack, first.conversation_id, { customerMessages: 13 });
    const keys = (await stack.db.selectFrom('sandbox_outbox').select('idempotency_key').where('to_phone', '=', customer).execute()).map((r) => r.idempotency_key);
    assert.ok(keys.every((k) => !k.startsWith('reply:burst-b')), `no reply to a message sent after the takeover: ${keys.join(', ')}`);
    assert.ok(!(await texts(customer)).includes(TAKEOVER_CONFIRMATION));
    assert.equal((await workflowState(first.conversation_id)).mode, 'human');
  });
});

// The timers at their real lengths (follow-up, auto-resume, business hours) are in
// test/workflow/timers.test.ts, on the time-skipping server. This one needs a worker that stops.
describe('auto-resume', () => {
  test('a timer that comes due while the worker is down fires once it is back', async () => {
    const { businessPhone } = await connectedWidget(stack.api, { widget: { handoff: { auto_resume_after: '5s' } } });
    const resumes = await say(businessPhone, uniquePhone(), 'salut');
    await stack.api.post(`/api/conversations/${resumes.conversation_id}/takeover`);
    await eventually(async () => (await mode(resumes.conversation_id)) === 'human');
    const deadline = await eventually(async () => (await workflowState(resumes.conversation_id)).nextDeadline ?? undefined);
    await stack.stopWorker();
    // Past the deadline, with nobody to run the timer: the takeover still holds.
    await eventually(async () => Date.now() > Date.parse(deadline) + 500, 10_000, 'the deadline passing');
    assert.equal(await mode(resumes.conversation_id), 'human', 'nothing runs while the worker is down');
    await stack.startWorker();
    await eventually(async () => (await mode(resumes.conversation_id)) === 'ai', 20_000, 'auto-resume after the restart');
  });

  test("a takeover that reaches a conversation before its first step counts the widget's auto-resume, not the default", async () => {
    const { businessPhone } = await connectedWidget(stack.api, { widget: { handoff: { auto_resume_after: '5s' } } });
    await stack.stopWorker();
    // The first message and the takeover both wait for the worker: its first task sees them together.
    const customer = uniquePhone();
    const early = await say(businessPhone, customer, 'salut');
    const workflowId = await eventually(async () => (await stack.db.selectFrom('conversations').select('workflow_id').where('id', '=', early.conversation_id).executeTakeFirst())?.workflow_id);
    await eventually(async () => (await stack.client.workflow.getHandle(workflowId).describe().then(() => true, () => false)), 10_000, 'the conversation started');
    const takeover = await stack.api.post(`/api/conversations/${early.conversation_id}/takeover`);
    assert.ok(takeover.status < 300, JSON.stringify(takeover.body));
    await stack.startWorker();
    await eventually(async () => (await mode(early.conversation_id)) === 'human', 20_000, 'the takeover recorded');
    const { nextDeadline } = await workflowState(early.conversation_id);
    assert.ok(nextDeadline && Date.parse(nextDeadline) <= Date.now() + 5_000, `auto-resume at ${nextDeadline}, 5 s after the takeover (the default would be 30 minutes)`);
    await eventually(async () => (await mode(early.conversation_id)) === 'ai', 20_000, 'auto-resume 5 s after the takeover');
    assert.deepEqual(await texts(customer), [], 'no reply to the message the takeover came with');
  });
});
