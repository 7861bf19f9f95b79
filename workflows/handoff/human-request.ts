/**
 * Does a customer ask to talk to a person? Pure and deterministic (it runs inside the workflow).
 *
 * A message counts when, within a short message, it names a person (om, operator, human,
 * persona, Mensch, человек…) together with a wish to talk (vorbesc, talk, hablar, parler…) or a
 * request (vreau, I want, quiero, je veux…), or when it is nothing but a person word ("operator",
 * "agent uman"). Words are compared with diacritics folded and tolerate one typo in longer words,
 * so "vreau sa vorbsc cu un operatr" still counts, while "omul de la curier" or "human resources"
 * do not: a person word alone in an ordinary sentence is not a request.
 */

import { asiaAfricaCues } from './cues-asia-africa.js';
import { europeCues, europeNotTypos } from './cues-europe.js';

export interface LanguageCues {
  /** Words that name a person to talk to. */
  person: string[];
  /** Words that say "talk / speak / connect / transfer". */
  talk: string[];
  /** Words that make a request ("I want", "can I", "please"). */
  ask: string[];
  /** Whole phrases that are requests on their own. */
  phrases?: string[];
}

const FIRST_CUES: Record<string, LanguageCues> = {
  ro: {
    person: ['om', 'operator', 'operatoare', 'persoana', 'agent', 'coleg', 'colega', 'consultant', 'reprezentant', 'uman', 'umana', 'angajat', 'cineva'],
    talk: ['vorbesc', 'vorbi', 'vorbim', 'discut', 'discuta', 'discutam', 'transfer', 'transferati', 'transfera', 'legatura', 'conectati', 'conecta'],
    ask: ['vreau', 'doresc', 'as', 'dori', 'puteti', 'poti', 'pot', 'va', 'rog', 'trebuie'],
    phrases: ['nu vreau robot', 'nu vreau bot', 'vreau om', 'un om real', 'om adevarat'],
  },
  en: {
    person: ['human', 'person', 'agent', 'operator', 'someone', 'somebody', 'representative', 'rep', 'staff', 'employee', 'people', 'real'],
    talk: ['talk', 'speak', 'chat', 'connect', 'transfer', 'contact', 'call'],
    ask: ['want', 'need', 'would', 'like', 'can', 'could', 'may', 'please', 'let'],
    phrases: ['real person', 'live agent', 'human agent', 'not a bot', 'no bot', 'talk to someone', 'speak to someone'],
  },
  es: {
    person: ['persona', 'humano', 'agente', 'operador', 'operadora', 'alguien', 'asesor', 'representante'],
    talk: ['hablar', 'hable', 'comunicar', 'contactar', 'transferir', 'pasar', 'pasame'],
    ask: ['quiero', 'quisiera', 'necesito', 'puedo', 'puede', 'podria', 'por', 'favor', 'me'],
  },
  fr: {
    person: ['personne', 'humain', 'agent', 'operateur', 'operatrice', 'quelqu', 'conseiller', 'conseillere'],
    talk: ['parler', 'discuter', 'contacter', 'transferer', 'passer'],
    ask: ['veux', 'voudrais', 'souhaite', 'besoin', 'puis', 'pouvez', 'peux'],
  },
  de: {
    person: ['mensch', 'menschen', 'mitarbeiter', 'mitarbeiterin', 'person', 'berater', 'jemand', 'jemandem', 'agent'],
    talk: ['sprechen', 'reden', 'verbinden', 'schreiben', 'weiterleiten'],
    ask: ['mochte', 'moechte', 'will', 'kann', 'konnen', 'bitte', 'brauche'],
  },
  it: {
    person: ['persona', 'umano', 'operatore', 'operatrice', 'qualcuno', 'agente', 'consulente'],
    talk: ['parlare', 'parlo', 'contattare', 'passare', 'trasferire'],
    ask: ['voglio', 'vorrei', 'posso', 'puo', 'potrei', 'favore', 'bisogno'],
  },
  pt: {
    person: ['pessoa', 'humano', 'atendente', 'agente', 'operador', 'alguem', 'consultor'],
    talk: ['falar', 'conversar', 'transferir', 'contatar'],
    ask: ['quero', 'queria', 'gostaria', 'preciso', 'posso', 'pode', 'favor'],
  },
  hu: {
    person: ['emberrel', 'ember', 'ugyintezovel', 'ugyintezo', 'operatorral', 'kollegaval', 'valakivel', 'munkatarssal'],
    talk: ['beszelni', 'beszelhetek', 'beszelnek', 'kapcsoljon', 'atkapcsolna'],
    ask: ['szeretnek', 'akarok', 'kerem', 'lehet', 'tudok'],
  },
  pl: {
    person: ['czlowiekiem', 'czlowiek', 'konsultantem', 'konsultant', 'osoba', 'osoby', 'kims', 'pracownikiem', 'operatorem'],
    talk: ['rozmawiac', 'porozmawiac', 'polaczyc', 'mowic'],
    ask: ['chce', 'chcialbym', 'chcialabym', 'moge', 'prosze', 'potrzebuje'],
  },
  ru: {
    person: ['человеком', 'человек', 'оператором', 'оператор', 'менеджером', 'менеджер', 'консультантом', 'сотрудником', 'живым'],
    talk: ['поговорить', 'говорить', 'связаться', 'соедините', 'переключите', 'общаться'],
    ask: ['хочу', 'хотел', 'хотела', 'можно', 'могу', 'пожалуйста', 'нужен', 'нужно'],
  },
  uk: {
    person: ['людиною', 'людина', 'оператором', 'оператор', 'менеджером', 'консультантом', 'працівником', 'живою'],
    talk: ['поговорити', 'говорити', 'звязатися', 'зв', 'зєднайте', 'переключіть'],
    ask: ['хочу', 'хотів', 'хотіла', 'можна', 'можу', 'будь', 'ласка', 'потрібен'],
  },
  bg: {
    person: ['човек', 'оператор', 'служител', 'консултант', 'някого', 'жив'],
    talk: ['говоря', 'разговарям', 'свържа', 'свържете', 'прехвърлете'],
    ask: ['искам', 'може', 'мога', 'моля', 'бих'],
  },
  tr: {
    person: ['insan', 'insanla', 'temsilci', 'temsilciyle', 'operator', 'operatorle', 'yetkili', 'yetkiliyle', 'birisiyle', 'canli'],
    talk: ['konusmak', 'gorusmek', 'baglanmak', 'baglayin', 'aktarin', 'konusabilir'],
    ask: ['istiyorum', 'lutfen', 'miyim', 'misiniz', 'mumkun'],
  },
  el: {
    person: ['άνθρωπο', 'άνθρωπος', 'εκπρόσωπο', 'υπάλληλο', 'συνάδελφο', 'χειριστή'],
    talk: ['μιλήσω', 'μιλήσουμε', 'μιλάω', 'συνδέσετε', 'συνδέστε'],
    ask: ['θέλω', 'ήθελα', 'μπορώ', 'παρακαλώ'],
  },
  ar: {
    person: ['موظف', 'موظفة', 'إنسان', 'انسان', 'شخص', 'ممثل', 'مندوب'],
    talk: ['التحدث', 'أتحدث', 'اتحدث', 'التكلم', 'أتكلم', 'اتكلم', 'أكلم', 'كلم', 'تحويلي', 'حولني'],
    ask: ['أريد', 'اريد', 'ممكن', 'أرجو', 'ارجو', 'فضلك'],
    phrases: ['خدمة العملاء', 'موظف خدمة'],
  },
  hi: {
    person: ['व्यक्ति', 'इंसान', 'आदमी', 'कर्मचारी', 'एजेंट', 'प्रतिनिधि', 'ऑपरेटर'],
    talk: ['बात', 'बातचीत', 'जोड़िए', 'जोड़ें', 'कनेक्ट'],
    ask: ['चाहता', 'चाहती', 'मुझे', 'कृपया', 'करनी', 'करना'],
  },
  ko: {
    person: ['상담원과', '상담원', '상담사', '사람과', '사람', '직원과', '직원'],
    talk: ['이야기하고', '이야기', '통화하고', '통화', '연결해', '연결', '대화하고', '대화'],
    ask: ['싶어요', '싶습니다', '주세요', '해주세요'],
  },
  // Chinese and Japanese write no spaces: whole phrases, found anywhere in the message.
  zh: { person: [], talk: [], ask: [], phrases: ['人工客服', '转人工', '找人工', '真人客服', '找客服', '联系客服', '人工服务'] },
  ja: { person: [], talk: [], ask: [], phrases: ['担当者と話', 'スタッフと話', '人と話', 'オペレーターと話', '有人対応', 'オペレーターにつない'] },
  nl: {
    person: ['mens', 'medewerker', 'persoon', 'iemand', 'agent', 'operator'],
    talk: ['praten', 'spreken', 'verbinden', 'doorverbinden'],
    ask: ['wil', 'graag', 'kan', 'mag', 'alstublieft', 'zou'],
  },
};

