import OpenAI from 'openai';
import type { Config } from '../../../config/index.js';

/** Turns texts into unit vectors (so a dot product is their cosine), one per text, in order. */
export interface Embedder {
  /** The model whose space the vectors are in: stored with each vector, so another model's are never compared. */
  readonly model: string;
  embed(texts: string[]): Promise<Float32Array[]>;
}

export type EmbeddingsConfig = Pick<Config, 'EMBEDDINGS_PROVIDER' | 'EMBEDDINGS_MODEL' | 'EMBEDDINGS_BASE_URL' | 'EMBEDDINGS_API_KEY' | 'EMBEDDINGS_TIMEOUT_MS' | 'OPENAI_BASE_URL' | 'OPENAI_API_KEY'>;

/** The configured embedder, or null when retrieval stays lexical (EMBEDDINGS_PROVIDER=none). */
export function createEmbedder(config: EmbeddingsConfig): Embedder | null {
  if (config.EMBEDDINGS_PROVIDER !== 'openai') return null;
  return new OpenAiEmbedder({
    baseUrl: config.EMBEDDINGS_BASE_URL ?? config.OPENAI_BASE_URL,
    apiKey: config.EMBEDDINGS_API_KEY ?? config.OPENAI_API_KEY ?? '',
    model: config.EMBEDDINGS_MODEL,
    timeoutMs: config.EMBEDDINGS_TIMEOUT_MS,
  });
}

export function unit(vector: ArrayLike<number>): Float32Array {
  const out = Float32Array.from(vector);
  let norm = 0;
  for (let i = 0; i < out.length; i++) norm += out[i]! * out[i]!;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < out.length; i++) out[i]! /= norm;
  return out;
}

/**
 * An OpenAI-compatible `/embeddings` endpoint through the official client. Failures are thrown as
 * the client's errors (classified by `classifyAiError`): the caller decides whether to retry
 * (indexing, through Temporal) or to answer without vectors (a customer's question).
 */
export class OpenAiEmbedder implements Embedder {
  readonly model: string;
  private readonly client: OpenAI;

  constructor(options: { baseUrl: string; apiKey: string; model: string; timeoutMs: number }) {
    this.model = options.model;
    // Temporal retries indexing; a question does not wait for a second attempt.
    this.client = new OpenAI({ baseURL: options.baseUrl, apiKey: options.apiKey, timeout: options.timeoutMs, maxRetries: 0 });
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    // Floats, not the client's default base64: every compatible server speaks them.
    const response = await this.client.embeddings.create({ model: this.model, input: texts, encoding_format: 'float' });
    const vectors = new Array<Float32Array>(texts.length);
    for (const item of response.data) vectors[item.index] = unit(item.embedding);
    for (let i = 0; i < texts.length; i++) {
      if (!vectors[i]) throw new Error(`the embeddings endpoint returned ${response.data.length} vectors for ${texts.length} texts`);
      if (vectors[i]!.length !== vectors[0]!.length) throw new Error('the embeddings endpoint returned vectors of different lengths');
    }
    return vectors;
  }
}
