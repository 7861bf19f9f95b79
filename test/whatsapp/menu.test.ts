import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { matchMenuAnswer, matchPollVote, renderMenu } from '../../activities/whatsapp/menu.js';

const buttons = {
  buttons: [
    { id: 'buy', title: 'Cumpara' },
    { id: 'info', title: 'Mai multe info' },
    { id: 'later', title: 'Mai tarziu' },
  ],
};

describe('rendering buttons and lists', () => {
  test('three buttons become a native poll with the titles as options', () => {
    const menu = renderMenu('Ce doriti?', buttons);
    assert.equal(menu.kind, 'poll');
    assert.deepEqual(menu.kind === 'poll' && menu.options, ['Cumpara', 'Mai multe info', 'Mai tarziu']);
  });

  test('a list with descriptions becomes a numbered text menu', () => {
    const menu = renderMenu('Alegeti un produs', {
      list: { title: 'Produse', items: [{ id: 'p1', title: 'Tricou', description: '50 lei' }, { id: 'p2', title: 'Sapca' }] },
    });
    assert.equal(menu.kind, 'text');
    assert.equal(menu.kind === 'text' && menu.text, 'Alegeti un produs\nProduse\n\n1. Tricou - 50 lei\n2. Sapca');
  });

  test('too many options, duplicate titles or a long question fall back to text', () => {
    const many = { list: { title: 'x', items: Array.from({ length: 13 }, (_, i) => ({ id: `i${i}`, title: `Optiunea ${i}` })) } };
    assert.equal(renderMenu('Alege', many).kind, 'text');
    assert.equal(renderMenu('Alege', { buttons: [{ id: 'a', title: 'Da' }, { id: 'b', title: 'da' }] }).kind, 'text');
    assert.equal(renderMenu('x'.repeat(300), buttons).kind, 'text');
    const text = renderMenu('x'.repeat(300), buttons);
    assert.match(text.kind === 'text' ? text.text : '', /\n1\. Cumpara\n2\. Mai multe info\n3\. Mai tarziu$/);
  });

  test('plain text stays plain', () => {
    assert.deepEqual(renderMenu('Salut', null), { kind: 'none', text: 'Salut' });
  });
});

describe('mapping answers back to item ids', () => {
  const items = buttons.buttons;
  test('by number, with or without punctuation', () => {
    assert.equal(matchMenuAnswer(items, '2'), 'info');
    assert.equal(matchMenuAnswer(items, ' 3. '), 'later');
    assert.equal(matchMenuAnswer(items, '4'), undefined);
  });
  test('by title, ignoring case and diacritics', () => {
    assert.equal(matchMenuAnswer(items, 'cumpără!'), 'buy');
    assert.equal(matchMenuAnswer(items, 'MAI TARZIU'), 'later');
  });
  test('by a word only one title contains', () => {
    assert.equal(matchMenuAnswer(items, 'info'), 'info');
    assert.equal(matchMenuAnswer(items, 'tarziu'), 'later');
    // "mai" is in two titles: ambiguous, so it is an ordinary message.
    assert.equal(matchMenuAnswer(items, 'mai'), undefined);
    assert.equal(matchMenuAnswer(items, 'as vrea sa stiu cat costa livrarea'), undefined);
  });
  test('a poll vote by option name', () => {
    assert.equal(matchPollVote(items, ['Mai tarziu']), 'later');
    assert.equal(matchPollVote(items, ['Altceva']), undefined);
  });
});