/** Letters of scripts written without spaces between words (Thai, Lao, Chinese, Japanese). */
const UNSPACED_SCRIPT = /[\u0e00-\u0eff\u3040-\u30ff\u3400-\u9fff]/;

/** Typos only count in longer words: "om" must be "om", "operater" may be "operator". */
const TYPO_MIN_LENGTH = 5;

/** A word, and the word with each one of its letters dropped. */
function dropOneLetter(word: string): string[] {
  const keys = [word];
  for (let i = 0; i < word.length; i++) keys.push(word.slice(0, i) + word.slice(i + 1));
  return keys;
}

/**
 * Cue words of one kind (person, talk or ask), and the languages each belongs to, indexed so a
 * word is compared only with the few cues it could be a typo of: every cue long enough for a typo
 * is filed under itself and under each way of dropping one of its letters. Two words one edit
 * apart (a letter changed, added or dropped, or two neighbours swapped) always share such a key.
 * A message is checked against every language at once in a handful of lookups: this runs in the
 * workflow for every customer message.
 */
class CueIndex {
  private readonly exact = new Map<string, number[]>();
  private readonly nearby = new Map<string, string[]>();
  /**
   * No word longer than this can be a cue or one typo away from one (one edit changes a length by
   * one at most), so longer words are not looked at: a 4 KB "word" would otherwise cost thousands
   * of 4 KB keys hashed per message, inside the workflow, on every replay. Every answer stays what
   * it was, so recorded histories replay unchanged.
   */
  private longest = 0;

