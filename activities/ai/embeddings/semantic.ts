import type { Kysely } from 'kysely';
import { bytesVector, entryVectors, hasUnembeddedPassages, passageVectors, vectorsVersion } from '../../../db/queries/vectors.js';
import type { Database } from '../../../db/schema.js';
import type { KnowledgeEntry } from '../../../workflows/widgets/knowledge.js';
import { classifyAiError } from '../errors.js';
import { aiErrors, aiLatency } from '../metrics.js';
import type { Embedder } from './embedder.js';
import { entryPhrasings, textHash } from './texts.js';

/**
 * Texts about nothing a business answers (trivia, recipes, small talk, in the catalogue's
 * languages). A question's similarity to them is its own background: what "unrelated" means for
 * this question in this model's space. Multilingual embedding models put any two texts of a kind
 * close (multilingual-e5-small gives ~0.85 to unrelated questions), so no fixed cosine tells an
 * answer from a coincidence; how far an entry stands above the question's background does, and it
 * does not depend on how many entries or passages a base has.
 */
export const BACKGROUND_TEXTS = [
  'What is the capital of Australia?',
  'How tall is Mount Everest?',
  'Who won the football match last night?',
  'Can you recommend a good novel to read?',
  'Tell me a joke about cats.',
  'How do I cook rice without it sticking?',
  'Why is the sky blue?',
  'What is the population of Brazil?',
  'Who painted the Mona Lisa?',
  'How many planets are in the solar system?',
  'Is it going to rain this weekend?',
  "What's your favourite colour?",
  'Quelle est la capitale du Canada ?',
  'Qui a écrit Les Misérables ?',
  'Pourquoi les chats ronronnent-ils ?',
  'Comment faire une pâte à crêpes ?',
  'Wie hoch ist die Zugspitze?',
  'Wer hat die Relativitätstheorie entwickelt?',
  'Warum fallen im Herbst die Blätter?',
  'Wie backe ich einen Apfelkuchen?',
  '¿Cuál es el río más largo del mundo?',
  '¿Quién ganó el mundial de fútbol?',
  '¿Por qué el mar es salado?',
  '¿Cómo se hace una tortilla de patatas?',
  'Chi ha scritto la Divina Commedia?',
  'Perché il cielo è azzurro?',
  'Come si prepara il tiramisù?',
  "Qual è il vulcano più alto d'Europa?",
  'Care este cel mai lung râu din România?',
  'Cine a scris Luceafărul?',
  'De ce cântă păsările dimineața?',
  'Cum se face cozonacul?',
  'Jaka jest stolica Norwegii?',
  'Kto napisał Pana Tadeusza?',
  'Dlaczego trawa jest zielona?',
  'Jak ugotować pierogi?',
  'Wat is de hoofdstad van België?',
  'Wie schilderde De Nachtwacht?',
  'Waarom is de zee zout?',
  'Hoe maak ik pannenkoeken?',
  'Qual é a capital de Portugal?',
  'Quem descobriu o Brasil?',
  'Porque é que o céu é azul?',
  'Como se faz pão caseiro?',
  'I love walking in the mountains in autumn.',
  'My brother plays the guitar in a rock band.',
  'The museum has a new dinosaur exhibition.',
  'We watched a documentary about whales.',
];

/** A customer's question in the model's space, with its background (mean and spread of its similarity to unrelated texts). */
export interface QuestionVector {
  vector: Float32Array;
  background: { mean: number; sd: number; top: number };
}

/** The closest unrelated text's standing: what the best candidate must clearly beat in a base of one. */
export function backgroundTop(question: QuestionVector): number {
  return standing(question, question.background.top);
}

/** How far a similarity stands above the question's background, in its spreads. */
export function standing(question: QuestionVector, similarity: number): number {
  return (similarity - question.background.mean) / question.background.sd;
}

export function dot(a: Float32Array, b: Float32Array, offset = 0): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[offset + i]!;
  return sum;
}

