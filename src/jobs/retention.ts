import type { Logger } from 'pino';
import { AsyncTask, SimpleIntervalJob, ToadScheduler } from 'toad-scheduler';
import { errorMessage } from '../errors.js';
import type { JobStore } from './job-store.js';

export interface RetentionOptions {
  retentionDays: number;
  maxJobs: number;
  /** How often old jobs are pruned. */
  intervalMs: number;
}

/**
 * Deletes finished jobs (and their log lines) older than the retention period or beyond the
 * count limit, at start and then periodically, so the store does not grow with history.
 * Returns the function that stops it.
 */
export function startRetention(
  store: JobStore,
  logger: Logger,
  options: RetentionOptions,
): { stop(): void; prune(): Promise<number> } {
  const prune = async (): Promise<number> => {
    try {
      const removed = await store.prune({
        finishedBefore: new Date(Date.now() - options.retentionDays * 86_400_000),
        keepAtMost: options.maxJobs,
      });
      if (removed > 0) logger.info({ removed }, 'old jobs pruned');
      return removed;
    } catch (error) {
      logger.error({ error: errorMessage(error) }, 'pruning old jobs failed; will try again');
      return 0;
    }
  };
  const scheduler = new ToadScheduler();
  const task = new AsyncTask('job-retention', prune);
  scheduler.addSimpleIntervalJob(
    new SimpleIntervalJob({ milliseconds: options.intervalMs, runImmediately: true }, task, {
      id: 'job-retention',
      preventOverrun: true,
    }),
  );
  return { stop: () => scheduler.stop(), prune };
}
