import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { isHumanRequest } from '../../workflows/handoff/human-request.js';
import { catalogues } from '../../workflows/i18n/catalogue.js';
import { europeCues } from '../../workflows/handoff/cues-europe.js';

// Per language: requests for a person (with and without diacritics, some with a typo) and
// near misses that merely mention a person word or talking.
const table: Record<string, { yes: string[]; no: string[] }> = {
  ro: {
    yes: ['Vreau sa vorbesc cu un om', 'Vreau să vorbesc cu un om', 'vreau un operator', 'pot vorbi cu cineva?', 'vreau sa vorbsc cu un operatr', 'Aș dori să discut cu un coleg', 'operator'],
    no: ['omul de la curier nu a venit', 'am vorbit cu un om ieri', 'sunt om de afaceri', 'un om a sunat ieri', 'cat costa livrarea?', 'vreau sa comand 2 bucati'],
  },
  en: {
    yes: ['I want to talk to a human', 'can I speak to someone', 'real person please', 'I need a human', 'connect me with an agent', 'let me talk to a representitive'],
    no: ['human resources department', 'Is the product human-safe?', 'the person who ordered is my wife', 'I talked to someone yesterday', 'Can I pay by card?'],
  },
  es: { yes: ['quiero hablar con una persona', 'Quiero hablar con un agente', 'necesito un humano'], no: ['la persona que pidió es mi esposa', 'quiero pagar con tarjeta'] },
  fr: { yes: ['je voudrais parler à un conseiller', 'Je veux parler à un humain'], no: ['cette personne a commandé hier', 'je veux payer par carte'] },
  de: { yes: ['Ich möchte mit einem Mitarbeiter sprechen', 'ich moechte mit einem menschen reden'], no: ['der Mitarbeiter war sehr nett', 'ich möchte mit Karte zahlen'] },
  it: { yes: ['vorrei parlare con un operatore', 'voglio parlare con una persona'], no: ['la persona che ha ordinato è mia moglie', 'vorrei pagare con carta'] },
  pt: { yes: ['quero falar com um atendente', 'gostaria de falar com uma pessoa'], no: ['a pessoa que pediu é minha esposa', 'quero pagar com cartão'] },
  hu: { yes: ['Szeretnék egy ügyintézővel beszélni', 'emberrel szeretnék beszélni'], no: ['az ügyintéző nagyon kedves volt', 'kártyával szeretnék fizetni'] },
  pl: { yes: ['chcę porozmawiać z konsultantem', 'chce rozmawiac z czlowiekiem'], no: ['konsultant był miły', 'chcę zapłacić kartą'] },
  ru: { yes: ['Хочу поговорить с оператором', 'можно с человеком поговорить'], no: ['оператор доставки опоздал', 'хочу оплатить картой'] },
  uk: { yes: ['Хочу поговорити з оператором', 'можна з людиною поговорити'], no: ['оператор був ввічливий', 'хочу оплатити карткою'] },
  bg: { yes: ['Искам да говоря с човек', 'може ли да говоря с оператор'], no: ['човекът от куриера не дойде', 'искам да платя с карта'] },
  tr: { yes: ['bir temsilciyle konuşmak istiyorum', 'insanla konuşmak istiyorum'], no: ['temsilci çok nazikti', 'kartla ödemek istiyorum'] },
  nl: { yes: ['ik wil met een medewerker praten', 'kan ik met een mens spreken'], no: ['de medewerker was vriendelijk', 'ik wil met kaart betalen'] },
};

for (const [language, { yes, no }] of Object.entries(table)) {
  test(`${language}: requests for a person are recognised, near misses are not`, () => {
    for (const text of yes) assert.equal(isHumanRequest(text), true, `should be a request: "${text}"`);
    for (const text of no) assert.equal(isHumanRequest(text), false, `should not be a request: "${text}"`);
  });
}

test('long messages that mention a person in passing are not requests', () => {
  assert.equal(isHumanRequest('am comandat ieri un cadou pentru un om drag si as vrea sa stiu daca ajunge pana vineri in Cluj la adresa mea'), false);
  assert.equal(isHumanRequest(''), false);
});

test('in every catalogue language, the phrase the fallback tells customers to write is a request for a person', () => {
  for (const [language, catalogue] of Object.entries(catalogues)) {
    // The phrase is the quoted part of the fallback, whatever the language's quotation marks.
    const quoted = /[„“"«「『‹»”]([^„“”"«»「」『』‹›]+)[”"»「」』›«“]/u.exec(catalogue.fallback);
    assert.ok(quoted, `${language}: no quoted phrase in "${catalogue.fallback}"`);
    assert.equal(isHumanRequest(quoted[1]!), true, `${language}: "${quoted[1]}"`);
  }
});

test('ordinary shop questions in the forty added languages are not requests for a person', () => {
  const rows = readFileSync(new URL('../language/fixtures/chat-more-languages.tsv', import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => line.split('\t')[1]!);
  const flagged = rows.filter((text) => isHumanRequest(text));
  // The set has about one request for a person per language; far more would mean a cue that fires on ordinary words.
  assert.ok(flagged.length <= 45, `${flagged.length} flagged:\n${flagged.join('\n')}`);
});

test('a very long word costs no more than a short one: words longer than any cue are not compared', () => {
  // Every Map lookup hashes its key: count the characters hashed while one message is read.
  const get = Map.prototype.get;
  let hashed = 0;
  Map.prototype.get = function (this: Map<unknown, unknown>, key: unknown) {
    if (typeof key === 'string') hashed += key.length;
    return get.call(this, key);
  };
  const message = `vreau sa vorbesc cu un om ${'a'.repeat(4096)}`;
  let answer: boolean;
  try {
    answer = isHumanRequest(message);
  } finally {
    Map.prototype.get = get;
  }
  assert.equal(answer, true, 'the request around the long word still counts');
  // Before the bound: each one-letter deletion of the 4 KB word, in three indexes (about 50 million characters).
  assert.ok(hashed < 10 * message.length, `${hashed} characters hashed for a ${message.length}-character message`);
});

test('the bound is exact: the longest cue with one typo (one letter more) still counts, as before', () => {
  const fold = (text: string) => text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
  const longest = Object.values(europeCues).flatMap((cues) => cues.person).map(fold).sort((a, b) => b.length - a.length)[0]!;
  assert.equal(isHumanRequest(longest), true, longest);
  const typo = `${longest.slice(0, 4)}x${longest.slice(4)}`;
  assert.equal(isHumanRequest(typo), true, `${typo}: one letter more than the longest cue`);
  assert.equal(isHumanRequest(`${longest.slice(0, 4)}xy${longest.slice(4)}`), false, 'two letters more is not a typo of it');
});
