import { ANSWER_THRESHOLDS } from './retrieval.js';

/**
 * How lexical and semantic retrieval decide together (only when an embeddings endpoint is
 * configured; without one, lexical coverage alone decides, as ever).
 *
 * Ranking: reciprocal rank fusion of the two rankings (k = 60, as Cormack et al. 2009): it needs
 * no common scale between a BM25 score and a cosine, and a candidate both rank high beats one
 * only one of them likes; at a tie, the one semantically higher above the background.
 *
 * Deciding: a candidate may answer when one signal alone is strong, or both agree:
 * - lexically covered: the share of the question it holds reaches the usual threshold;
 * - semantically first, well above the question's background (its similarity to unrelated texts,
 *   in spreads: see semantic.ts) and clearly ahead of the next candidate (or, in a base of one,
 *   of the closest unrelated text), so a paraphrase with no word in common is found;
 * - or semantically first, further above the background, with some of the question's words.
 * Whatever none of them accepts declines, as a question no source covers must.
 *
 * Set on the development sets only (the shop's and the garage's, with multilingual-e5-small): a
 * fixed standing does not separate answerable from unanswerable questions there (unrelated ones
 * reach 5.2, half the answerable ones are under 4.5), a lead over the next does a little better.
 * The held-out sets were not used to set them.
 */
export const FUSION = {
  rrfK: 60,
  /** Entries: standing and lead at which similarity alone answers. */
  semanticAlone: 3.5,
  semanticLead: 1,
  /** Entries: standing at which similarity answers with some of the question's words. */
  semanticWithWords: 4.5,
  /** What "some of the question's words" means. */
  partialCoverage: 0.2,
  /**
   * Passages: a question is further from a paragraph than from another question (standings of
   * right passages 0.9 to 4.5 on the development set), so similarity ranks them but answers alone
   * only far above the background; with words, it needs to be first and above it.
   */
  passageAlone: 5,
  passageLead: 1,
  passageWithWords: 2,
  passagePartialCoverage: 0.3,
} as const;

export interface FusionCandidate<T> {
  item: T;
  /** Share of the question lexical retrieval finds in it (0 when it shares nothing). */
  coverage: number;
  /** 1-based; null when lexical retrieval did not rank it. */
  lexicalRank: number | null;
  /** 1-based; null when it has no vector. */
  semanticRank: number | null;
  /** Its similarity's standing above the question's background; null when it has no vector. */
  standing: number | null;
  /** For the semantic first: its standing above the next candidate's, or the closest unrelated text's when higher. */
  lead?: number;
}

export function fusedScore(candidate: FusionCandidate<unknown>): number {
  const part = (rank: number | null) => (rank === null ? 0 : 1 / (FUSION.rrfK + rank));
  return part(candidate.lexicalRank) + part(candidate.semanticRank);
}

export function acceptable(candidate: FusionCandidate<unknown>, kind: 'entry' | 'passage'): boolean {
  if (candidate.coverage >= ANSWER_THRESHOLDS.minCoverage) return true;
  if (candidate.standing === null || candidate.semanticRank !== 1) return false;
  const entry = kind === 'entry';
  if (candidate.standing >= (entry ? FUSION.semanticAlone : FUSION.passageAlone) && (candidate.lead ?? 0) >= (entry ? FUSION.semanticLead : FUSION.passageLead)) return true;
  return candidate.coverage >= (entry ? FUSION.partialCoverage : FUSION.passagePartialCoverage) && candidate.standing >= (entry ? FUSION.semanticWithWords : FUSION.passageWithWords);
}

/** Sets the semantic first candidate's lead over the next one (or over `backgroundTop`, the closest unrelated text's standing, when higher). */
export function withLead<T>(candidates: FusionCandidate<T>[], backgroundTop: number): FusionCandidate<T>[] {
  const bySemantic = candidates.filter((c) => c.standing !== null).sort((a, b) => b.standing! - a.standing!);
  const [first, second] = bySemantic;
  if (first) first.lead = first.standing! - Math.max(second?.standing ?? -Infinity, backgroundTop);
  return candidates;
}

/** The candidates best first by fused rank. */
export function fusedOrder<T>(candidates: FusionCandidate<T>[]): FusionCandidate<T>[] {
  return [...candidates].sort((a, b) => fusedScore(b) - fusedScore(a) || (b.standing ?? -Infinity) - (a.standing ?? -Infinity) || b.coverage - a.coverage);
}

/** The best-ranked candidate that may answer, or null: decline. */
export function fusedBest<T>(candidates: FusionCandidate<T>[], kind: 'entry' | 'passage'): FusionCandidate<T> | null {
  return fusedOrder(candidates).find((c) => acceptable(c, kind)) ?? null;
}

/** 1-based ranks of items by a score, best first. */
export function ranks<K>(scores: Map<K, number>): Map<K, number> {
  return new Map([...scores].sort((a, b) => b[1] - a[1]).map(([key], i) => [key, i + 1]));
}
