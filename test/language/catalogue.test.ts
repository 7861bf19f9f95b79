import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { LocalLanguageDetector } from '../../activities/language/local.js';
import { SUPPORTED_LANGUAGES } from '../../activities/language/supported.js';
import { catalogues, systemMessage, type MessageKey } from '../../workflows/i18n/catalogue.js';
import { webGreetings } from '../../workflows/i18n/catalogue-web.js';
import { primaryLanguage, webGreeting, widgetLanguages } from '../../workflows/i18n/web-greeting.js';

const keys = Object.keys(catalogues.en!) as MessageKey[];

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
}

test('Romanian, English and every other language the embedded detector knows (60)', () => {
  const languages = Object.keys(catalogues);
  assert.ok(languages.includes('ro') && languages.includes('en'));
  assert.deepEqual([...languages].sort(), [...SUPPORTED_LANGUAGES].sort());
  for (const language of languages) assert.ok((SUPPORTED_LANGUAGES as readonly string[]).includes(language), language);
});

test('every key in every language, non-empty, with the same placeholders as English', () => {
  assert.equal(keys.length, 15);
  for (const key of ['fallback', 'qrFirstGreeting', 'kbLeadIn', 'handoffAcknowledged', 'handoffFollowUp',
    'takeoverConfirmed', 'resumeConfirmed', 'awayMessage', 'leadCallConfirmed', 'menuInstructions',
    'untranslatedLeadIn', 'awayMessageUntil', 'handoffOutsideHours', 'voiceNoteUnsupported', 'attachmentReceived']) {
    assert.ok(keys.includes(key as MessageKey), key);
  }
  for (const [language, catalogue] of Object.entries(catalogues)) {
    assert.deepEqual(Object.keys(catalogue).sort(), [...keys].sort(), language);
    for (const key of keys) {
      const text = catalogue[key];
      assert.ok(text.trim().length > 0, `${language}.${key} is empty`);
      assert.equal(text, text.trim(), `${language}.${key} has stray whitespace`);
      assert.deepEqual(placeholders(text), placeholders(catalogues.en![key]), `${language}.${key} placeholders`);
    }
  }
});

test('no language simply copies the English text', () => {
  for (const [language, catalogue] of Object.entries(catalogues)) {
    if (language === 'en') continue;
    for (const key of keys) {
      assert.notEqual(catalogue[key], catalogues.en![key], `${language}.${key}`);
    }
  }
});

test('Romanian is written with its diacritics, comma-below ș and ț, never the cedilla forms', () => {
  const romanian = Object.values(catalogues.ro!).join(' ');
  assert.match(romanian, /[ăâîșț]/);
  assert.doesNotMatch(romanian, /[şţŞŢ]/);
  assert.match(catalogues.ro!.handoffAcknowledged, /conversația/);
  assert.match(catalogues.ro!.takeoverConfirmed, /Ai preluat conversația\. Caty nu va mai răspunde\./);
  assert.equal(catalogues.ro!.resumeConfirmed, 'Caty este din nou activă.');
});

test('each translation reads as its own language to our detector', async () => {
  const detector = new LocalLanguageDetector();
  for (const [language, catalogue] of Object.entries(catalogues)) {
    for (const key of ['fallback', 'handoffAcknowledged', 'handoffFollowUp', 'awayMessage', 'voiceNoteUnsupported', 'attachmentReceived'] as const) {
      const detected = await detector.detect(catalogue[key]);
      assert.equal(detected.language, language, `${language}.${key}: ${catalogue[key]}`);
    }
  }
});

test('systemMessage fills placeholders and falls back to the widget default, then English', () => {
  assert.equal(
    systemMessage('qrFirstGreeting', 'en', { assistant: 'Caty', business: 'Floraria Roz' }),
    "Hello! I'm Caty, the virtual assistant of Floraria Roz. Who am I talking to?",
  );
  assert.equal(systemMessage('kbLeadIn', 'de'), catalogues.de!.kbLeadIn);
  assert.equal(systemMessage('kbLeadIn', 'sv'), catalogues.sv!.kbLeadIn);
  assert.equal(systemMessage('kbLeadIn', 'sw'), catalogues.ro!.kbLeadIn, 'a language without a catalogue: Romanian default');
  assert.equal(systemMessage('kbLeadIn', 'sw', {}, 'fr'), catalogues.fr!.kbLeadIn, "a language without a catalogue: the widget's default");
  assert.equal(systemMessage('kbLeadIn', 'sw', {}, 'xx'), catalogues.en!.kbLeadIn, 'then English');
  assert.equal(systemMessage('kbLeadIn', null, {}, 'it'), catalogues.it!.kbLeadIn);
  assert.equal(systemMessage('kbLeadIn', 'pt-BR'), catalogues.pt!.kbLeadIn);
  assert.equal(systemMessage('kbLeadIn', 'ZH'), catalogues.zh!.kbLeadIn);
  assert.equal(systemMessage('kbLeadIn', 'constructor', {}, 'toString'), catalogues.en!.kbLeadIn);
  assert.equal(systemMessage('qrFirstGreeting', 'en', { assistant: 'Caty' }).includes('{business}'), true, 'missing params stay visible');
});

