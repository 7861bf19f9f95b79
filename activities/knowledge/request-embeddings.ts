import type { Client } from '@temporalio/client';
import { embedKnowledgeSignal, knowledgeEmbeddingsWorkflowId, type KnowledgeEmbeddingsInput } from '../../workflows/knowledge/definitions.js';

/** Asks for the widget's missing vectors to be computed: starts its embeddings workflow, or tells the running one to look again. */
export async function requestEmbeddings(client: Client, taskQueue: string, widgetId: string): Promise<void> {
  const input: KnowledgeEmbeddingsInput = { widgetId };
  await client.workflow.signalWithStart('knowledgeEmbeddingsWorkflow', {
    workflowId: knowledgeEmbeddingsWorkflowId(widgetId),
    taskQueue,
    args: [input],
    signal: embedKnowledgeSignal,
    signalArgs: [],
    staticSummary: `Knowledge vectors of widget ${widgetId}`,
  });
}
