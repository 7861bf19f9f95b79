import { eld as eldSmall } from 'eld/small';
import type { LanguageDetection, LanguageDetector } from './detector.js';
import { addLetterEvidence } from './letters.js';
import { wordEvidence } from './lexicon.js';
import { CYRILLIC_LANGUAGES, LATIN_LANGUAGES, type SupportedLanguage } from './supported.js';
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
  private readonly eld = eldSmall.newInstance();

  constructor() {
    // eld knows 60 languages; asking it only about ours keeps it from answering Catalan or Slovak.
    this.eld.setLanguageSubset([...LATIN_LANGUAGES, ...CYRILLIC_LANGUAGES]);
  }

  detect(text: string): Promise<LanguageDetection> {
    return Promise.resolve(this.detectSync(text));
  }

  detectSync(text: string): LanguageDetection {
    const profile = profileText(text);
    switch (profile.dominant) {
      case undefined:
        return { language: UNDETERMINED, confidence: 0, detector: this.name };
      case 'greek':
        return this.certain('el');
      case 'hangul':
        return this.certain('ko');
      case 'kana':
        return this.certain('ja');
      case 'devanagari':
        return this.certain('hi');
      case 'arabic':
        // Persian and Urdu share the script but have letters Arabic lacks; they are not ours.
        return { language: 'ar', confidence: /[پچژگکی]/.test(text) ? 0.5 : 0.97, detector: this.name };
      case 'han':
        return this.han(text);
      case 'latin':
        return this.scored(text, profile, 'latin');
      case 'cyrillic':
        return this.scored(text, profile, 'cyrillic');
    }
  }

  private certain(language: SupportedLanguage): LanguageDetection {
    return { language, confidence: 0.99, detector: this.name };
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
    for (const [language, squashed] of Object.entries(result.getScores())) {
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
const PRIOR: Partial<Record<SupportedLanguage, number>> = { ru: 0.15 };

const CONFIDENCE_HALF_MARGIN = 0.3;
const MIN_NGRAM_WEIGHT = 0.1;
const MAX_NGRAM_WEIGHT = 2.5;
const LETTERS_PER_NGRAM_POINT = 24;

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
