import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { systemMessage } from '../../workflows/i18n/catalogue.js';
import { connectedWidget, customerSays, demoKnowledge, outbox, uniquePhone } from '../support/scenario.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';

// Conversations in languages beyond the first twenty, end to end through the sandbox.
let stack: TestStack;
before(async () => {
  stack = await startTestStack();
});
after(async () => {
  await stack?.stop();
});

const say = (businessPhone: string, from: string, text: string) => customerSays(stack.api, businessPhone, from, text);

async function nthReply(customer: string, n: number): Promise<string> {
  const sent = await eventually(async () => {
    const messages = await outbox(stack.api, customer);
    return messages.length >= n && messages;
  }, 15_000, `reply ${n}`);
  return sent[n - 1]!.text;
}

test('a Swedish customer: the fallback in Swedish, then the entry translated into Swedish, and the conversation is in "sv"', async () => {
  const knowledge = [
    { ...demoKnowledge[0]!, translations: { sv: { question: 'Vad kostar frakten?', answer: 'Frakten kostar 15 lei, gratis över 200 lei.' } } },
    ...demoKnowledge.slice(1),
  ];
  const { widgetId, businessPhone } = await connectedWidget(stack.api, { widget: { knowledge_base: knowledge } });
  const customer = uniquePhone();
  const { conversation_id } = await say(businessPhone, customer, 'hej! har ni presentkort?');
  assert.equal(await nthReply(customer, 1), systemMessage('fallback', 'sv'));

  await say(businessPhone, customer, 'vad kostar frakten till göteborg?');
  assert.equal(await nthReply(customer, 2), 'Frakten kostar 15 lei, gratis över 200 lei.');

  const listed = await stack.api.get(`/api/widgets/${widgetId}/whatsapp/conversations`);
  const conversation = listed.body.conversations.find((c: { id: string }) => c.id === conversation_id);
  assert.equal(conversation.language, 'sv');
  const messages = (await stack.api.get(`/api/conversations/${conversation_id}/messages`)).body as { author: string; language: string | null }[];
  assert.deepEqual(messages.filter((m) => m.author === 'ai').map((m) => m.language), ['sv', 'sv']);
});

test('a Finnish customer without a translation: one Finnish line, then the answer in the widget language, stored as Romanian', async () => {
  // The business wrote a Finnish phrasing of the question, but no Finnish answer.
  const knowledge = [{ ...demoKnowledge[0]!, alternatives: ['paljonko toimitus maksaa?'] }, ...demoKnowledge.slice(1)];
  const { businessPhone } = await connectedWidget(stack.api, { widget: { knowledge_base: knowledge } });
  const customer = uniquePhone();
  const { conversation_id } = await say(businessPhone, customer, 'moi, paljonko toimitus maksaa?');
  const reply = await nthReply(customer, 1);
  const leadIn = systemMessage('untranslatedLeadIn', 'fi', { language: new Intl.DisplayNames(['fi'], { type: 'language' }).of('ro')! });
  assert.ok(reply.startsWith(leadIn), reply);
  assert.ok(reply.includes('Livrarea costă 15 lei, gratuită peste 200 lei.'), reply);
  const messages = (await stack.api.get(`/api/conversations/${conversation_id}/messages`)).body as { author: string; language: string | null }[];
  assert.equal(messages.find((m) => m.author === 'ai')!.language, 'ro', 'the stored reply records the language it is really in');
});

test('a message as short as "ok" keeps the widget default, not a stranger language', async () => {
  const { businessPhone } = await connectedWidget(stack.api);
  const customer = uniquePhone();
  await say(businessPhone, customer, 'ok');
  assert.equal(await nthReply(customer, 1), systemMessage('fallback', 'ro'));
});
