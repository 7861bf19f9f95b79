import type { LanguageCode } from './detector.js';

/**
 * The languages Caty detects and answers in. Detectors never return anything else: a code outside
 * this set would leave the conversation without a catalogue and the knowledge base without a match.
 */
export const SUPPORTED_LANGUAGES = [
  'ro', 'en', 'es', 'fr', 'de', 'it', 'pt', 'nl', 'pl', 'hu', 'tr',
  'ru', 'uk', 'bg', 'el', 'ar', 'hi', 'zh', 'ja', 'ko',
] as const;

export type SupportedLanguage = (typeof SUPPORTED_LANGUAGES)[number];

const supportedSet: ReadonlySet<string> = new Set(SUPPORTED_LANGUAGES);

export function isSupportedLanguage(code: string | null | undefined): code is SupportedLanguage {
  return code !== null && code !== undefined && supportedSet.has(code);
}

/**
 * Maps what external services answer ("zh-TW", "PT", "pt-BR") onto our codes; undefined when
 * the language is not one we support.
 */
export function toSupportedLanguage(code: string | null | undefined): SupportedLanguage | undefined {
  if (!code) return undefined;
  const base = code.toLowerCase().split(/[-_]/)[0];
  return isSupportedLanguage(base) ? base : undefined;
}

export const LATIN_LANGUAGES: readonly SupportedLanguage[] = [
  'ro', 'en', 'es', 'fr', 'de', 'it', 'pt', 'nl', 'pl', 'hu', 'tr',
];
export const CYRILLIC_LANGUAGES: readonly SupportedLanguage[] = ['ru', 'uk', 'bg'];

export type Script = 'latin' | 'cyrillic' | 'greek' | 'arabic' | 'devanagari' | 'han' | 'kana' | 'hangul';

/** Which scripts a language is written in (Japanese mixes kana with Han characters). */
export const LANGUAGE_SCRIPTS: Record<SupportedLanguage, readonly Script[]> = {
  ro: ['latin'], en: ['latin'], es: ['latin'], fr: ['latin'], de: ['latin'], it: ['latin'],
  pt: ['latin'], nl: ['latin'], pl: ['latin'], hu: ['latin'], tr: ['latin'],
  ru: ['cyrillic'], uk: ['cyrillic'], bg: ['cyrillic'],
  el: ['greek'], ar: ['arabic'], hi: ['devanagari'],
  zh: ['han'], ja: ['kana', 'han'], ko: ['hangul', 'han'],
};

export function languageScripts(code: string | null | undefined): readonly Script[] {
  return isSupportedLanguage(code) ? LANGUAGE_SCRIPTS[code] : [];
}
