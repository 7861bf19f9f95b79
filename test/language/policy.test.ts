import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LanguageDetection, LanguageDetector } from '../../activities/language/detector.js';
import { LocalLanguageDetector } from '../../activities/language/local.js';
import { CONFIDENT, CONFIDENT_SHORT, detectLanguage } from '../../activities/language/policy.js';

const local = new LocalLanguageDetector();

/** A detector that answers what it is told, to pin the policy's thresholds exactly. */
class FixedDetector implements LanguageDetector {
  readonly name = 'fixed';
  calls = 0;
  constructor(private readonly answer: Omit<LanguageDetection, 'detector'>) {}
  detect(): Promise<LanguageDetection> {
    this.calls++;
    return Promise.resolve({ ...this.answer, detector: this.name });
  }
}

async function languageOf(text: string, previous?: string | null, defaultLanguage?: string): Promise<string> {
  return (await detectLanguage(local, text, { previous, ...(defaultLanguage ? { defaultLanguage } : {}) })).language;
}

test('ambiguous short Latin messages keep the conversation language', async () => {
  assert.equal(await languageOf('ok merci', 'fr'), 'fr');
  assert.equal(await languageOf('ok merci', 'ro'), 'ro');
  assert.equal(await languageOf('si', 'it'), 'it');
  assert.equal(await languageOf('si', 'es'), 'es');
  assert.equal(await languageOf('super', 'de'), 'de');
  assert.equal(await languageOf('ok', 'pl'), 'pl');
});

test('without a conversation language, ambiguous messages take the widget default, Romanian unless set', async () => {
  assert.equal(await languageOf('ok'), 'ro');
  assert.equal(await languageOf('da'), 'ro');
  assert.equal(await languageOf('ok', null, 'en'), 'en');
  assert.equal(await languageOf('si', undefined, 'it'), 'it');
  assert.equal(await languageOf('ok', 'xx', 'de'), 'de', 'an unknown previous language is ignored');
});

test('a short message in another script is never forced into the conversation language', async () => {
  for (const [text, expected] of [
    ['да', 'ru'],
    ['спасибо', 'ru'],
    ['дякую', 'uk'],
    ['благодаря', 'bg'],
    ['ναι', 'el'],
    ['نعم', 'ar'],
    ['हाँ', 'hi'],
    ['好的', 'zh'],
    ['はい', 'ja'],
    ['네', 'ko'],
  ] as const) {
    const decided = await detectLanguage(local, text, { previous: 'ro' });
    assert.equal(decided.language, expected, text);
  }
});

test('a script the conversation language shares is kept: Han characters in a Japanese conversation', async () => {
  assert.equal(await languageOf('了解', 'ja'), 'ja');
  assert.equal(await languageOf('了解'), 'zh');
  assert.equal(await languageOf('谢谢你', 'ja'), 'zh', 'Chinese-only characters are a confident switch');
});

test('ambiguous Cyrillic stays within the Cyrillic conversation language', async () => {
  assert.equal(await languageOf('да', 'bg'), 'bg');
  assert.equal(await languageOf('добре', 'uk'), 'uk');
  assert.equal(await languageOf('добре', 'bg'), 'bg');
  assert.equal(await languageOf('так', 'uk'), 'uk');
});

test('letters a language does not have rule it out even when the detector is unsure', async () => {
  assert.notEqual(await languageOf('oké', 'ro'), 'ro');
  assert.notEqual(await languageOf('ja ß', 'ro'), 'ro');
  assert.notEqual(await languageOf('ы', 'uk'), 'uk');
});

test('a message made only of other languages\' chat words does not keep the conversation language', async () => {
  assert.equal(await languageOf('hi', 'ro'), 'en');
  assert.equal(await languageOf('gracias', 'ro'), 'es');
  assert.equal(await languageOf('merci', 'ro'), 'ro', '"merci" is Romanian chat too');
});

test('a confident detection switches the conversation language', async () => {
  assert.equal(await languageOf('I ordered last week and still have not received anything', 'ro'), 'en');
  assert.equal(await languageOf('Vreau sa vorbesc cu un om', 'en'), 'ro');
  assert.equal(await languageOf('ich möchte mit einem mitarbeiter sprechen', 'nl'), 'de');
  assert.equal(await languageOf('nein danke', 'ro'), 'de');
});