/** A widget's vectors as one scan reads them: its entries' phrasings by text, its passages in one block. */
interface WidgetVectors {
  version: string;
  phrasings: Map<string, Float32Array>;
  passageIds: string[];
  /** passageIds.length rows of `dimensions` floats. */
  passages: Float32Array;
  dimensions: number;
  bytes: number;
}

/** Memory for cached widget vectors (50,000 passages of 384 floats take 77 MB). */
const CACHE_BYTES = 512 * 1024 * 1024;
const QUESTION_CACHE = 200;

/**
 * Semantic retrieval over a widget's typed entries and passages, with the vectors the indexing
 * activities stored in PostgreSQL. A widget's vectors are read once per change into one block of
 * memory and scanned there (a dot product per passage: 50,000 passages of 384 dimensions in tens
 * of milliseconds, `npm run bench:vectors`). A question is embedded once (a failure, or a slow
 * endpoint, leaves the answer to lexical retrieval alone, and is counted).
 */
export class SemanticRetrieval {
  private background: Promise<Float32Array[]> | null = null;
  private readonly widgets = new Map<string, WidgetVectors>();
  private readonly questions = new Map<string, Promise<QuestionVector | null>>();

  constructor(
    private readonly db: Kysely<Database>,
    readonly embedder: Embedder,
    private readonly options: { log?: (line: string) => void; onMissingVectors?: (widgetId: string) => void } = {},
  ) {}

  /** The question's vector and background; null when the endpoint cannot give it now. */
  question(text: string): Promise<QuestionVector | null> {
    let cached = this.questions.get(text);
    if (!cached) {
      cached = this.embedQuestion(text);
      if (this.questions.size >= QUESTION_CACHE) this.questions.delete(this.questions.keys().next().value!);
      this.questions.set(text, cached);
      // A failure is not remembered: the next message tries again.
      void cached.then((q) => q ?? this.questions.delete(text));
    }
    return cached;
  }

  private async embedQuestion(text: string): Promise<QuestionVector | null> {
    const stop = aiLatency.startTimer({ provider: 'embeddings' });
    try {
      this.background ??= this.embedder.embed(BACKGROUND_TEXTS);
      const [background, [vector]] = await Promise.all([this.background, this.embedder.embed([text])]);
      stop({ outcome: 'answered' });
      const similarities = background.map((b) => dot(vector!, b));
      const mean = similarities.reduce((a, b) => a + b, 0) / similarities.length;
      const sd = Math.sqrt(similarities.reduce((a, b) => a + (b - mean) ** 2, 0) / similarities.length) || 1e-6;
      return { vector: vector!, background: { mean, sd, top: Math.max(...similarities) } };
    } catch (error) {
      stop({ outcome: 'error' });
      this.background = null;
      const failure = classifyAiError(error);
      aiErrors.inc({ provider: 'embeddings', kind: failure.kind, reason: failure.reason });
      this.options.log?.(`ai: the embeddings endpoint failed (${failure.reason}: ${failure.cause}); the question is answered by lexical retrieval alone`);
      return null;
    }
  }

