import type { Config } from '../../config/index.js';
import { ComprehendLanguageDetector } from './comprehend.js';
import type { LanguageDetector } from './detector.js';
import { LocalLanguageDetector } from './local.js';

export type { LanguageCode, LanguageDetection, LanguageDetector } from './detector.js';
export { detectLanguage, type ConversationLanguageContext } from './policy.js';
export { SUPPORTED_LANGUAGES, isSupportedLanguage, type SupportedLanguage } from './supported.js';
export { LocalLanguageDetector } from './local.js';
export { ComprehendLanguageDetector } from './comprehend.js';

/** The detector the configuration asks for; Comprehend always has the local detector behind it. */
export function createLanguageDetector(
  config: Pick<Config, 'LANGUAGE_DETECTOR' | 'AWS_REGION' | 'COMPREHEND_ENDPOINT'>,
): LanguageDetector {
  const local = new LocalLanguageDetector();
  if (config.LANGUAGE_DETECTOR === 'local') return local;
  return new ComprehendLanguageDetector({
    fallback: local,
    ...(config.AWS_REGION ? { region: config.AWS_REGION } : {}),
    ...(config.COMPREHEND_ENDPOINT ? { endpoint: config.COMPREHEND_ENDPOINT } : {}),
  });
}
