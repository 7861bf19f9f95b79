import { CYRILLIC_LANGUAGES, LATIN_LANGUAGES, type SupportedLanguage } from './supported.js';

/**
 * Letters beyond plain a-z / а-я tell languages apart even in a one-word message: "ă" is
 * Romanian, "ő" Hungarian, "ы" Russian, "ї" Ukrainian. Each language has an alphabet; a letter
 * outside it is evidence against the language (and, in the policy, a reason not to keep a
 * conversation's language), a letter inside it is evidence for it, weighted by how few of our
 * languages share it.
 */
const LATIN_ALPHABETS: Record<string, string> = {
  ro: 'ăâîșşțţ',
  en: '',
  es: 'áéíóúüñ',
  fr: 'àâæçéèêëîïôœùûüÿ',
  de: 'äöüß',
  it: 'àèéìíîòóùú',
  pt: 'áâãàçéêíóôõúü',
  nl: 'áéèëïóöüêíú',
  pl: 'ąćęłńóśźż',
  hu: 'áéíóöőúüű',
  tr: 'çğıöşüâîû',
};

const CYRILLIC_BASE = 'абвгдежзийклмнопрстуфхцчшщьюя';
const CYRILLIC_ALPHABETS: Record<string, string> = {
  ru: `${CYRILLIC_BASE}ёъыэ`,
  uk: `${CYRILLIC_BASE}єіїґ`,
  bg: `${CYRILLIC_BASE}ъѝ`,
};

/** How strongly a letter points at each language that uses it; unlisted letters get a small default. */
const LETTER_WEIGHTS: Record<string, Partial<Record<SupportedLanguage, number>>> = {
  ă: { ro: 3 }, ș: { ro: 3 }, ț: { ro: 3 }, ţ: { ro: 3 }, ş: { ro: 1.5, tr: 2 },
  â: { ro: 0.6, fr: 0.4, pt: 0.6, tr: 0.3 }, î: { ro: 1.5, fr: 0.5, it: 0.1, tr: 0.1 },
  ñ: { es: 3 }, ä: { de: 3 }, ß: { de: 3 },
  ü: { de: 1, hu: 0.8, tr: 1, es: 0.2, fr: 0.1, pt: 0.1, nl: 0.3 },
  ö: { de: 1, hu: 1.2, tr: 1, nl: 0.3 },
  ą: { pl: 3 }, ę: { pl: 3 }, ł: { pl: 3 }, ń: { pl: 3 }, ś: { pl: 3 }, ź: { pl: 3 }, ż: { pl: 3 }, ć: { pl: 3 },
  ő: { hu: 3 }, ű: { hu: 3 }, ğ: { tr: 3 }, ı: { tr: 3 },
  ã: { pt: 3 }, õ: { pt: 3 }, ç: { fr: 1.2, pt: 1.2, tr: 1.2 },
  ê: { fr: 1, pt: 1, nl: 0.2 }, ô: { fr: 1, pt: 1 },
  à: { fr: 1, it: 1, pt: 0.5 }, è: { fr: 1, it: 1.2, nl: 0.3 },
  é: { fr: 0.8, es: 0.5, pt: 0.5, it: 0.4, hu: 0.8, nl: 0.3 },
  á: { es: 0.8, pt: 0.8, hu: 1.2, nl: 0.1 }, í: { es: 0.8, pt: 0.6, hu: 1, it: 0.1, nl: 0.1 },
  ó: { es: 0.8, pt: 0.6, hu: 1, pl: 0.8, it: 0.1, nl: 0.1 }, ú: { es: 0.6, pt: 0.5, hu: 1, it: 0.1, nl: 0.1 },
  ì: { it: 2.5 }, ò: { it: 2.5 }, ù: { it: 1.2, fr: 1 }, û: { fr: 1.5, tr: 0.3 },
  ë: { nl: 1.2, fr: 0.8 }, ï: { fr: 1, nl: 1 }, œ: { fr: 2 }, æ: { fr: 1 }, ÿ: { fr: 1 },
  ы: { ru: 3 }, э: { ru: 3 }, ё: { ru: 3 }, ъ: { bg: 2.5, ru: 0.3 },
  і: { uk: 3 }, ї: { uk: 3 }, є: { uk: 3 }, ґ: { uk: 3 }, ѝ: { bg: 3 },
};

/** Penalty for each distinct letter a language does not use. */
const FOREIGN_LETTER = -2;

function isPlainLatin(char: string): boolean {
  return char >= 'a' && char <= 'z';
}

function isPlainCyrillic(char: string): boolean {
  return CYRILLIC_BASE.includes(char);
}

/** Adds letter evidence for `languages` into `scores` (lower-cased text expected). */
export function addLetterEvidence(
  text: string,
  script: 'latin' | 'cyrillic',
  scores: Map<SupportedLanguage, number>,
): void {
  const languages = script === 'latin' ? LATIN_LANGUAGES : CYRILLIC_LANGUAGES;
  const alphabets = script === 'latin' ? LATIN_ALPHABETS : CYRILLIC_ALPHABETS;
  const seen = new Set<string>();
  for (const char of text) {
    if (seen.has(char)) continue;
    seen.add(char);
    if (script === 'latin' ? isPlainLatin(char) || !isLatinLetter(char) : isPlainCyrillic(char) || !isCyrillicLetter(char)) {
      continue;
    }
    const weights = LETTER_WEIGHTS[char];
    for (const language of languages) {
      const inAlphabet = alphabets[language]!.includes(char);
      const delta = inAlphabet ? (weights?.[language] ?? 0.2) : FOREIGN_LETTER;
      scores.set(language, (scores.get(language) ?? 0) + delta);
    }
  }
  if (script === 'latin') {
    // Inverted question and exclamation marks are written only in Spanish.
    if (text.includes('¿') || text.includes('¡')) scores.set('es', (scores.get('es') ?? 0) + 3);
    // Turkish capital İ lower-cases to i + combining dot, which no other language produces.
    if (text.includes('\u0307')) scores.set('tr', (scores.get('tr') ?? 0) + 3);
  }
}

function isLatinLetter(char: string): boolean {
  const code = char.codePointAt(0)!;
  return (code >= 0xc0 && code <= 0x24f && code !== 0xd7 && code !== 0xf7) || (code >= 0x1e00 && code <= 0x1eff);
}

function isCyrillicLetter(char: string): boolean {
  const code = char.codePointAt(0)!;
  return code >= 0x400 && code <= 0x52f;
}

/**
 * True when every letter of the (lower-cased) text can be written in `language`'s alphabet.
 * Only meaningful for Latin and Cyrillic languages; others always agree here (their script check
 * is done elsewhere).
 */
export function alphabetAllows(text: string, language: string): boolean {
  const latin = LATIN_ALPHABETS[language];
  const cyrillic = CYRILLIC_ALPHABETS[language];
  if (latin === undefined && cyrillic === undefined) return true;
  for (const char of text) {
    if (latin !== undefined && isLatinLetter(char) && !latin.includes(char)) return false;
    if (cyrillic !== undefined && isCyrillicLetter(char) && !isPlainCyrillic(char) && !cyrillic.includes(char)) {
      return false;
    }
  }
  return true;
}