test('the catalogue stays importable by workflow code: data files, no Node APIs', () => {
  const main = readFileSync(new URL('../../workflows/i18n/catalogue.ts', import.meta.url), 'utf8');
  for (const line of main.match(/^\s*import\s.*$/gm) ?? []) assert.match(line, /from '\.\/catalogue-[a-z-]+\.js';$/, line);
  for (const file of ['catalogue.ts', 'catalogue-europe.ts', 'catalogue-asia-africa.ts', 'catalogue-web.ts']) {
    const source = readFileSync(new URL(`../../workflows/i18n/${file}`, import.meta.url), 'utf8');
    if (file !== 'catalogue.ts') for (const line of source.match(/^\s*import\s.*$/gm) ?? []) assert.match(line, /^import type /, `${file}: ${line}`);
    assert.doesNotMatch(source, /\brequire\(|\bprocess\.|\bawait import\(/, file);
  }
});

test("the web widget's greeting in every catalogue language, with the assistant's and the business's names, read as its own language", async () => {
  assert.deepEqual(Object.keys(webGreetings).sort(), Object.keys(catalogues).sort());
  const detector = new LocalLanguageDetector();
  for (const [language, text] of Object.entries(webGreetings)) {
    assert.equal(text, text.trim(), language);
    assert.deepEqual(placeholders(text), ['assistant', 'business'], `${language}: ${text}`);
    if (language !== 'en') assert.notEqual(text, webGreetings.en, language);
    const filled = text.replace('{assistant}', 'Ana').replace('{business}', 'Florăria Roz');
    assert.equal((await detector.detect(filled)).language, language, `${language}: ${filled}`);
  }
});

test("the greeting's language: the page's when the widget speaks it, else the default; the widget's own text first", () => {
  const widget = {
    name: 'Florăria Roz',
    assistant_name: 'Ana $&',
    default_language: 'ro',
    knowledge_base: [{ question: 'Cât costă?', answer: '15 lei.', translations: { de: { answer: '15 Lei.' } } }],
  };
  assert.deepEqual([...widgetLanguages(widget)].sort(), ['de', 'ro']);
  for (const [tag, base] of [['pt-BR', 'pt'], ['zh_Hant_TW', 'zh'], ['EN', 'en'], ['fil', 'fil'], ['', null], ['en--x', null], ['12', null], [undefined, null]] as const) assert.equal(primaryLanguage(tag), base, String(tag));
  // Names are put in as they are written, "$&" included.
  const german = 'Hallo! Ich bin Ana $&, der virtuelle Assistent von Florăria Roz. Ich beantworte gern Ihre Fragen zu unseren Produkten und Leistungen oder verbinde Sie mit einem Kollegen. Wie kann ich Ihnen helfen?';
  assert.deepEqual(webGreeting(widget, 'de-AT'), { language: 'de', text: german });
  assert.equal(webGreeting(widget, 'fr').language, 'ro');
  const greeted = { ...widget, greeting: { text: 'Bună!', translations: { en: 'Hi!' } } };
  assert.deepEqual([...widgetLanguages(greeted)].sort(), ['de', 'en', 'ro']);
  assert.deepEqual(webGreeting(greeted, 'en-US'), { language: 'en', text: 'Hi!' });
  assert.deepEqual(webGreeting(greeted, 'fr'), { language: 'ro', text: 'Bună!' });
  assert.equal(webGreeting(greeted, 'de').text, german, 'no German greeting of its own: the catalogue speaks German');
  // A default language without a catalogue: its own greeting when it has one, else English.
  const swahili = { ...widget, default_language: 'sw', knowledge_base: [] };
  assert.equal(webGreeting(swahili, 'sw').language, 'en');
  assert.deepEqual(webGreeting({ ...swahili, greeting: { text: 'Habari! Mimi ni Ana.' } }, null), { language: 'sw', text: 'Habari! Mimi ni Ana.' });
});