test('thresholds: short messages need more confidence than long ones to switch', async () => {
  const longText = 'this sentence has more than three words in it';
  const justBelow = new FixedDetector({ language: 'en', confidence: CONFIDENT - 0.01 });
  assert.equal((await detectLanguage(justBelow, longText, { previous: 'ro' })).language, 'ro');
  const atThreshold = new FixedDetector({ language: 'en', confidence: CONFIDENT });
  assert.equal((await detectLanguage(atThreshold, longText, { previous: 'ro' })).language, 'en');

  const between = new FixedDetector({ language: 'en', confidence: (CONFIDENT + CONFIDENT_SHORT) / 2 });
  assert.equal((await detectLanguage(between, 'two words', { previous: 'ro' })).language, 'ro');
  assert.equal((await detectLanguage(between, longText, { previous: 'ro' })).language, 'en');
  const shortSure = new FixedDetector({ language: 'en', confidence: CONFIDENT_SHORT });
  assert.equal((await detectLanguage(shortSure, 'two words', { previous: 'ro' })).language, 'en');
});

test('the widget default is left on a fair detection, an established language only on a confident one', async () => {
  const fair = new FixedDetector({ language: 'it', confidence: 0.55 });
  assert.equal((await detectLanguage(fair, 'boh mah', {})).language, 'it');
  assert.equal((await detectLanguage(fair, 'boh mah', { previous: 'ro' })).language, 'ro');
});

test('the answer says who decided and keeps the detector confidence', async () => {
  const unsure = new FixedDetector({ language: 'en', confidence: 0.2 });
  assert.deepEqual(await detectLanguage(unsure, 'hmm ok', { previous: 'ro' }), {
    language: 'ro',
    confidence: 0.2,
    detector: 'fixed+context',
  });
  const sure = new FixedDetector({ language: 'en', confidence: 0.9 });
  assert.deepEqual(await detectLanguage(sure, 'hmm ok', { previous: 'ro' }), { language: 'en', confidence: 0.9, detector: 'fixed' });
});

test('whatever language the detector names is the conversation language; regional tags as their base', async () => {
  const swedish = new FixedDetector({ language: 'sv', confidence: 0.99 });
  assert.equal((await detectLanguage(swedish, 'tack så mycket för hjälpen', { previous: 'en' })).language, 'sv');
  const swahili = new FixedDetector({ language: 'sw', confidence: 0.9 });
  assert.equal((await detectLanguage(swahili, 'asante sana kwa msaada wako', { previous: 'en' })).language, 'sw');
  const regional = new FixedDetector({ language: 'pt-BR', confidence: 0.95 });
  assert.equal((await detectLanguage(regional, 'obrigado pela ajuda, valeu', { previous: 'ro' })).language, 'pt');
});

test('a language the detector can hardly tell falls back to the widget default, not to an unrelated guess', async () => {
  // In a Polish conversation, a message Polish cannot be written in (no "ő" in Polish) and a guess at 0.1.
  const guess = new FixedDetector({ language: 'lv', confidence: 0.1 });
  assert.deepEqual(await detectLanguage(guess, 'gőz', { previous: 'pl', defaultLanguage: 'hu' }), { language: 'hu', confidence: 0.1, detector: 'fixed+default' });
  // A fair guess is taken.
  const fair = new FixedDetector({ language: 'lv', confidence: 0.4 });
  assert.equal((await detectLanguage(fair, 'gőz', { previous: 'pl', defaultLanguage: 'hu' })).language, 'lv');
});

test('messages without letters keep the conversation language without asking the detector', async () => {
  const detector = new FixedDetector({ language: 'en', confidence: 0.99 });
  for (const text of ['👍', '123', '?!', '   ', '😂😂 42']) {
    const decided = await detectLanguage(detector, text, { previous: 'hu' });
    assert.deepEqual([decided.language, decided.confidence], ['hu', 0], JSON.stringify(text));
  }
  assert.equal(detector.calls, 0);
  assert.equal((await detectLanguage(detector, '👍', {})).language, 'ro');
});
