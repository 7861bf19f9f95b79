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
  az: 'çəğıöşü',
  ca: 'àçéèíïòóúü',
  cs: 'áčďéěíňóřšťúůýž',
  da: 'æøåéó',
  et: 'äõöüšž',
  eu: 'ñü',
  fi: 'äöåšž',
  hr: 'čćđšž',
  is: 'áðéíóúýþæö',
  lt: 'ąčęėįšųūž',
  lv: 'āčēģīķļņšūž',
  ms: '',
  no: 'æøåéèóòô',
  sk: 'áäčďéíĺľňóôŕšťúýž',
  sl: 'čšžćđ',
  sq: 'çë',
  sr: 'čćđšž',
  sv: 'åäöé',
  tl: 'ñ',
  vi: 'àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ',
  yo: 'àáèéẹìíòóọùúṣńǹḿ',
};

const CYRILLIC_BASE = 'абвгдежзийклмнопрстуфхцчшщьюя';
const CYRILLIC_ALPHABETS: Record<string, string> = {
  ru: `${CYRILLIC_BASE}ёъыэ`,
  uk: `${CYRILLIC_BASE}єіїґ`,
  bg: `${CYRILLIC_BASE}ъѝ`,
  be: `${CYRILLIC_BASE}ёіўыэ`,
  sr: `${CYRILLIC_BASE}ђјљњћџ`,
};

