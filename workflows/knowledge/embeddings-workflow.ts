import { allHandlersFinished, condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { EmbeddingActivities } from '../../activities/knowledge/embedding-activities.js';
import { embedKnowledgeSignal, type KnowledgeEmbeddingsInput } from './definitions.js';

// The endpoint may be busy or down for a while: retried for about ten minutes, then the run fails
// (visible in Temporal) and the next change or question that finds vectors missing asks again.
const { embedKnowledge } = proxyActivities<EmbeddingActivities>({
  startToCloseTimeout: '5m',
  heartbeatTimeout: '2m',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 12 },
});

/**
 * A widget's vectors (`knowledge-embeddings:<widgetId>`): started or signalled whenever its typed
 * entries are saved or a source finishes a sync; embeds what lacks a vector, batch after batch,
 * then once more if asked meanwhile.
 */
export async function knowledgeEmbeddingsWorkflow(input: KnowledgeEmbeddingsInput): Promise<void> {
  let requested = true;
  setHandler(embedKnowledgeSignal, () => {
    requested = true;
  });
  while (requested) {
    requested = false;
    for (let more = true; more; ) {
      ({ more } = await embedKnowledge({ widgetId: input.widgetId }));
      if (more && workflowInfo().continueAsNewSuggested) {
        await condition(allHandlersFinished);
        await continueAsNew<typeof knowledgeEmbeddingsWorkflow>(input);
      }
    }
    await condition(allHandlersFinished);
  }
}
