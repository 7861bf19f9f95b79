import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatLeadAlert } from '../../workflows/leads/alert.js';
import { extractEmail, extractPhone } from '../../workflows/leads/contact.js';
import { emptyLead, extractLead } from '../../workflows/leads/extract.js';
import { extractName } from '../../workflows/leads/name.js';
import { hasBuyingIntent, scoreLead } from '../../workflows/leads/score.js';

describe('names', () => {
  const names: [string, string][] = [
    ['Mă numesc Ion Popescu', 'Ion Popescu'],
    ['ma numesc ion popescu', 'Ion Popescu'],
    ['Buna ziua, ma numesc Ion Popescu si as vrea o oferta', 'Ion Popescu'],
    ['Numele meu este Maria Ionescu.', 'Maria Ionescu'],
    ['numele meu e andreea', 'Andreea'],
    ['Pe mine mă cheamă Ștefan', 'Ștefan'],
    ['pe mine ma cheama Stefan', 'Stefan'],
    ['Sunt Ion', 'Ion'],
    ['sunt ion', 'Ion'],
    ['Salut! Eu sunt Ana-Maria, vreau detalii', 'Ana-Maria'],
    ['My name is John Smith', 'John Smith'],
    ["Hi, I'm Sarah and I need help", 'Sarah'],
    ['I’m Sarah', 'Sarah'],
    ['I am David Miller.', 'David Miller'],
    ["Bonjour, je m'appelle Marie Dupont", 'Marie Dupont'],
    ['Hola, me llamo Carlos', 'Carlos'],
    ['Ich heiße Jürgen Müller', 'Jürgen Müller'],
    ['ich heisse Jürgen', 'Jürgen'],
    ['Mi chiamo Giulia', 'Giulia'],
    ['Meu nome é João Silva', 'João Silva'],
    ['Nazywam się Piotr Nowak', 'Piotr Nowak'],
    ['Меня зовут Иван', 'Иван'],
    ['This is Mark from Acme', 'Mark'],
    ['MA NUMESC ION POPESCU', 'Ion Popescu'],
  ];
  for (const [text, name] of names) {
    test(`"${text}" -> ${name}`, () => assert.equal(extractName(text), name));
  }

  const notNames = [
    'sunt bine, mersi',
    'Sunt bine',
    'sunt interesat de un laptop',
    'Sunt interesată de oferta voastră',
    'sunt din Cluj',
    'nu sunt sigur',
    'sunt plecat din oras',
    'sunt de acord',
    "I'm fine, thanks",
    "I'm looking for a laptop",
    "I'm interested in the premium plan",
    'I am not sure',
    "I'm from London",
    'this is great',
    'call me tomorrow',
    'Je suis intéressé',
    'soy de Madrid',
    'Ich bin interessiert',
    'Cat costa livrarea?',
    'what is your name?',
    '',
  ];
  for (const text of notNames) {
    test(`no name in "${text}"`, () => assert.equal(extractName(text), null));
  }

  test('a message that is only a name counts when the assistant asked for it, and only then', () => {
    assert.equal(extractName('Ion Popescu', { expectName: true }), 'Ion Popescu');
    assert.equal(extractName('ion popescu', { expectName: true }), 'Ion Popescu');
    assert.equal(extractName('Ion Popescu'), null);
    assert.equal(extractName('buna ziua', { expectName: true }), null);
    assert.equal(extractName('Ion vrea pret', { expectName: true }), null);
    assert.equal(extractName('salut', { expectName: true }), null);
  });
});

describe('contacts', () => {
  test('e-mail addresses, lower-cased', () => {
    assert.equal(extractEmail('scrieti-mi la Ion.Popescu@Example.com. multumesc'), 'ion.popescu@example.com');
    assert.equal(extractEmail('no address @ here'), null);
  });

  const phones: [string, string | null][] = [
    ['numarul meu e 0721 234 567', '+40721234567'],
    ['sunati-ma la 0721-234-567', '+40721234567'],
    ['(0721) 234 567', '+40721234567'],
    ['+40 721 234 567', '+40721234567'],
    ['0040721234567', '+40721234567'],
    ['call me on +44 20 7946 0958', '+442079460958'],
    ['fix: 021 123 4567', '+40211234567'],
    ['comanda 12345678 costa 150 lei', null],
    ['am 2 copii si 3 caini', null],
  ];
  for (const [text, phone] of phones) {
    test(`"${text}" -> ${phone}`, () => assert.equal(extractPhone(text), phone));
  }
});

