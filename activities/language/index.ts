// Placeholder until the measured detector lands (issue "Multi-language"): keeps the
// conversation's language, or the widget default.
import type { Config } from '../../config/index.js';
import type { LanguageDetection, LanguageDetector } from './detector.js';

export function createLanguageDetector(_config: Pick<Config, 'LANGUAGE_DETECTOR' | 'AWS_REGION' | 'COMPREHEND_ENDPOINT'>): LanguageDetector {
  return { name: 'none', detect: async () => ({ language: 'und', confidence: 0, detector: 'none' }) };
}

export async function detectLanguage(
  detector: LanguageDetector,
  text: string,
  context: { previous?: string | null; defaultLanguage?: string },
): Promise<LanguageDetection> {
  const raw = await detector.detect(text);
  if (raw.confidence >= 0.5) return raw;
  return { language: context.previous ?? context.defaultLanguage ?? 'ro', confidence: raw.confidence, detector: `${raw.detector}+context` };
}
