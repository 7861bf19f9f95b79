import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { formatOpening, nextOpening, parseBusinessHours, WEEKDAYS } from '../../workflows/hours/business-hours.js';
import { connectedWidget, outbox, uniquePhone, conversationSettled } from '../support/scenario.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';

let stack: TestStack;
before(async () => {
  stack = await startTestStack();
});
after(async () => {
  await stack?.stop();
});

// Open only on the weekday after tomorrow (UTC): closed whenever the test runs.
const today = (new Date().getUTCDay() + 6) % 7;
const openDay = WEEKDAYS[(today + 2) % 7]!;
const HOURS = { timezone: 'UTC', days: { [openDay]: [['09:00', '17:00']] }, away_message: 'Revenim luni dimineață. Lăsați-ne un mesaj!' };
const opens = (language: string) => formatOpening(nextOpening(parseBusinessHours(HOURS)!, Date.now())!, HOURS, language);

async function say(businessPhone: string, from: string, text: string) {
  const r = await stack.api.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from, text });
  assert.equal(r.status, 202, JSON.stringify(r.body));
  return r.body as { conversation_id: string };
}
const texts = async (phone: string) => (await outbox(stack.api, phone)).map((m) => m.text);

test('outside hours: the away message once per closed period, then the answers', async () => {
  const { businessPhone } = await connectedWidget(stack.api, { widget: { business_hours: HOURS } });
  const romanian = uniquePhone();
  await say(businessPhone, romanian, 'cat costa livrarea?');
  await eventually(async () => (await texts(romanian)).length === 2);
  await say(businessPhone, romanian, 'cat dureaza livrarea?');
  await eventually(async () => (await texts(romanian)).length === 3);
  assert.deepEqual(await texts(romanian), [
    'Revenim luni dimineață. Lăsați-ne un mesaj!',
    'Livrarea costă 15 lei, gratuită peste 200 lei.',
    'Livrarea durează 1-3 zile lucrătoare.',
  ]);

  // In another language than the widget's, the catalogue's away message with the next opening.
  const english = uniquePhone();
  await say(businessPhone, english, 'How much is shipping?');
  await eventually(async () => (await texts(english)).length === 2);
  assert.deepEqual(await texts(english), [
    `Hi! We're closed right now. We'll reply as soon as we open again (next opening: ${opens('en')}).`,
    'Shipping costs 15 lei, free over 200 lei.',
  ]);
});

test('never while a person has the conversation', async () => {
  const { businessPhone } = await connectedWidget(stack.api, { widget: { business_hours: HOURS } });
  const customer = uniquePhone();
  // The business phone takes the chat over before the customer writes (a closed period, too).
  const takeover = await stack.api.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from: customer, text: 'PREIA', from_me: true });
  assert.equal(takeover.status, 202);
  await eventually(async () => (await texts(businessPhone)).length === 1, 10_000, 'the takeover confirmation');
  const { conversation_id } = await say(businessPhone, customer, 'cat costa livrarea?');
  await conversationSettled(stack, conversation_id, { customerMessages: 1 });
  assert.deepEqual(await texts(customer), [], 'no away message and no answer under a takeover');
});

test('asking for a person outside hours is acknowledged with the next opening', async () => {
  const { businessPhone } = await connectedWidget(stack.api, { widget: { business_hours: HOURS } });
  const customer = uniquePhone();
  await say(businessPhone, customer, 'Vreau sa vorbesc cu un om');
  await eventually(async () => (await texts(customer)).length === 1);
  assert.deepEqual(await texts(customer), [
    `Desigur, transfer conversația către un coleg. Acum suntem în afara programului, așa că veți fi contactat după ce redeschidem (următorul program: ${opens('ro')}).`,
  ]);
});
