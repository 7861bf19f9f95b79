import type { Script } from './supported.js';

/**
 * What the detectors and the policy need to know about a message before guessing its language:
 * which scripts its letters belong to, its words, and how long it is. Computed with plain code
 * point ranges instead of Unicode property regexes because it runs on every message and the
 * budget is tens of thousands of detections per second.
 */
export interface TextProfile {
  /** Letters per script (digits, punctuation, emoji and spaces are not letters). */
  scripts: Partial<Record<Script, number>>;
  letters: number;
  /** The script that carries the message, weighted so one CJK character counts like a short word. */
  dominant: Script | undefined;
  /** Lower-cased words, apostrophes kept inside them ("c'est", "don't"). */
  words: string[];
}

export function scriptOf(codePoint: number): Script | undefined {
  if (codePoint < 0x80) {
    return (codePoint >= 0x61 && codePoint <= 0x7a) || (codePoint >= 0x41 && codePoint <= 0x5a) ? 'latin' : undefined;
  }
  if (codePoint <= 0x24f) return codePoint >= 0xc0 && codePoint !== 0xd7 && codePoint !== 0xf7 ? 'latin' : undefined;
  // Azerbaijani's schwa is the one IPA letter a national alphabet uses.
  if (codePoint === 0x259) return 'latin';
  if (codePoint >= 0x370 && codePoint <= 0x3ff) return codePoint === 0x37e || codePoint === 0x387 ? undefined : 'greek';
  if (codePoint >= 0x400 && codePoint <= 0x52f) return codePoint >= 0x482 && codePoint <= 0x489 ? undefined : 'cyrillic';
  if (codePoint >= 0x531 && codePoint <= 0x58f) return codePoint >= 0x589 ? undefined : 'armenian';
  if (codePoint >= 0x5d0 && codePoint <= 0x5ea) return 'hebrew';
  if (codePoint >= 0x600 && codePoint <= 0x6ff) return isArabicLetter(codePoint) ? 'arabic' : undefined;
  if (codePoint >= 0x750 && codePoint <= 0x77f) return 'arabic';
  if (codePoint >= 0x8a0 && codePoint <= 0x8ff) return 'arabic';
  if (codePoint >= 0x900 && codePoint <= 0x97f) return codePoint === 0x964 || codePoint === 0x965 ? undefined : 'devanagari';
  if (codePoint >= 0x980 && codePoint <= 0xd7f) return indicScript(codePoint);
  // Thai's baht sign, digits and punctuation are not letters.
  if (codePoint >= 0xe00 && codePoint <= 0xe7f) return codePoint === 0xe3f || codePoint >= 0xe4f ? undefined : 'thai';
  if (codePoint >= 0xe80 && codePoint <= 0xeff) return 'lao';
  if ((codePoint >= 0x10a0 && codePoint <= 0x10ff) || (codePoint >= 0x1c90 && codePoint <= 0x1cbf)) return 'georgian';
  if (codePoint >= 0x1200 && codePoint <= 0x139f) return codePoint >= 0x1360 && codePoint <= 0x137c ? undefined : 'ethiopic';
  if (codePoint >= 0x1100 && codePoint <= 0x11ff) return 'hangul';
  if (codePoint >= 0x1e00 && codePoint <= 0x1eff) return 'latin';
  if (codePoint >= 0x1f00 && codePoint <= 0x1fff) return 'greek';
  if (codePoint >= 0x3040 && codePoint <= 0x30ff) return codePoint === 0x30fb ? undefined : 'kana';
  if (codePoint >= 0x3130 && codePoint <= 0x318f) return 'hangul';
  if (codePoint >= 0x31f0 && codePoint <= 0x31ff) return 'kana';
  if (codePoint >= 0x3400 && codePoint <= 0x4dbf) return 'han';
  if (codePoint >= 0x4e00 && codePoint <= 0x9fff) return 'han';
  if (codePoint >= 0xac00 && codePoint <= 0xd7af) return 'hangul';
  if (codePoint >= 0xf900 && codePoint <= 0xfaff) return 'han';
  if (codePoint >= 0xfb50 && codePoint <= 0xfdff) return 'arabic';
  if (codePoint >= 0xfe70 && codePoint <= 0xfeff) return 'arabic';
  if (codePoint >= 0xff66 && codePoint <= 0xff9f) return 'kana';
  if (codePoint >= 0x20000 && codePoint <= 0x3134f) return 'han';
  return undefined;
}

