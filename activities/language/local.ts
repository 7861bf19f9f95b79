import { eld as eldSmall } from 'eld/small';
import type { LanguageDetection, LanguageDetector } from './detector.js';
import { addLetterEvidence } from './letters.js';
import { wordEvidence } from './lexicon.js';
import { CYRILLIC_LANGUAGES, LATIN_LANGUAGES, SCRIPT_LANGUAGE, type SupportedLanguage } from './supported.js';
import { profileText, type TextProfile } from './text.js';

/**
 * The embedded detector. Scripts settle most languages outright (Hangul is Korean, kana is
 * Japanese, Greek is Greek); within Latin and Cyrillic it adds three kinds of evidence:
 * common chat words (what decides one- and two-word messages), distinctive letters, and the
 * n-gram scores of eld's "small" database (what decides longer messages full of words no list
 * has). The size was chosen by measurement on the chat dev set, restricted to our languages:
 * large 95.5% for 390 MB RSS, medium 93.8% / 196 MB, small 93.5% / 150 MB, extra-small 90.5% /
 * 58 MB. Large breaks the 200 MB budget and medium leaves no room; on messages of three words
 * or fewer that the word lists do not know, small is five points better than extra-small.
 */
export class LocalLanguageDetector implements LanguageDetector {
  readonly name = 'local';
  // All of eld's sixty languages: scores are read per script, so one instance serves every script.
  private readonly eld = eldSmall.newInstance();

  detect(text: string): Promise<LanguageDetection> {
    return Promise.resolve(this.detectSync(text));
  }

  detectSync(text: string): LanguageDetection {
    const profile = profileText(text);
    switch (profile.dominant) {
      case undefined:
        return { language: UNDETERMINED, confidence: 0, detector: this.name };
      case 'han':
        return this.han(text);
      case 'arabic':
        return this.arabicScript(text);
      case 'devanagari':
        return this.devanagari(text, profile);
      case 'latin':
        return this.scored(text, profile, 'latin');
      case 'cyrillic':
        return this.scored(text, profile, 'cyrillic');
      default:
        // Greek, Hangul, kana, Hebrew, Thai, Georgian, the Indic scripts...: one language each.
        return this.certain(SCRIPT_LANGUAGE[profile.dominant]!);
    }
  }

  /**
   * Arabic letters alone are Arabic. Persian, Urdu and Sorani Kurdish add letters of their own:
   * those only Urdu or only Kurdish writes settle it; otherwise eld's n-grams choose among the three.
   */
  private arabicScript(text: string): LanguageDetection {
    if (!/[پچژگکیۆێڵڕەٹڈڑںےۓھ]/.test(text)) return this.certain('ar', 0.97);
    if (/[ڵڕۆێە]/.test(text)) return this.certain('ku', 0.95);
    if (/[ٹڈڑںےۓ]/.test(text)) return this.certain('ur', 0.95);
    return this.ngramChoice(text, ['fa', 'ur', 'ku'], 'fa', 0.7);
  }

  /** Hindi or Marathi: their commonest words differ, and only Marathi writes ळ. */
  private devanagari(text: string, profile: TextProfile): LanguageDetection {
    let marathi = text.includes('ळ') ? 2 : 0;
    let hindi = 0;
    for (const word of profile.words) {
      if (MARATHI_WORDS.has(word)) marathi++;
      if (HINDI_WORDS.has(word)) hindi++;
    }
    if (marathi !== hindi) {
      const margin = Math.abs(marathi - hindi);
      return this.certain(marathi > hindi ? 'mr' : 'hi', round(Math.min(0.99, 0.6 + 0.15 * margin)));
    }
    // Hindi has several times Marathi's writers: it is the better bet when nothing tells them apart.
    return this.ngramChoice(text, ['hi', 'mr'], 'hi', 0.9);
  }

  /** eld's best among `languages`, with how far ahead of the next it is. */
  private ngramChoice(text: string, languages: readonly SupportedLanguage[], otherwise: SupportedLanguage, otherwiseConfidence: number): LanguageDetection {
    const scores = this.eld.detect(text).getScores();
    const ranked = languages.map((language) => [language, scores[language] ?? 0] as const).sort((a, b) => b[1] - a[1]);
    const [best, second] = ranked;
    const margin = (best?.[1] ?? 0) - (second?.[1] ?? 0);
    // A near tie is no evidence: the script's most common language is the better bet.
    if (!best || best[1] <= 0 || margin < NEAR_TIE) return this.certain(otherwise, otherwiseConfidence);
    return this.certain(best[0], round(Math.min(0.95, 0.55 + margin * 2)));
  }

  private certain(language: SupportedLanguage, confidence = 0.99): LanguageDetection {
    return { language, confidence, detector: this.name };
  }

  /**
   * Han characters alone are Chinese or kana-less Japanese ("了解", "最高"). Characters that only
   * simplified Chinese writes, and Chinese grammatical particles, make it sure; otherwise the
   * guess stays below the policy's threshold so a Japanese conversation keeps its language.
   */
  private han(text: string): LanguageDetection {
    const chinese = CHINESE_MARKERS.test(text);
    return { language: 'zh', confidence: chinese ? 0.95 : 0.6, detector: this.name };
  }

