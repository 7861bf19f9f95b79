import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KnowledgeBaseProvider } from '../../activities/ai/kb/kb-provider.js';
import { tokenize } from '../../activities/ai/kb/tokens.js';

const widget = {
  id: 'wgt_1',
  name: 'Shop',
  assistantName: 'Caty',
  personality: null,
  defaultLanguage: 'ro',
  version: 'v1',
  knowledgeBase: [
    { question: 'Cât costă livrarea?', answer: 'Livrarea costă 15 lei.' },
    { question: 'Cât durează livrarea?', answer: 'Livrarea durează 1-3 zile.' },
    { question: 'Pot returna un produs?', answer: 'Da, aveți 30 de zile pentru retur.' },
    { question: 'Care este programul magazinului?', answer: 'Luni-vineri, 9-18.' },
  ],
};
const ask = (message: string) => new KnowledgeBaseProvider().answer({ widget, message, language: 'ro', history: async () => [] });

test('tokens are folded, stop words dropped and words stemmed', () => {
  assert.deepEqual(tokenize('Cât costă LIVRAREA?'), ['costa', 'livra']);
  assert.deepEqual(tokenize('și ce, la, de'), []);
});

test('ranks by BM25 over folded tokens: the right entry wins, with or without diacritics', async () => {
  assert.equal((await ask('cat costa livrarea?'))?.text, 'Livrarea costă 15 lei.');
  assert.equal((await ask('Cât durează livrarea în Cluj?'))?.text, 'Livrarea durează 1-3 zile.');
  assert.equal((await ask('vreau sa returnez produsul'))?.text, 'Da, aveți 30 de zile pentru retur.');
  assert.equal((await ask('ce program aveti?'))?.text, 'Luni-vineri, 9-18.');
});

test('no answer rather than a random entry when nothing matches', async () => {
  assert.equal(await ask('aveti pisici de vanzare?'), null);
  assert.equal(await ask('ok'), null);
  assert.equal(await ask('!!!'), null);
});
