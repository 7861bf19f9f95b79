import { proxyActivities } from '@temporalio/workflow';
import type { KnowledgeActivities } from '../../activities/knowledge/source-activities.js';

const { requestScheduledSync } = proxyActivities<Pick<KnowledgeActivities, 'requestScheduledSync'>>({
  startToCloseTimeout: '1m',
  retry: { maximumAttempts: 10 },
});

/**
 * What a source's weekly schedule starts: a sync of `knowledge-source:<sourceId>` (a schedule
 * cannot start a workflow under a fixed id: it adds the time to it), joined to one under way.
 */
export async function knowledgeResyncWorkflow(input: { sourceId: string }): Promise<void> {
  await requestScheduledSync(input);
}