  constructor(cues: { words: string[]; language: number }[]) {
    for (const { words, language } of cues) {
      for (const word of new Set(words.map(fold))) {
        const languages = this.exact.get(word);
        if (languages) {
          if (!languages.includes(language)) languages.push(language);
          continue;
        }
        this.exact.set(word, [language]);
        this.longest = Math.max(this.longest, word.length);
        if (word.length < TYPO_MIN_LENGTH) continue;
        for (const key of new Set(dropOneLetter(word))) this.nearby.set(key, [...(this.nearby.get(key) ?? []), word]);
      }
    }
  }

  /** The languages in which `word` is one of these cues, or one typo away from one. */
  languagesOf(word: string): Set<number> {
    if (word.length > this.longest + 1) return new Set();
    const found = new Set(this.exact.get(word));
    if (word.length < TYPO_MIN_LENGTH || NOT_TYPOS.has(word)) return found;
    for (const key of dropOneLetter(word)) {
      for (const cue of this.nearby.get(key) ?? []) {
        if (withinOneEdit(word, cue)) for (const language of this.exact.get(cue)!) found.add(language);
      }
    }
    return found;
  }
}

/**
 * Every language's cues, folded the way messages are (lower case, no diacritics), so a cue
 * written with its accents ("человеком", "mluvit s člověkem") still matches.
 */
const LANGUAGES: LanguageCues[] = Object.values({ ...FIRST_CUES, ...europeCues, ...asiaAfricaCues });
const cuesOf = (kind: 'person' | 'talk' | 'ask') => new CueIndex(LANGUAGES.map((cues, language) => ({ words: cues[kind], language })));
const PERSON = cuesOf('person');
const TALK = cuesOf('talk');
const ASK = cuesOf('ask');

/** Whole phrases, in any language. Thai, Lao, Chinese and Japanese write no spaces between words: theirs are found anywhere. */
const PHRASES = LANGUAGES.flatMap((cues) => cues.phrases ?? []).map(fold).map((phrase) => ({ spaced: ` ${phrase} `, anywhere: UNSPACED_SCRIPT.test(phrase) ? phrase : null }));

/** Words that on their own never make a request however they are combined ("resources" in HR). */
const BLOCKERS = new Set(['resources', 'resurse', 'rights', 'drepturile', 'nature', 'natura', 'being', 'error', 'eroare']);

/** Real words one typo away from a cue that tell of the past, not a request: never fuzzy-matched. */
const NOT_TYPOS = new Set(['vorbit', 'vorbea', 'discutat', 'transferat', 'talked', 'spoke', 'spoken', 'hablado', 'parle', 'gesprochen', 'parlato', 'falado', ...europeNotTypos]);

const MAX_WORDS = 16;

function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
}

function words(text: string): string[] {
  return fold(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Damerau-Levenshtein distance, stopping early past 1: is `a` at most one edit from `b`? */
function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const restA = a.slice(i + 1);
  const restB = b.slice(i + 1);
  if (a.length === b.length) {
    // substitution, or a swap of two neighbours
    return restA === restB || (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

export function isHumanRequest(text: string): boolean {
  const tokens = words(text);
  if (tokens.length === 0 || tokens.length > MAX_WORDS) return false;
  if (tokens.some((t) => BLOCKERS.has(t))) return false;
  const folded = ` ${tokens.join(' ')} `;
  if (PHRASES.some(({ spaced, anywhere }) => folded.includes(spaced) || (anywhere !== null && folded.includes(anywhere)))) return true;
  const person = tokens.map((t) => PERSON.languagesOf(t));
  const languages = languagesOfAny(person);
  if (languages.size === 0) return false;
  const talk = languagesOfAny(tokens.map((t) => TALK.languagesOf(t)));
  // "vreau un operator", "I need a human": a request plus a person, in a short message.
  const ask = tokens.length <= 6 ? languagesOfAny(tokens.map((t) => ASK.languagesOf(t))) : new Set<number>();
  if ([...languages].some((language) => talk.has(language) || ask.has(language))) return true;
  // Only the person word(s), in any language: "operator", "agent uman".
  return tokens.length <= 2 && person.every((found) => found.size > 0);
}

function languagesOfAny(perToken: Set<number>[]): Set<number> {
  return new Set(perToken.flatMap((found) => [...found]));
}