/** How strongly a letter points at each language that uses it; unlisted letters get a small default. */
const LETTER_WEIGHTS: Record<string, Partial<Record<SupportedLanguage, number>>> = {
  ă: { ro: 3, vi: 1 }, ș: { ro: 3 }, ț: { ro: 3 }, ţ: { ro: 3 }, ş: { ro: 1.5, tr: 2, az: 1.5 },
  â: { ro: 0.6, fr: 0.4, pt: 0.6, tr: 0.3 }, î: { ro: 1.5, fr: 0.5, it: 0.1, tr: 0.1 },
  ñ: { es: 3, eu: 0.5, tl: 0.5 }, ä: { de: 1.8, sv: 1.2, fi: 1.5, et: 1.2, sk: 0.3 }, ß: { de: 3 },
  ü: { de: 1, hu: 0.8, tr: 1, es: 0.2, fr: 0.1, pt: 0.1, nl: 0.3, az: 1, et: 0.5 },
  ö: { de: 1, hu: 1.2, tr: 1, nl: 0.3, sv: 1, fi: 1, et: 0.8, is: 0.5, az: 0.8 },
  ą: { pl: 3, lt: 1 }, ę: { pl: 3, lt: 1 }, ł: { pl: 3 }, ń: { pl: 3 }, ś: { pl: 3 }, ź: { pl: 3 }, ż: { pl: 3 },
  ć: { pl: 2, hr: 1.5, sr: 1.5, sl: 0.2 },
  ő: { hu: 3 }, ű: { hu: 3 }, ğ: { tr: 3, az: 2 }, ı: { tr: 3, az: 2 },
  ã: { pt: 3, vi: 0.5 }, õ: { pt: 3, et: 2.5, vi: 0.5 }, ç: { fr: 1.2, pt: 1.2, tr: 1.2, az: 1, ca: 1, sq: 1.2 },
  ə: { az: 4 }, ř: { cs: 4 }, ů: { cs: 4 }, ě: { cs: 4 }, ľ: { sk: 4 }, ĺ: { sk: 4 }, ŕ: { sk: 4 },
  č: { cs: 1, sk: 1, hr: 1, sl: 1, sr: 1, lt: 0.6, lv: 0.6 }, š: { cs: 1, sk: 1, hr: 1, sl: 1, sr: 1, lt: 0.6, lv: 0.6, et: 0.3, fi: 0.1 },
  ž: { cs: 1, sk: 1, hr: 1, sl: 1, sr: 1, lt: 0.6, lv: 0.6, et: 0.3, fi: 0.1 },
  đ: { hr: 1.5, sr: 1.5, vi: 1.5 }, ď: { cs: 2, sk: 2 }, ť: { cs: 2, sk: 2 }, ň: { cs: 2, sk: 2 }, ý: { cs: 1.5, sk: 1.5, is: 1 },
  ð: { is: 4 }, þ: { is: 4 }, ė: { lt: 4 }, į: { lt: 4 }, ų: { lt: 4 }, ū: { lt: 2, lv: 2 },
  ā: { lv: 4 }, ē: { lv: 4 }, ī: { lv: 4 }, ģ: { lv: 4 }, ķ: { lv: 4 }, ļ: { lv: 4 }, ņ: { lv: 4 },
  å: { sv: 1.5, no: 1.5, da: 1.5, fi: 0.1 }, ø: { no: 2, da: 2 },
  ơ: { vi: 4 }, ư: { vi: 4 }, ạ: { vi: 4 }, ả: { vi: 4 }, ẹ: { yo: 3, vi: 2 }, ọ: { yo: 3, vi: 2 }, ṣ: { yo: 4 },
  ê: { fr: 1, pt: 1, nl: 0.2 }, ô: { fr: 1, pt: 1 },
  à: { fr: 1, it: 1, pt: 0.5 }, è: { fr: 1, it: 1.2, nl: 0.3 },
  é: { fr: 0.8, es: 0.5, pt: 0.5, it: 0.4, hu: 0.8, nl: 0.3 },
  á: { es: 0.8, pt: 0.8, hu: 1.2, nl: 0.1, cs: 0.7, sk: 0.7, is: 0.5 }, í: { es: 0.8, pt: 0.6, hu: 1, it: 0.1, nl: 0.1, cs: 0.7, sk: 0.7, is: 0.5 },
  ó: { es: 0.8, pt: 0.6, hu: 1, pl: 0.8, it: 0.1, nl: 0.1 }, ú: { es: 0.6, pt: 0.5, hu: 1, it: 0.1, nl: 0.1 },
  ì: { it: 2.5 }, ò: { it: 2.5 }, ù: { it: 1.2, fr: 1 }, û: { fr: 1.5, tr: 0.3 },
  ë: { nl: 1.2, fr: 0.8, sq: 2 }, ï: { fr: 1, nl: 1, ca: 0.8 }, œ: { fr: 2 }, æ: { fr: 0.3, da: 1.5, no: 1.5, is: 1.5 }, ÿ: { fr: 1 },
  ы: { ru: 2.5, be: 1.5 }, э: { ru: 2.5, be: 1.5 }, ё: { ru: 2.5, be: 1.5 }, ъ: { bg: 2.5, ru: 0.3 },
  і: { uk: 3, be: 2 }, ї: { uk: 3 }, є: { uk: 3 }, ґ: { uk: 3 }, ѝ: { bg: 3 }, ў: { be: 4 },
  ђ: { sr: 4 }, ј: { sr: 4 }, љ: { sr: 4 }, њ: { sr: 4 }, ћ: { sr: 4 }, џ: { sr: 4 },
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
  if (script === 'cyrillic') {
    // Letters of the shared base that one language never writes: Belarusian has no и or щ,
    // Serbian none of щ ы э ё й я ю ь ъ (it writes ј, љ, њ instead).
    if (/[ищ]/.test(text)) scores.set('be', (scores.get('be') ?? 0) + FOREIGN_LETTER);
    if (/[щыэёйяюьъ]/.test(text)) scores.set('sr', (scores.get('sr') ?? 0) + FOREIGN_LETTER);
  }
  if (script === 'latin') {
    // Inverted question and exclamation marks are written only in Spanish.
    if (text.includes('¿') || text.includes('¡')) scores.set('es', (scores.get('es') ?? 0) + 3);
    // Turkish capital İ lower-cases to i + combining dot, which no other language produces.
    if (text.includes('\u0307')) scores.set('tr', (scores.get('tr') ?? 0) + 3);
    // The middle dot of "l·l" is Catalan's alone.
    if (text.includes('l·l')) scores.set('ca', (scores.get('ca') ?? 0) + 4);
  }
}

function isLatinLetter(char: string): boolean {
  const code = char.codePointAt(0)!;
  return (code >= 0xc0 && code <= 0x24f && code !== 0xd7 && code !== 0xf7) || code === 0x259 || (code >= 0x1e00 && code <= 0x1eff);
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
