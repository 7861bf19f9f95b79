/**
 * The locale to hand `Intl` for a conversation language, where Caty writes the language
 * differently from Intl's default for the bare code: Serbian in Latin letters (Intl's "sr" is
 * Cyrillic), Kurdish as Sorani (eld's "ku"; Intl's "ku" is Latin-script Kurmanji).
 */
export function intlLocale(language: string): string {
  return INTL_LOCALES[language] ?? language;
}

const INTL_LOCALES: Readonly<Record<string, string>> = { sr: 'sr-Latn', ku: 'ckb' };