/** The nine Brahmic blocks after Devanagari, 128 code points each, in Unicode's order. */
const INDIC_BLOCKS: readonly Script[] = ['bengali', 'gurmukhi', 'gujarati', 'oriya', 'tamil', 'telugu', 'kannada', 'malayalam'];

function indicScript(codePoint: number): Script | undefined {
  const offset = codePoint & 0x7f;
  // Each block's digits (0x66-0x6f) say nothing about the language.
  if (offset >= 0x66 && offset <= 0x6f) return undefined;
  return INDIC_BLOCKS[(codePoint - 0x980) >> 7];
}

function isArabicLetter(codePoint: number): boolean {
  // Arabic punctuation (، ؛ ؟) and digits are not evidence of the language.
  if (codePoint === 0x60c || codePoint === 0x61b || codePoint === 0x61f) return false;
  return !(codePoint >= 0x660 && codePoint <= 0x669) && !(codePoint >= 0x6f0 && codePoint <= 0x6f9);
}

/** How much one letter of a script weighs when picking the dominant script. */
const SCRIPT_WEIGHT: Record<Script, number> = {
  latin: 1, cyrillic: 1, greek: 1, arabic: 1, devanagari: 1, han: 3, kana: 3, hangul: 2,
  hebrew: 1, thai: 1, lao: 1, georgian: 1, armenian: 1, ethiopic: 2,
  bengali: 1, gurmukhi: 1, gujarati: 1, oriya: 1, tamil: 1, telugu: 1, kannada: 1, malayalam: 1,
};

const APOSTROPHES = /[\u2019\u02bc\u0060\u00b4]/g;

export function profileText(text: string): TextProfile {
  const scripts: Partial<Record<Script, number>> = {};
  const words: string[] = [];
  let letters = 0;
  let word = '';
  const lower = text.normalize('NFC').replace(APOSTROPHES, "'").toLowerCase();
  for (const char of lower) {
    const codePoint = char.codePointAt(0)!;
    const script = scriptOf(codePoint);
    const isMark = codePoint >= 0x300 && codePoint <= 0x36f;
    if (script !== undefined) {
      scripts[script] = (scripts[script] ?? 0) + 1;
      letters++;
      word += char;
    } else if (isMark) {
      // A combining accent NFC could not compose still belongs to its word.
      word += char;
    } else if (char === "'" && word !== '') {
      word += char;
    } else if (word !== '') {
      words.push(word);
      word = '';
    }
  }
  if (word !== '') words.push(word);

  let dominant: Script | undefined;
  let best = 0;
  for (const [script, count] of Object.entries(scripts) as [Script, number][]) {
    const weight = count * SCRIPT_WEIGHT[script];
    if (weight > best) {
      best = weight;
      dominant = script;
    }
  }
  // Japanese writes most content words in Han characters; any kana at all settles it is not Chinese.
  if (dominant === 'han' && (scripts.kana ?? 0) > 0) dominant = 'kana';
  if (dominant === 'han' && (scripts.hangul ?? 0) > 0) dominant = 'hangul';
  return { scripts, letters, dominant, words };
}

/** Latin words without diacritics, the way people type on a phone keyboard ("multumesc", "pret"). */
export function foldLatin(word: string): string {
  let folded = word.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  if (/[łßıøæœđ]/.test(folded)) {
    folded = folded.replace(/ł/g, 'l').replace(/ß/g, 'ss').replace(/ı/g, 'i').replace(/ø/g, 'o')
      .replace(/æ/g, 'ae').replace(/œ/g, 'oe').replace(/đ/g, 'd');
  }
  return folded;
}

/** Russian and Bulgarian chat often writes ё as е; the word lists keep the е spelling. */
export function foldCyrillic(word: string): string {
  return word.includes('ё') ? word.replace(/ё/g, 'е') : word;
}
