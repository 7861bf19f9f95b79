import type { LanguageDetection, LanguageDetector } from './detector.js';
import { alphabetAllows } from './letters.js';
import { wordEvidence } from './lexicon.js';
import { isSupportedLanguage, languageScripts, toLanguageCode } from './supported.js';
import { profileText, type TextProfile } from './text.js';

export interface ConversationLanguageContext {
  /** The conversation's current language, if it has one. */
  previous?: string | null;
  /** The widget's `default_language`; Romanian when the widget has none. */
  defaultLanguage?: string;
}

/** A detection at least this sure may change the conversation's language. */
export const CONFIDENT = 0.7;
/** A message of this many words or fewer is short: one shared word can mislead any detector. */
export const SHORT_MESSAGE_WORDS = 3;
/** Short messages need a clearer answer before they move a conversation to another language. */
export const CONFIDENT_SHORT = 0.75;
/**
 * A conversation without a language yet only has the widget's default, a guess about the
 * business's customers rather than evidence about this one: a fair detection is enough to leave it.
 */
export const CONFIDENT_FIRST = 0.5;

const DEFAULT_LANGUAGE = 'ro';
/** Below this, a detection is little better than a guess among the languages of its script. */
export const UNSURE = 0.2;

/**
 * The language of one customer message, decided with the conversation in mind. A detector alone
 * cannot know whether "ok", "super" or "si" is Romanian, French or Spanish; the conversation
 * can. So an unsure answer keeps the conversation's language (or the widget's default), but
 * only when the message could be written in it: a short Cyrillic or Greek message is never
 * forced into a Romanian conversation, nor is "oké" (Romanian has no é). The conversation's
 * language changes on a confident detection.
 */
export async function detectLanguage(
  detector: LanguageDetector,
  text: string,
  context: ConversationLanguageContext,
): Promise<LanguageDetection> {
  const fallback = toLanguageCode(context.defaultLanguage) ?? DEFAULT_LANGUAGE;
  const current = toLanguageCode(context.previous) ?? fallback;
  const profile = profileText(text);
  if (profile.letters === 0) {
    // Emoji, digits, "?": nothing to detect, the conversation goes on as it was.
    return { language: current, confidence: 0, detector: 'context' };
  }

  const raw = await detector.detect(text);
  const detected = toLanguageCode(raw.language);
  const hasLanguage = toLanguageCode(context.previous) !== undefined;
  const threshold = !hasLanguage ? CONFIDENT_FIRST : isShort(profile) ? CONFIDENT_SHORT : CONFIDENT;
  if (detected !== undefined && detected === current) {
    return { language: current, confidence: raw.confidence, detector: raw.detector };
  }
  if (detected !== undefined && raw.confidence >= threshold) {
    return { language: detected, confidence: raw.confidence, detector: raw.detector };
  }
  if (couldBeWrittenIn(text, profile, current)) {
    return { language: current, confidence: raw.confidence, detector: `${raw.detector}+context` };
  }
  if (detected !== undefined && raw.confidence >= UNSURE) {
    return { language: detected, confidence: raw.confidence, detector: raw.detector };
  }
  // The detector can hardly tell: the widget's default, when the message could be in it, rather
  // than a guess that may be an unrelated language.
  if (current !== fallback && couldBeWrittenIn(text, profile, fallback)) {
    return { language: fallback, confidence: raw.confidence, detector: `${raw.detector}+default` };
  }
  if (detected !== undefined) {
    return { language: detected, confidence: raw.confidence, detector: raw.detector };
  }
  // The detector named no language and the conversation's one does not fit the script either:
  // keep the conversation's language rather than invent one.
  return { language: current, confidence: 0, detector: `${raw.detector}+context` };
}

export function isShort(profile: TextProfile): boolean {
  return profile.words.length <= SHORT_MESSAGE_WORDS;
}

/**
 * The message's script is one the language is written in, no letter is foreign to it, and it is
 * not made only of chat words of other languages ("hi", "gracias" are not Romanian; "ok",
 * "merci" or any word we do not know might be).
 */
export function couldBeWrittenIn(text: string, profile: TextProfile, language: string): boolean {
  if (!isSupportedLanguage(language) || profile.dominant === undefined) return false;
  if (!languageScripts(language).includes(profile.dominant)) return false;
  if (!alphabetAllows(text.toLowerCase(), language)) return false;
  const script = profile.dominant;
  if (script !== 'latin' && script !== 'cyrillic') return true;
  return profile.words.some((word) => {
    const evidence = wordEvidence([word], script);
    return evidence.length === 0 || evidence.some((known) => known.languages.includes(language));
  });
}