describe('intent and score', () => {
  test('buying words in several languages, with and without diacritics; not inside other words', () => {
    for (const text of ['Vreau să cumpăr', 'vreau sa cumpar', 'Cât costă?', 'cat costa', 'what is the price?', 'can I book a demo', 'Quel est le prix ?', 'wie viel kostet das']) {
      assert.equal(hasBuyingIntent(text), true, text);
    }
    for (const text of ['buna ziua', 'pretty good', 'thanks', 'facebook page', 'ce program aveti?']) {
      assert.equal(hasBuyingIntent(text), false, text);
    }
  });

  test('the documented rule: 1 + name + contact + interest + intent, at most 5', () => {
    const none = { name: null, email: null, phone: null, interest: null, intent: false };
    assert.equal(scoreLead(none), 1);
    assert.equal(scoreLead({ ...none, name: 'Ion' }), 2);
    assert.equal(scoreLead({ ...none, name: 'Ion', phone: '+40721234567' }), 3);
    assert.equal(scoreLead({ ...none, name: 'Ion', phone: '+40721234567', email: 'ion@example.com' }), 3, 'one way to reach them is enough');
    assert.equal(scoreLead({ ...none, name: 'Ion', phone: '+40721234567', email: 'ion@example.com', interest: 'Product demo' }), 4);
    assert.equal(scoreLead({ name: 'Ion', phone: '+40721234567', email: 'ion@example.com', interest: 'Product demo', intent: true }), 5);
  });
});

describe('extractLead', () => {
  test('a conversation builds a lead: captured once, score rising, changes reported', () => {
    const customerPhone = '+40721234567';
    const first = extractLead({ text: 'Buna ziua', customerPhone });
    assert.deepEqual(first.changed, ['phone']);
    assert.equal(first.captured, false);
    assert.equal(first.lead.score, 2);

    const second = extractLead({ text: 'Mă numesc Ion Popescu', previous: first.lead, customerPhone });
    assert.deepEqual(second.changed, ['name']);
    assert.equal(second.captured, true);
    assert.equal(second.scoreRaised, true);
    assert.equal(second.lead.score, 3);

    const third = extractLead({ text: 'emailul meu este ion@example.com', previous: second.lead, customerPhone, interest: 'Product demo' });
    assert.deepEqual(third.changed, ['email', 'interest']);
    assert.equal(third.captured, false, 'captured only once');
    assert.deepEqual(third.lead, { name: 'Ion Popescu', phone: '+40721234567', email: 'ion@example.com', interest: 'Product demo', intent: false, score: 4 });

    const again = extractLead({ text: 'multumesc', previous: third.lead, customerPhone, interest: 'Livrare' });
    assert.deepEqual(again.changed, [], 'the first topic stays');
    assert.equal(again.scoreRaised, false);

    const buying = extractLead({ text: 'Vreau sa cumpar, sunati-ma la 0744 111 222', previous: again.lead, customerPhone });
    assert.deepEqual(buying.changed, ['phone', 'intent']);
    assert.equal(buying.lead.phone, '+40744111222', 'a number they give replaces the one they write from');
    assert.equal(buying.lead.score, 5);
  });

  test('in English, without a customer phone: an e-mail completes the lead', () => {
    const named = extractLead({ text: "Hi, I'm Sarah", previous: emptyLead });
    assert.equal(named.captured, false);
    const reached = extractLead({ text: 'sarah@example.org', previous: named.lead });
    assert.equal(reached.captured, true);
    assert.equal(reached.lead.score, 3);
  });

  test('false names never capture a lead', () => {
    for (const text of ['sunt bine', "I'm fine", 'sunt interesat', "I'm looking for a phone"]) {
      const update = extractLead({ text, customerPhone: '+40721234567' });
      assert.equal(update.lead.name, null, text);
      assert.equal(update.captured, false, text);
    }
  });
});

describe('formatLeadAlert', () => {
  test("the seed's layout, line for line", () => {
    const text = formatLeadAlert({ name: 'Ion Popescu', phone: '+40721234567', email: 'ion@example.com', interest: 'Product demo', score: 4 });
    assert.equal(
      text,
      'New Lead Captured!\n━━━━━━━━━━━━━━━━━\nName: Ion Popescu\nPhone: +40721234567\nEmail: ion@example.com\nInterest: Product demo\nScore: 4/5\n━━━━━━━━━━━━━━━━━\nReply CALL to schedule',
    );
    assert.equal(text.split('\n')[1], '━'.repeat(17));
  });

  test('unknown fields show a dash instead of disappearing', () => {
    const lines = formatLeadAlert({ name: 'Ana', phone: '+40721234567', email: null, interest: null, score: 3 }).split('\n');
    assert.equal(lines.length, 9);
    assert.equal(lines[4], 'Email: -');
    assert.equal(lines[5], 'Interest: -');
  });
});
