import type { LanguageCode } from './detector.js';

/**
 * The languages the embedded detector tells apart: every language of eld's n-gram database, the
 * twenty Caty started with first. A conversation may still be in a language outside this list
 * when AWS Comprehend detects one (Swahili, Welsh...): languages are codes, not this type.
 */
export const SUPPORTED_LANGUAGES = [
  'ro', 'en', 'es', 'fr', 'de', 'it', 'pt', 'nl', 'pl', 'hu', 'tr',
  'ru', 'uk', 'bg', 'el', 'ar', 'hi', 'zh', 'ja', 'ko',
  'az', 'ca', 'cs', 'da', 'et', 'eu', 'fi', 'hr', 'is', 'lt', 'lv', 'ms', 'no', 'sk', 'sl', 'sq',
  'sv', 'tl', 'vi', 'yo', 'be', 'sr', 'fa', 'ur', 'ku', 'mr', 'he', 'th', 'lo', 'ka', 'hy', 'am',
  'bn', 'pa', 'gu', 'or', 'ta', 'te', 'kn', 'ml',
] as const;

export type SupportedLanguage = (typeof SUPPORTED_LANGUAGES)[number];

const supportedSet: ReadonlySet<string> = new Set(SUPPORTED_LANGUAGES);

export function isSupportedLanguage(code: string | null | undefined): code is SupportedLanguage {
  return code !== null && code !== undefined && supportedSet.has(code);
}

/**
 * A detector's answer as a conversation's language: the base language of a regional tag
 * ("zh-TW", "pt-BR" → "zh", "pt"), lower case; ISO 639-1 where it exists, otherwise the
 * detector's own two- or three-letter code ("ceb", "war"). Undefined for "und" and anything
 * that is not a language code.
 */
export function toLanguageCode(code: string | null | undefined): LanguageCode | undefined {
  if (!code) return undefined;
  const base = code.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  if (!/^[a-z]{2,3}$/.test(base) || base === 'und') return undefined;
  return base;
}

export const LATIN_LANGUAGES: readonly SupportedLanguage[] = [
  'ro', 'en', 'es', 'fr', 'de', 'it', 'pt', 'nl', 'pl', 'hu', 'tr',
  'az', 'ca', 'cs', 'da', 'et', 'eu', 'fi', 'hr', 'is', 'lt', 'lv', 'ms', 'no', 'sk', 'sl', 'sq',
  'sv', 'tl', 'vi', 'yo', 'sr',
];
export const CYRILLIC_LANGUAGES: readonly SupportedLanguage[] = ['ru', 'uk', 'bg', 'be', 'sr'];
export const ARABIC_SCRIPT_LANGUAGES: readonly SupportedLanguage[] = ['ar', 'fa', 'ur', 'ku'];
export const DEVANAGARI_LANGUAGES: readonly SupportedLanguage[] = ['hi', 'mr'];

export type Script =
  | 'latin' | 'cyrillic' | 'greek' | 'arabic' | 'devanagari' | 'han' | 'kana' | 'hangul'
  | 'hebrew' | 'thai' | 'lao' | 'georgian' | 'armenian' | 'ethiopic'
  | 'bengali' | 'gurmukhi' | 'gujarati' | 'oriya' | 'tamil' | 'telugu' | 'kannada' | 'malayalam';

/** Scripts that only one of our languages writes: the script alone names the language. */
export const SCRIPT_LANGUAGE: Partial<Record<Script, SupportedLanguage>> = {
  greek: 'el', hangul: 'ko', kana: 'ja', hebrew: 'he', thai: 'th', lao: 'lo', georgian: 'ka',
  armenian: 'hy', ethiopic: 'am', bengali: 'bn', gurmukhi: 'pa', gujarati: 'gu', oriya: 'or',
  tamil: 'ta', telugu: 'te', kannada: 'kn', malayalam: 'ml',
};

/** Which scripts a language is written in (Japanese mixes kana with Han characters; Serbian both alphabets). */
export const LANGUAGE_SCRIPTS: Readonly<Record<SupportedLanguage, readonly Script[]>> = buildLanguageScripts();

function buildLanguageScripts(): Record<SupportedLanguage, readonly Script[]> {
  const scripts: Partial<Record<SupportedLanguage, readonly Script[]>> = {};
  for (const code of LATIN_LANGUAGES) scripts[code] = ['latin'];
  for (const code of CYRILLIC_LANGUAGES) scripts[code] = ['cyrillic'];
  for (const code of ARABIC_SCRIPT_LANGUAGES) scripts[code] = ['arabic'];
  for (const code of DEVANAGARI_LANGUAGES) scripts[code] = ['devanagari'];
  for (const [script, code] of Object.entries(SCRIPT_LANGUAGE) as [Script, SupportedLanguage][]) scripts[code] = [script];
  Object.assign(scripts, { sr: ['cyrillic', 'latin'], zh: ['han'], ja: ['kana', 'han'], ko: ['hangul', 'han'] });
  const missing = SUPPORTED_LANGUAGES.filter((code) => scripts[code] === undefined);
  if (missing.length > 0) throw new Error(`no script for ${missing.join(', ')}`);
  return scripts as Record<SupportedLanguage, readonly Script[]>;
}

export function languageScripts(code: string | null | undefined): readonly Script[] {
  return isSupportedLanguage(code) ? LANGUAGE_SCRIPTS[code] : [];
}
