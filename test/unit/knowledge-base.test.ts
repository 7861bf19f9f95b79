import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KnowledgeBaseProvider } from '../../activities/ai/kb/kb-provider.js';
import { KnowledgeIndex } from '../../activities/ai/kb/retrieval.js';
import { tokenize } from '../../activities/ai/kb/tokens.js';
import { typoDistance } from '../../activities/ai/kb/typos.js';
import type { KnowledgeEntry } from '../../workflows/widgets/knowledge.js';

const knowledgeBase: KnowledgeEntry[] = [
  {
    question: 'Cât costă livrarea?',
    answer: 'Livrarea costă 15 lei.',
    translations: { en: { question: 'How much does shipping cost?', answer: 'Shipping costs 15 lei.' } },
  },
  { question: 'Cât durează livrarea?', answer: 'Livrarea durează 1-3 zile.' },
  {
    question: 'Pot returna un produs?',
    answer: 'Da, aveți 30 de zile pentru retur.',
    alternatives: ['Vreau banii înapoi'],
    translations: { en: { question: 'Can I return a product?', answer: 'Yes, you have 30 days to return it.' }, fr: { answer: 'Oui, vous avez 30 jours pour le retour.' } },
  },
  { question: 'Care este programul magazinului?', answer: 'Luni-vineri, 9-18.' },
  { question: 'Vindeți vouchere cadou?', answer: 'Da, de 50, 100 și 200 de lei.', alternatives: ['Aveți carduri cadou?'] },
];
const widget = { id: 'wgt_1', name: 'Shop', assistantName: 'Caty', personality: null, defaultLanguage: 'ro', version: 'v1', knowledgeBase };
const provider = new KnowledgeBaseProvider();
const ask = (message: string, language = 'ro') => provider.answer({ widget, message, language, history: async () => [] });

test('terms are folded, function words dropped, concepts shared across languages, other words stemmed', () => {
  assert.deepEqual(tokenize('Cât costă LIVRAREA?'), ['~price', '~delivery']);
  assert.deepEqual(tokenize('How much is delivery?'), ['~price', '~delivery']);
  assert.deepEqual(tokenize('Combien coûte la livraison ?'), ['~price', '~price', '~delivery']);
  assert.deepEqual(tokenize('Wie hoch sind die Versandkosten?'), ['hoch', '~delivery', '~price']);
  assert.deepEqual(tokenize('și ce, la, de'), []);
  assert.deepEqual(tokenize('pisicile negre'), ['pisic', 'negre'], 'words outside the lexicon keep their stems');
});

test('typos: one edit for a word of five letters or more, a swap counts as one', () => {
  assert.equal(typoDistance('shipping', 'shiping'), 1);
  assert.equal(typoDistance('retur', 'rtuer'), 2);
  assert.equal(typoDistance('deliver', 'delivry', true), 1);
  assert.equal(typoDistance('livrarea', 'livarea'), 1);
});

test('ranks the right entry with or without diacritics, by synonyms and through alternatives', async () => {
  assert.equal((await ask('cat costa livrarea?'))?.text, 'Livrarea costă 15 lei.');
  assert.equal((await ask('Cât durează livrarea în Cluj?'))?.text, 'Livrarea durează 1-3 zile.');
  assert.equal((await ask('vreau sa returnez produsul'))?.text, 'Da, aveți 30 de zile pentru retur.');
  assert.equal((await ask('ce program aveti?'))?.text, 'Luni-vineri, 9-18.');
  assert.equal((await ask('vreau banii inapoi'))?.topic, 'Pot returna un produs?');
  assert.equal((await ask('cat e transportul?'))?.topic, 'Cât costă livrarea?');
  assert.equal((await ask('cat costa livarea'))?.topic, 'Cât costă livrarea?', 'a typo in a word of the base');
});

test('answers in the customer language when the entry has it, else in the default language, and says which', async () => {
  assert.deepEqual(await ask('how much is delivery', 'en'), { text: 'Shipping costs 15 lei.', language: 'en', topic: 'Cât costă livrarea?', confidence: (await ask('how much is delivery', 'en'))!.confidence, source: { kind: 'entry', question: 'Cât costă livrarea?' } });
  const returns = await ask('Hello, can I return a product I bought last week?', 'en');
  assert.equal(returns?.text, 'Yes, you have 30 days to return it.');
  assert.equal(returns?.language, 'en');
  // French: a translated answer without a translated question still answers in French.
  const french = await ask('Je voudrais retourner un article', 'fr');
  assert.equal(french?.text, 'Oui, vous avez 30 jours pour le retour.');
  // German has no translation: the Romanian answer, and the reply says it is Romanian.
  const german = await ask('Wie lange dauert die Lieferung?', 'de');
  assert.equal(german?.text, 'Livrarea durează 1-3 zile.');
  assert.equal(german?.language, 'ro');
  assert.equal(german?.topic, 'Cât durează livrarea?');
});

test('declines what the base does not answer rather than a random entry', async () => {
  assert.equal(await ask('aveti pisici de vanzare?'), null);
  assert.equal(await ask('what is the weather like tomorrow?', 'en'), null);
  assert.equal(await ask('are you hiring?', 'en'), null);
  assert.equal(await ask('ok'), null);
  assert.equal(await ask('!!!'), null);
});

test('whether a question is covered does not depend on how many entries the base has (1, 2 and 500)', () => {
  const delivery = { question: 'Cât costă livrarea?', answer: 'Livrarea costă 15 lei.' };
  const hours = { question: 'Care este programul magazinului?', answer: 'Luni-vineri, 9-18.' };
  // Every other entry also speaks of delivery: the term every entry holds must still count.
  const towns = ['Cluj', 'Iași', 'Timișoara', 'Brașov', 'Constanța', 'Oradea', 'Sibiu', 'Arad', 'Bacău', 'Suceava'];
  const filler = Array.from({ length: 498 }, (_, i) => ({
    question: `Cât costă livrarea la ${towns[i % towns.length]} pentru comanda ${i + 1}?`,
    answer: `Livrarea la ${towns[i % towns.length]} costă ${10 + (i % 7)} lei.`,
  }));
  const bases = { 1: [delivery], 2: [delivery, hours], 500: [delivery, hours, ...filler] };
  const questions: [string, string | null][] = [
    ['Cat costa livrarea?', delivery.question],
    ['cat costa livarea', delivery.question],
    ['Cât e transportul?', delivery.question],
    ['aveti pisici de vanzare?', null],
    ['cum va fi vremea maine?', null],
  ];
  for (const [size, entries] of Object.entries(bases)) {
    const index = new KnowledgeIndex(entries, 'ro');
    assert.equal(index.entries.length, Number(size));
    for (const [question, expected] of questions) {
      assert.equal(index.best(question, 'ro')?.entry.question ?? null, expected, `${question} in a base of ${size}`);
    }
  }
});
