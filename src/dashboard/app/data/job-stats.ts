import type { Api } from './client';
import { JOBS } from './queries';
import type { JobSummary } from './types';

/** Most jobs read to count a day: the API has no counts yet (see README.md), so pages are read. */
const MAX_PAGES = 10;

export interface JobStats {
  waiting: number;
  running: number;
  finishedToday: number;
  failedToday: number;
  /** Counted from at most MAX_PAGES pages: the numbers are lower bounds when true. */
  truncated: boolean;
  /** Start of each of the last 24 hours (seconds, for uPlot), and jobs ended in it. */
  hours: number[];
  finishedPerHour: number[];
  failedPerHour: number[];
}

/**
 * The overview's counters and throughput, from the `jobs` list (newest first): every job
 * submitted in the last 24 hours, read page by page until an older one shows up.
 */
export async function loadJobStats(api: Api, now: Date): Promise<JobStats> {
  const dayStart = new Date(now);
  dayStart.setHours(0, 0, 0, 0);
  const since = Math.min(dayStart.getTime(), now.getTime() - 24 * 3_600_000);
  const jobs: JobSummary[] = [];
  let after: string | null = null;
  let truncated = true;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const {
      jobs: connection,
    }: {
      jobs: { nodes: JobSummary[]; pageInfo: { endCursor: string | null; hasNextPage: boolean } };
    } = await api.request(JOBS, { first: 100, after });
    jobs.push(...connection.nodes);
    const oldest = connection.nodes.at(-1);
    if (!connection.pageInfo.hasNextPage || !oldest || Date.parse(oldest.submittedAt) < since) {
      truncated = false;
      break;
    }
    after = connection.pageInfo.endCursor;
  }
  const hourMs = 3_600_000;
  const firstHour = Math.floor(now.getTime() / hourMs) * hourMs - 23 * hourMs;
  const hours = Array.from({ length: 24 }, (_, i) => (firstHour + i * hourMs) / 1000);
  const finishedPerHour = hours.map(() => 0);
  const failedPerHour = hours.map(() => 0);
  let finishedToday = 0;
  let failedToday = 0;
  for (const job of jobs) {
    if (!job.finishedAt) continue;
    const ended = Date.parse(job.finishedAt);
    if (ended >= dayStart.getTime()) {
      if (job.status === 'FINISHED') finishedToday += 1;
      if (job.status === 'FAILED') failedToday += 1;
    }
    const bucket = Math.floor((ended - firstHour) / hourMs);
    if (bucket < 0 || bucket > 23) continue;
    if (job.status === 'FINISHED') finishedPerHour[bucket]! += 1;
    if (job.status === 'FAILED') failedPerHour[bucket]! += 1;
  }
  const [waiting, running] = await Promise.all(
    (['WAITING', 'RUNNING'] as const).map(async (status) => {
      const { jobs: connection }: { jobs: { nodes: unknown[] } } = await api.request(JOBS, {
        status: [status],
        first: 100,
      });
      return connection.nodes.length;
    }),
  );
  return {
    waiting: waiting!,
    running: running!,
    finishedToday,
    failedToday,
    truncated,
    hours,
    finishedPerHour,
    failedPerHour,
  };
}