  private scored(text: string, profile: TextProfile, script: 'latin' | 'cyrillic'): LanguageDetection {
    const languages = script === 'latin' ? LATIN_LANGUAGES : CYRILLIC_LANGUAGES;
    const scores = new Map<SupportedLanguage, number>();
    for (const language of languages) scores.set(language, PRIOR[language] ?? 0);

    addWordEvidence(profile.words, script, scores);
    addLetterEvidence(text.toLowerCase(), script, scores);
    const letters = profile.scripts[script] ?? 0;
    const ngramWeight = Math.min(MAX_NGRAM_WEIGHT, Math.max(MIN_NGRAM_WEIGHT, letters / LETTERS_PER_NGRAM_POINT));
    const lexical = ranking(scores);
    // eld moves any language by at most its weight: when words and letters already lead by more,
    // it cannot change the answer, and skipping it doubles throughput on ordinary sentences.
    if (lexical.bestScore - lexical.secondScore <= ngramWeight) this.addNgramEvidence(text, ngramWeight, scores);

    const { best, bestScore, secondScore } = ranking(scores);
    if (bestScore <= 0) {
      return { language: script === 'latin' ? 'en' : 'ru', confidence: 0.05, detector: this.name };
    }
    const margin = bestScore - Math.max(secondScore, 0);
    const confidence = Math.min(0.99, margin / (margin + CONFIDENCE_HALF_MARGIN));
    return { language: best, confidence: round(confidence), detector: this.name };
  }

  /**
   * eld's scores are n-gram sums squashed into 0..1; unsquashed and divided by the best one they
   * say how close each language came. Its vote grows with the number of letters, because on two
   * or three words its n-grams are guesswork.
   */
  private addNgramEvidence(text: string, weight: number, scores: Map<SupportedLanguage, number>): void {
    const result = this.eld.detect(text);
    if (result.language === '') return;
    let top = 0;
    const raw: [SupportedLanguage, number][] = [];
    const ngramScores = result.getScores();
    // eld learnt Serbian from Cyrillic text; Serbian in Latin letters reads like Croatian to it,
    // so both get Croatian's n-gram score and the words (ekavian "cena", "vreme") decide.
    if (scores.has('sr') && scores.has('hr') && ngramScores.hr !== undefined) ngramScores.sr = Math.max(ngramScores.sr ?? 0, ngramScores.hr);
    for (const [language, squashed] of Object.entries(ngramScores)) {
      if (!scores.has(language as SupportedLanguage) || squashed >= 1) continue;
      const value = squashed / (1 - squashed);
      raw.push([language as SupportedLanguage, value]);
      if (value > top) top = value;
    }
    if (top <= 0) return;
    for (const [language, value] of raw) {
      scores.set(language, (scores.get(language) ?? 0) + weight * (value / top));
    }
  }
}

export const UNDETERMINED = 'und';

/**
 * Base rates, small enough that any real evidence outweighs them: when nothing tells Russian,
 * Bulgarian and Ukrainian apart ("да", "супер"), Russian is by far the likeliest writer.
 */
const PRIOR: Partial<Record<SupportedLanguage, number>> = {
  ru: 0.2,
  uk: 0.05,
  bg: 0.05,
  // The first twenty are the languages of most customers: a word shared with a language added
  // later ("cena", "ja", "da") goes to them unless something else speaks for the other.
  ...Object.fromEntries(['ro', 'en', 'es', 'fr', 'de', 'it', 'pt', 'nl', 'pl', 'hu', 'tr'].map((code) => [code, 0.1])),
};

const CONFIDENCE_HALF_MARGIN = 0.3;
const NEAR_TIE = 0.03;
const MIN_NGRAM_WEIGHT = 0.1;
const MAX_NGRAM_WEIGHT = 2.5;
const LETTERS_PER_NGRAM_POINT = 24;

/** The commonest words of chat in each: copula, question word, "me", "you", "how much", "not". */
const HINDI_WORDS = new Set(['है', 'हैं', 'क्या', 'मुझे', 'आप', 'कैसे', 'कितना', 'कितने', 'नहीं', 'में', 'की', 'के', 'हो', 'कब', 'भेजते', 'चाहिए', 'शुक्रिया', 'बहुत', 'करते', 'चलेगा', 'मेरा', 'मेरी', 'मेरे', 'दीजिए', 'कीजिए', 'रहा', 'रही', 'था', 'थी']);
const MARATHI_WORDS = new Set(['आहे', 'आहेत', 'काय', 'मला', 'तुम्ही', 'कसे', 'किती', 'नाही', 'मध्ये', 'चा', 'ची', 'चे', 'कधी', 'पाठवता', 'पाहिजे', 'आभार', 'आपण', 'खूप', 'करता', 'चालेल', 'हवे', 'हवा']);

/** Simplified-only characters and particles Japanese does not write. */
const CHINESE_MARKERS = /[的们這这个個吗嗎么麼还還没沒说說对對时发货貨给給让讓谢謝请請吧呢哪啊您你很就我]/;

function addWordEvidence(words: string[], script: 'latin' | 'cyrillic', scores: Map<SupportedLanguage, number>): void {
  for (const { languages, weight } of wordEvidence(words, script)) addShared(languages, weight, scores);
}

/** A word common in several languages is evidence for each of them, split between them. */
function addShared(languages: readonly SupportedLanguage[], weight: number, scores: Map<SupportedLanguage, number>): void {
  const share = weight / languages.length;
  for (const language of languages) {
    if (scores.has(language)) scores.set(language, scores.get(language)! + share);
  }
}

function ranking(scores: Map<SupportedLanguage, number>): {
  best: SupportedLanguage;
  bestScore: number;
  secondScore: number;
} {
  let best: SupportedLanguage | undefined;
  let bestScore = -Infinity;
  let secondScore = -Infinity;
  for (const [language, score] of scores) {
    if (score > bestScore) {
      secondScore = bestScore;
      bestScore = score;
      best = language;
    } else if (score > secondScore) {
      secondScore = score;
    }
  }
  return { best: best!, bestScore, secondScore };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
