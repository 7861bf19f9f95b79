import { fold } from './text.js';

type Strength = 'strong' | 'weak' | 'capital' | 'alone';

/**
 * Phrases that introduce a name, in folded form (lower case, no diacritics), most specific first.
 * `strong` ones almost always introduce a name ("my name is"). `weak` ones also introduce states
 * and intentions ("sunt bine", "I'm looking for"), so what follows must look like a name.
 * `capital` ones ("this is", "call me") count only before a capitalised word.
 */
const PHRASES: [string, Strength][] = [
  ...[
    'ma numesc', 'numele meu este', 'numele meu e', 'numele meu:', 'ma cheama', // ro
    'my name is', "my name's", // en
    "je m'appelle", 'je m appelle', 'mon nom est', // fr
    'me llamo', 'mi nombre es', // es
    'ich heisse', 'ich heiße', 'mein name ist', // de
    'mi chiamo', 'il mio nome e', // it
    'me chamo', 'meu nome e', // pt
    'nazywam sie', 'mam na imie', // pl
    'a nevem', // hu
    'меня зовут', // ru
  ].map((p): [string, Strength] => [p, 'strong']),
  ...['eu sunt', 'sunt', 'i am', "i'm", 'je suis', "moi c'est", 'yo soy', 'soy', 'ich bin', 'io sono', 'sono', 'eu sou', 'sou', 'jestem'].map(
    (p): [string, Strength] => [p, 'weak'],
  ),
  ...['this is', 'call me', 'aici e', 'aici este', 'hier ist'].map((p): [string, Strength] => [p, 'capital']),
];

/** Words that are not names, or that end one: states, intentions, greetings, connectors (folded). */
const NOT_A_NAME = new Set(
  `
  bine foarte interesat interesata interesati aici acasa de din la in pe cu si sau un o nu da ok gata multumit multumita
  sigur sigura client clienta clientul nou noua curios curioasa acord disponibil disponibila pregatit pregatita bucuros
  bucuroasa convins convinsa tot deja inca doar chiar cam putin mai asa ca ce cine cel cea al a ale lui iar dar care
  salut buna ziua seara dimineata multumesc mersi sunt vreau as am e este era fost vrea doresc caut intreb scriu sun
  fine good great ok okay well here there looking interested not so very just an the from in at on with sure sorry happy
  glad ready new back still trying calling writing asking wondering going also really thinking available done sick tired
  busy afraid about and or but hello hi hey thanks thank yes no your you me my customer client to for of it is that this
  bien tres interesse interessee ici pas une content contente desole desolee pret prete et bonjour merci oui non
  muy interesado interesada aqui una el la nuevo nueva cliente y hola gracias si
  gut sehr interessiert hier nicht ein eine der die das neu kunde und hallo danke ja nein
  bene molto interessato qui qua il nuovo nuova ciao grazie
  bem muito aqui um uma novo ola obrigado obrigada
  `
    .split(/\s+/)
    .filter(Boolean),
);

/** Endings of states and verb forms ("plecat", "looking", "cansado"), not names, in lower-case words. */
const NOT_A_NAME_ENDING = /(?:ing|ed|ly|ful|at|ata|ati|ate|it|ita|iti|ut|uta|os|oasa|bil|ado|ada|ido|ida|ato|ito)$/;

function isUpperInitial(word: string): boolean {
  const first = word.charAt(0);
  return first !== first.toLowerCase();
}

function titleCase(word: string): string {
  if (word !== word.toLowerCase() && word !== word.toUpperCase()) return word; // "McDonald", "DeSouza"
  return word
    .toLowerCase()
    .split(/([-'])/)
    .map((part) => (part.length > 1 || /\p{L}/u.test(part) ? part.charAt(0).toUpperCase() + part.slice(1) : part))
    .join('');
}

/** Up to three name words starting at `from`; null when what follows is not a name. */
function readName(original: string, folded: string, from: number, strength: Strength): string | null {
  let position = from + /^[\s:,-]*/.exec(original.slice(from))![0].length;
  const words: string[] = [];
  // Sticky, so its position is this call's own (a module-scope one would be shared by every workflow).
  const wordAndGap = /([\p{L}][\p{L}'-]*)([^\p{L}]*)/uy;
  // How the name ended: at a stop word, punctuation or the end are sure; anything else is not.
  let clean = false;
  while (words.length < 3) {
    wordAndGap.lastIndex = position;
    const match = wordAndGap.exec(original);
    if (!match || match.index !== position) break;
    const word = match[1]!;
    const gap = match[2]!;
    const foldedWord = folded.slice(position, position + word.length);
    if (NOT_A_NAME.has(foldedWord) || word.length > 30) {
      clean = true;
      break;
    }
    const capital = isUpperInitial(word);
    if (words.length === 0) {
      if (word.length < 2) return null;
      if (strength === 'capital' && !capital) return null;
      if (strength === 'weak' && !capital && NOT_A_NAME_ENDING.test(foldedWord)) return null;
    } else if (!capital && (strength === 'weak' || strength === 'capital')) break;
    words.push(word);
    position += word.length + gap.length;
    if (/[^\s]/u.test(gap) || position >= original.length) {
      clean = /^\s*[.,!?;:)]/u.test(gap) || position >= original.length;
      break;
    }
  }
  if (words.length === 0) return null;
  if (strength === 'weak' && !isUpperInitial(words[0]!) && !clean) return null;
  return words.map(titleCase).join(' ');
}

/**
 * The customer's name when the message introduces it ("Mă numesc Ion Popescu", "I'm Ana",
 * "je m'appelle Marie"), else null. With `expectName` (the assistant has just asked who is
 * writing), a short message that is only a name ("Ion Popescu") counts too.
 */
export function extractName(text: string, options: { expectName?: boolean } = {}): string | null {
  const folded = fold(text);
  for (const [phrase, strength] of PHRASES) {
    for (let at = folded.indexOf(phrase); at !== -1; at = folded.indexOf(phrase, at + 1)) {
      const before = at === 0 ? ' ' : folded.charAt(at - 1);
      const after = folded.charAt(at + phrase.length);
      if (/[\p{L}\p{N}']/u.test(before) || (after !== '' && /[\p{L}\p{N}]/u.test(after))) continue;
      const name = readName(text, folded, at + phrase.length, strength);
      if (name) return name;
    }
  }
  if (options.expectName) {
    const trimmed = text.trim().replace(/[.!]+$/u, '');
    if (/^[\p{L}][\p{L}'-]*(?:\s+[\p{L}][\p{L}'-]*){0,2}$/u.test(trimmed)) {
      const name = readName(trimmed, fold(trimmed), 0, 'alone');
      // Every word must be part of the name: "Ion vrea pret" is not a name.
      if (name && name.split(' ').length === trimmed.split(/\s+/).length) return name;
    }
  }
  return null;
}
