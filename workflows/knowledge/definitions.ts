import { defineSignal } from '@temporalio/workflow';

export interface KnowledgeSourceInput {
  sourceId: string;
  /** A sync carried across continue-as-new: its number, and whether another was asked for meanwhile. */
  resume?: { sync: number; again: boolean; pass: number; delayMs: number } | null;
}

/** Fetch the source again: starts a sync, or queues one after the sync under way. */
export const syncSourceSignal = defineSignal('syncSource');

export function knowledgeSourceWorkflowId(sourceId: string): string {
  return `knowledge-source:${sourceId}`;
}

export function knowledgeScheduleId(sourceId: string): string {
  return `knowledge-source-sync:${sourceId}`;
}

export interface KnowledgeEmbeddingsInput {
  widgetId: string;
}

/** The widget's entries or passages changed: embed what lacks a vector. */
export const embedKnowledgeSignal = defineSignal('embedKnowledge');

export function knowledgeEmbeddingsWorkflowId(widgetId: string): string {
  return `knowledge-embeddings:${widgetId}`;
}
