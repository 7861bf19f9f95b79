import type { Config } from '../../config/index.js';
import type { KnowledgeActivityDeps } from './source-activities.js';

export function knowledgePolicyFromConfig(config: Config): KnowledgeActivityDeps['policy'] {
  return {
    delayMs: config.CATY_CRAWL_DELAY_MS,
    concurrency: config.CATY_CRAWL_CONCURRENCY,
    pagesPerRun: config.CATY_CRAWL_PAGES_PER_RUN,
    timeoutMs: config.CATY_CRAWL_TIMEOUT_MS,
    allowPrivate: config.CATY_ALLOW_PRIVATE_URLS,
  };
}
