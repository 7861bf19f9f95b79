import { ActivityFailure, isCancellation, log, proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { MediaActivities, TranscribeInput } from '../../activities/media/activities.js';

/**
 * The transcriber gets a bounded number of tries: a timeout, a 429 or a 5xx is tried again after
 * 1 s and 2 s; then the voice note goes on without words, and Caty asks the customer to write.
 */
export const TRANSCRIBE_ATTEMPTS = 3;
export const TRANSCRIBE_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '6m',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: TRANSCRIBE_ATTEMPTS },
};

const media = proxyActivities<MediaActivities>(TRANSCRIBE_OPTIONS);

/** A voice note's words, or null when there is no transcriber or it gave up. Workflow code. */
export async function transcribeWithFallback(input: TranscribeInput): Promise<{ transcript: string | null }> {
  try {
    return await media.transcribeVoiceNote(input);
  } catch (error) {
    if (isCancellation(error) || !(error instanceof ActivityFailure)) throw error;
    log.warn('transcriber gave up; asking the customer to write', { mediaId: input.mediaId, error: error.cause?.message ?? error.message });
    return { transcript: null };
  }
}
