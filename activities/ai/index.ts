import type { Config } from '../../config/index.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { createEmbedder, type EmbeddingsConfig } from './embeddings/embedder.js';
import { SemanticRetrieval } from './embeddings/semantic.js';
import { KnowledgeBaseProvider, KnowledgeIndexCache } from './kb/kb-provider.js';
import { PassageRetriever } from './kb/passages.js';
import { OpenAiProvider } from './openai-provider.js';
import type { AiProvider } from './provider.js';

export type AiConfig = EmbeddingsConfig &
  Pick<
    Config,
    | 'AI_PROVIDER'
    | 'OPENAI_BASE_URL'
    | 'OPENAI_API_KEY'
    | 'OPENAI_MODEL'
    | 'OPENAI_ORGANIZATION'
    | 'OPENAI_PROJECT'
    | 'OPENAI_API_VERSION'
    | 'OPENAI_TIMEOUT_MS'
    | 'OPENAI_STRUCTURED_OUTPUT'
    | 'OPENAI_VISION_MODEL'
  >;

/** The configured provider and the knowledge-base one it falls back to (the same when that is `kb`). */
export interface AiProviders {
  configured: AiProvider;
  kb: KnowledgeBaseProvider;
}

export interface AiProviderOptions {
  log?: (line: string) => void;
  db?: Kysely<Database>;
  /** Called when a widget is found with entries or passages that lack a vector (EMBEDDINGS_PROVIDER): ask for them. */
  onMissingVectors?: (widgetId: string) => void;
}

/**
 * With `db`, the knowledge base answers from the widget's websites and files too (their passages),
 * and, with an embeddings endpoint configured, by semantic retrieval as well.
 */
export function createAiProviders(config: AiConfig, options: AiProviderOptions = {}): AiProviders {
  const embedder = options.db ? createEmbedder(config) : null;
  const semantic =
    embedder && options.db
      ? new SemanticRetrieval(options.db, embedder, { ...(options.log ? { log: options.log } : {}), ...(options.onMissingVectors ? { onMissingVectors: options.onMissingVectors } : {}) })
      : null;
  const kb = new KnowledgeBaseProvider(new KnowledgeIndexCache(), options.db ? new PassageRetriever(options.db) : null, semantic);
  if (config.AI_PROVIDER === 'openai' && config.OPENAI_API_KEY) {
    const configured = new OpenAiProvider(
      {
        baseUrl: config.OPENAI_BASE_URL,
        apiKey: config.OPENAI_API_KEY,
        model: config.OPENAI_MODEL,
        ...(config.OPENAI_ORGANIZATION ? { organization: config.OPENAI_ORGANIZATION } : {}),
        ...(config.OPENAI_PROJECT ? { project: config.OPENAI_PROJECT } : {}),
        ...(config.OPENAI_API_VERSION ? { apiVersion: config.OPENAI_API_VERSION } : {}),
        timeoutMs: config.OPENAI_TIMEOUT_MS,
        structuredOutput: config.OPENAI_STRUCTURED_OUTPUT,
        ...(config.OPENAI_VISION_MODEL ? { visionModel: config.OPENAI_VISION_MODEL } : {}),
        ...(options.log ? { log: options.log } : {}),
      },
      kb,
    );
    return { configured, kb };
  }
  return { configured: kb, kb };
}

/** The configured provider alone. */
export function createAiProvider(config: AiConfig, options: AiProviderOptions = {}): AiProvider {
  return createAiProviders(config, options).configured;
}
