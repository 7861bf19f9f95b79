import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildPrompt, parseAnswer } from '../../activities/ai/prompt.js';
import { fallbackReply, presentAnswer } from '../../activities/conversation/compose-reply.js';

test('structured answers are read, fenced or not; anything else is unreadable', () => {
  assert.deepEqual(parseAnswer('{"answered":true,"entry":2,"answer":" Yes. "}', 'json_schema'), { answered: true, entry: 2, text: 'Yes.' });
  assert.deepEqual(parseAnswer('```json\n{"answered":false,"entry":0,"answer":""}\n```', 'json_schema'), { answered: false, entry: 0, text: '' });
  assert.equal(parseAnswer('{"answered":true,"entry":1,"answer":""}', 'json_schema'), null, 'an answer without text');
  assert.equal(parseAnswer('Sure, shipping is 15 lei', 'json_schema'), null);
});

test('plain answers: the sentinel declines, the bracketed number names the entry', () => {
  assert.deepEqual(parseAnswer('NO_ANSWER', 'plain'), { answered: false, entry: 0, text: '' });
  assert.deepEqual(parseAnswer('[3] Yes, 30 days.', 'plain'), { answered: true, entry: 3, text: 'Yes, 30 days.' });
  assert.deepEqual(parseAnswer('Hello! How can I help?', 'plain'), { answered: true, entry: 0, text: 'Hello! How can I help?' });
  assert.equal(parseAnswer('   ', 'plain'), null);
});

test('the prompt keeps the last ten turns, maps authors to roles and ends with the message', () => {
  const history = Array.from({ length: 14 }, (_, i) => ({ author: i % 2 ? ('ai' as const) : ('customer' as const), text: `turn ${i}` }));
  const messages = buildPrompt({ assistantName: 'Caty', businessName: 'Shop', personality: null, language: 'pt', entries: [], history, message: 'now', format: 'plain' });
  assert.equal(messages.length, 12);
  assert.deepEqual(messages[1], { role: 'user', content: 'turn 4' });
  assert.deepEqual(messages[2], { role: 'assistant', content: 'turn 5' });
  assert.deepEqual(messages.at(-1), { role: 'user', content: 'now' });
  assert.match(messages[0]!.content, /Portuguese \(language code "pt"\)/);
  assert.match(messages[0]!.content, /\(no entry matches this message\)/);
});

test('an answer in another language gets the lead-in in the customer language; the reply says which language it is in', () => {
  const answer = { text: 'Livrarea costă 15 lei.', topic: 'Cât costă livrarea?', confidence: 1, language: 'ro' };
  assert.deepEqual(presentAnswer(answer, 'fr'), { text: "Je n'ai cette réponse qu'en roumain :\nLivrarea costă 15 lei.", topic: 'Cât costă livrarea?', fromKnowledgeBase: true, language: 'ro' });
  assert.equal(presentAnswer(answer, 'ro').text, 'Livrarea costă 15 lei.');
  assert.equal(fallbackReply('en', 'ro').language, 'en');
  assert.equal(fallbackReply('xx', 'ro').language, 'ro', 'a language the catalogue lacks gets the default one');
});
