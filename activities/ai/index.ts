import type { Config } from '../../config/index.js';
import { KnowledgeBaseProvider } from './kb/kb-provider.js';
import { OpenAiProvider } from './openai-provider.js';
import type { AiProvider } from './provider.js';

export function createAiProvider(config: Pick<Config, 'AI_PROVIDER' | 'OPENAI_BASE_URL' | 'OPENAI_API_KEY' | 'OPENAI_MODEL'>): AiProvider {
  const kb = new KnowledgeBaseProvider();
  if (config.AI_PROVIDER === 'openai' && config.OPENAI_API_KEY) {
    return new OpenAiProvider({ baseUrl: config.OPENAI_BASE_URL, apiKey: config.OPENAI_API_KEY, model: config.OPENAI_MODEL }, kb);
  }
  return kb;
}