  /** The widget's vectors, read again only when they changed. */
  private async vectors(widgetId: string, widgetVersion: string, entries: KnowledgeEntry[]): Promise<WidgetVectors> {
    const model = this.embedder.model;
    const version = `${widgetVersion}|${await vectorsVersion(this.db, widgetId, model)}`;
    const cached = this.widgets.get(widgetId);
    if (cached?.version === version) {
      // Most recently used last.
      this.widgets.delete(widgetId);
      this.widgets.set(widgetId, cached);
      return cached;
    }
    const hashes = [...new Set(entries.flatMap((e) => entryPhrasings(e).map(textHash)))];
    const [phrasings, rows] = await Promise.all([entryVectors(this.db, widgetId, model, hashes), passageVectors(this.db, widgetId, model)]);
    const dimensions = rows[0]?.embedding ? rows[0].embedding.length / 4 : 0;
    const usable = rows.filter((r) => r.embedding && r.embedding.length === dimensions * 4);
    const passages = new Float32Array(usable.length * dimensions);
    usable.forEach((row, i) => passages.set(bytesVector(row.embedding!), i * dimensions));
    const vectors: WidgetVectors = { version, phrasings, passageIds: usable.map((r) => r.id), passages, dimensions, bytes: passages.byteLength + phrasings.size * dimensions * 4 };
    this.widgets.delete(widgetId);
    this.widgets.set(widgetId, vectors);
    let total = [...this.widgets.values()].reduce((sum, w) => sum + w.bytes, 0);
    for (const [id, w] of this.widgets) {
      if (total <= CACHE_BYTES || id === widgetId) break;
      this.widgets.delete(id);
      total -= w.bytes;
    }
    if (this.options.onMissingVectors && (phrasings.size < hashes.length || (await hasUnembeddedPassages(this.db, widgetId, model)))) this.options.onMissingVectors(widgetId);
    return vectors;
  }

  /** Each entry's similarity to the question: that of its closest phrasing (entries with no vector yet are left out). */
  async entrySimilarities(widget: { id: string; version: string; knowledgeBase: KnowledgeEntry[] }, question: QuestionVector): Promise<Map<number, number>> {
    const vectors = await this.vectors(widget.id, widget.version, widget.knowledgeBase);
    const similarities = new Map<number, number>();
    widget.knowledgeBase.forEach((entry, index) => {
      for (const text of entryPhrasings(entry)) {
        const vector = vectors.phrasings.get(textHash(text));
        if (!vector || vector.length !== question.vector.length) continue;
        const similarity = dot(question.vector, vector);
        if (similarity > (similarities.get(index) ?? -Infinity)) similarities.set(index, similarity);
      }
    });
    return similarities;
  }

  /** The passages closest to the question, best first: a scan of every passage vector of the widget. */
  async nearestPassages(widget: { id: string; version: string; knowledgeBase: KnowledgeEntry[] }, question: QuestionVector, limit: number): Promise<{ id: string; similarity: number }[]> {
    const vectors = await this.vectors(widget.id, widget.version, widget.knowledgeBase);
    if (vectors.dimensions !== question.vector.length) return [];
    return nearest(vectors.passages, vectors.dimensions, question.vector, limit).map(({ row, similarity }) => ({ id: vectors.passageIds[row]!, similarity }));
  }
}

/** The `limit` rows of `matrix` with the largest dot product with `query`, best first. */
export function nearest(matrix: Float32Array, dimensions: number, query: Float32Array, limit: number): { row: number; similarity: number }[] {
  const top: { row: number; similarity: number }[] = [];
  let floor = -Infinity;
  const rows = matrix.length / dimensions;
  // Four sums at once: the loop is the whole cost of a question against a large site.
  const unrolled = dimensions - (dimensions % 4);
  for (let row = 0, base = 0; row < rows; row++, base += dimensions) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let i = 0;
    for (; i < unrolled; i += 4) {
      s0 += query[i]! * matrix[base + i]!;
      s1 += query[i + 1]! * matrix[base + i + 1]!;
      s2 += query[i + 2]! * matrix[base + i + 2]!;
      s3 += query[i + 3]! * matrix[base + i + 3]!;
    }
    for (; i < dimensions; i++) s0 += query[i]! * matrix[base + i]!;
    const similarity = s0 + s1 + s2 + s3;
    if (top.length === limit && similarity <= floor) continue;
    let at = top.length;
    while (at > 0 && top[at - 1]!.similarity < similarity) at--;
    top.splice(at, 0, { row, similarity });
    if (top.length > limit) top.pop();
    if (top.length === limit) floor = top[limit - 1]!.similarity;
  }
  return top;
}
