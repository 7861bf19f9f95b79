import { ActivityFailure, isCancellation, log, proxyActivities, proxyLocalActivities, type ActivityOptions, type LocalActivityOptions } from '@temporalio/workflow';
import type { ComposedReply } from '../conversation/activity-types.js';
import type { ComposeReplyActivities, ComposeReplyInput } from '../../activities/conversation/compose-reply.js';

/**
 * The configured provider (an LLM) gets a bounded number of tries: a timeout, a 429 or a 5xx is
 * tried again after 1 s and 2 s, then the knowledge base answers. One attempt may take up to
 * OPENAI_TIMEOUT_MS (at most 120 s), so the attempt's own limit sits above it.
 */
export const COMPOSE_REPLY_ATTEMPTS = 3;
export const COMPOSE_REPLY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '130s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: COMPOSE_REPLY_ATTEMPTS },
};

/** The knowledge base needs only the database: retried like the conversation's other database work. */
export const KB_REPLY_OPTIONS: LocalActivityOptions = {
  startToCloseTimeout: '30s',
  retry: { initialInterval: '200ms', backoffCoefficient: 2, maximumInterval: '30s' },
};

const configured = proxyActivities<ComposeReplyActivities>(COMPOSE_REPLY_OPTIONS);
const knowledgeBase = proxyLocalActivities<ComposeReplyActivities>(KB_REPLY_OPTIONS);

/**
 * Caty's reply to a customer message: the configured provider with bounded retries, then the
 * knowledge base. Workflow code; the caller sends the result once, under the message's reply key.
 */
export async function composeReplyWithFallback(input: Omit<ComposeReplyInput, 'provider'>): Promise<ComposedReply> {
  try {
    return await configured.composeReply({ ...input, provider: 'configured' });
  } catch (error) {
    if (isCancellation(error) || !(error instanceof ActivityFailure)) throw error;
    log.warn('AI provider gave up; answering from the knowledge base', { messageId: input.messageId, error: error.cause?.message ?? error.message });
    return knowledgeBase.composeReply({ ...input, provider: 'kb' });
  }
}
