import type { ComposeReplyInput } from '../../activities/conversation/compose-reply.js';
import { composeReplyWithFallback } from '../../workflows/ai/compose.js';

/** Runs reply composition as the conversation will: the configured provider with bounded retries, then the knowledge base. */
export async function composeReplyWorkflow(input: Omit<ComposeReplyInput, 'provider'>) {
  return composeReplyWithFallback(input);
}
