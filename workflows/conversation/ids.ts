/** The workflow type every new conversation starts as (see conversationWorkflowV2 in workflow.ts). */
export const CONVERSATION_WORKFLOW_TYPE = 'conversationWorkflowV2';

/** Workflow ids are part of the public contract (DESIGN §4). */
export function whatsappConversationWorkflowId(widgetId: string, customerPhone: string): string {
  return `conversation:${widgetId}:whatsapp:${customerPhone}`;
}

export function webConversationWorkflowId(widgetId: string, sessionId: string): string {
  return `conversation:${widgetId}:web:${sessionId}`;
}

export function parseConversationWorkflowId(
  workflowId: string,
): { widgetId: string; kind: 'whatsapp' | 'web'; customer: string } | null {
  const match = /^conversation:([^:]+):(whatsapp|web):(.+)$/.exec(workflowId);
  if (!match) return null;
  return { widgetId: match[1]!, kind: match[2] as 'whatsapp' | 'web', customer: match[3]! };
}
