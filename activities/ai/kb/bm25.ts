export interface RankedDocument<T> {
  document: T;
  score: number;
  /** Share of the query's distinct terms that the document contains. */
  coverage: number;
}

interface IndexedDocument<T> {
  document: T;
  termFrequencies: Map<string, number>;
  length: number;
}

/**
 * Okapi BM25 over the terms of each document's fields. Field weights repeat a field's terms (a
 * question's words count more than its answer's).
 */
export class Bm25Index<T> {
  private readonly documents: IndexedDocument<T>[] = [];
  private readonly documentFrequency = new Map<string, number>();
  private averageLength = 0;

  constructor(
    documents: T[],
    fields: (document: T) => { terms: string[]; weight: number }[],
    private readonly k1 = 1.2,
    private readonly b = 0.75,
  ) {
    for (const document of documents) {
      const termFrequencies = new Map<string, number>();
      let length = 0;
      for (const field of fields(document)) {
        for (const term of field.terms) {
          termFrequencies.set(term, (termFrequencies.get(term) ?? 0) + field.weight);
          length += field.weight;
        }
      }
      for (const term of termFrequencies.keys()) this.documentFrequency.set(term, (this.documentFrequency.get(term) ?? 0) + 1);
      this.documents.push({ document, termFrequencies, length });
    }
    this.averageLength = this.documents.reduce((sum, d) => sum + d.length, 0) / Math.max(1, this.documents.length);
  }

  get size(): number {
    return this.documents.length;
  }

  has(term: string): boolean {
    return this.documentFrequency.has(term);
  }

  private idf(term: string): number {
    const n = this.documents.length;
    const df = this.documentFrequency.get(term) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Every document that shares a term with the query, best first. */
  search(queryTerms: string[]): RankedDocument<T>[] {
    const terms = [...new Set(queryTerms)];
    if (terms.length === 0) return [];
    const ranked: RankedDocument<T>[] = [];
    for (const doc of this.documents) {
      let score = 0;
      let matched = 0;
      for (const term of terms) {
        const tf = doc.termFrequencies.get(term);
        if (!tf) continue;
        matched++;
        const norm = tf + this.k1 * (1 - this.b + (this.b * doc.length) / (this.averageLength || 1));
        score += this.idf(term) * ((tf * (this.k1 + 1)) / norm);
      }
      if (score > 0) ranked.push({ document: doc.document, score, coverage: matched / terms.length });
    }
    return ranked.sort((a, b) => b.score - a.score);
  }
}
