import { ActivityFailure, allHandlersFinished, condition, continueAsNew, proxyActivities, proxyLocalActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { KnowledgeActivities } from '../../activities/knowledge/source-activities.js';
import { syncSourceSignal, type KnowledgeSourceInput } from './definitions.js';

// Bookkeeping reads and writes only the database: local activities, retried quickly.
const local = proxyLocalActivities<Pick<KnowledgeActivities, 'knowledgeCrawlPolicy' | 'beginSourceSync' | 'nextSourcePages' | 'markSourcePageFailed' | 'finishSourceSync'>>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '200ms', backoffCoefficient: 2, maximumInterval: '10s' },
});

// Requests to the site: bounded by their own timeout, a few attempts, then recorded as failed.
const site = proxyActivities<Pick<KnowledgeActivities, 'readSiteRules' | 'readSourceSitemap' | 'crawlSourcePage' | 'indexSourceFile'>>({
  startToCloseTimeout: '2m',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 4 },
});

const MAX_DELAY_MS = 60_000;

/**
 * One knowledge source (`knowledge-source:<sourceId>`): each sync fetches its pages breadth first
 * from the queue in PostgreSQL, a few in flight at most, each request to the host no sooner than
 * the delay after the one before (robots.txt's Crawl-delay when it asks for more; the slots are
 * reserved in PostgreSQL, so they hold across sources and workers), then removes what disappeared. A `syncSource`
 * signal during a sync asks for one more after it. The queue is in the database, so a run that
 * continues as new (large sites) or a worker that restarts picks up where it was.
 */
export async function knowledgeSourceWorkflow(input: KnowledgeSourceInput): Promise<void> {
  let again = input.resume?.again ?? false;
  setHandler(syncSourceSignal, () => {
    again = true;
  });
  const policy = await local.knowledgeCrawlPolicy();
  let resume = input.resume ?? null;
  let pass = resume?.pass ?? 0;
  let pagesThisRun = 0;

  for (;;) {
    let sync: number;
    let delayMs = policy.delayMs;
    let type: 'website' | 'file' | null = null;
    if (resume) {
      sync = resume.sync;
      delayMs = resume.delayMs;
    } else {
      again = false;
      const begun = await local.beginSourceSync({ sourceId: input.sourceId, syncKey: `${workflowInfo().runId}/${pass}` });
      if (!begun) return;
      sync = begun.sync;
      type = begun.type;
    }

    if (type === 'file') {
      await site.indexSourceFile({ sourceId: input.sourceId, sync });
    } else {
      if (!resume) {
        const rules = await site.readSiteRules({ sourceId: input.sourceId, sync });
        if (!rules) {
          // Removed, or robots.txt forbids the address itself (recorded on the source).
          if (!again) return;
          pass++;
          continue;
        }
        delayMs = Math.min(MAX_DELAY_MS, Math.max(delayMs, rules.crawlDelayMs));
        const sitemaps = [...rules.sitemaps];
        for (let i = 0; i < sitemaps.length && i < 10; i++) {
          const nested = await site.readSourceSitemap({ sourceId: input.sourceId, sync, url: sitemaps[i]!, delayMs });
          sitemaps.push(...nested.sitemaps.filter((s) => !sitemaps.includes(s)));
        }
      }
      resume = null;
      for (;;) {
        const batch = await local.nextSourcePages({ sourceId: input.sourceId, sync, limit: policy.concurrency * 4 });
        if (batch.length === 0) break;
        const inFlight = new Set<Promise<void>>();
        for (const page of batch) {
          while (inFlight.size >= policy.concurrency) await Promise.race(inFlight);
          const crawl: Promise<void> = site
            .crawlSourcePage({ sourceId: input.sourceId, sync, url: page.url, depth: page.depth, delayMs })
            .then(() => undefined)
            .catch(async (error: unknown) => {
              if (!(error instanceof ActivityFailure)) throw error;
              await local.markSourcePageFailed({ sourceId: input.sourceId, sync, url: page.url, error: error.cause?.message ?? error.message });
            })
            .finally(() => inFlight.delete(crawl));
          inFlight.add(crawl);
        }
        await Promise.all(inFlight);
        pagesThisRun += batch.length;
        if (pagesThisRun >= policy.pagesPerRun || workflowInfo().continueAsNewSuggested) {
          await condition(allHandlersFinished);
          await continueAsNew<typeof knowledgeSourceWorkflow>({ sourceId: input.sourceId, resume: { sync, again, pass, delayMs } });
        }
      }
    }
    resume = null;
    await local.finishSourceSync({ sourceId: input.sourceId, sync });
    if (!again) {
      await condition(allHandlersFinished);
      if (!again) return;
    }
    pass++;
  }
}
