import type { Api } from './client';
import { JOB_STATS, JOBS } from './queries';
import type { JobSummary } from './types';

/** Most jobs read for the throughput chart (the counters are exact, from `jobStats`). */
const MAX_PAGES = 10;

interface Counts {
  waiting: number;
  running: number;
  finished: number;
  failed: number;
}

export interface JobStats {
  waiting: number;
  running: number;
  finishedToday: number;
  failedToday: number;
  /** The chart was drawn from at most MAX_PAGES pages: its bars are lower bounds when true. */
  truncated: boolean;
  /** Start of each of the last 24 hours (seconds, for uPlot), and jobs ended in it. */
  hours: number[];
  finishedPerHour: number[];
  failedPerHour: number[];
}

/**
 * The overview's counters, exact from `jobStats` (since local midnight), and its throughput from
 * the `jobs` list (newest first): every job submitted in the last 24 hours, read page by page
 * until an older one shows up.
 */
export async function loadJobStats(api: Api, now: Date): Promise<JobStats> {
  const dayStart = new Date(now);
  dayStart.setHours(0, 0, 0, 0);
  const [{ jobStats }, chart] = await Promise.all([
    api.request<{ jobStats: Counts }>(JOB_STATS, { since: dayStart.toISOString() }),
    loadThroughput(api, now),
  ]);
  return {
    waiting: jobStats.waiting,
    running: jobStats.running,
    finishedToday: jobStats.finished,
    failedToday: jobStats.failed,
    ...chart,
  };
}

async function loadThroughput(
  api: Api,
  now: Date,
): Promise<Pick<JobStats, 'truncated' | 'hours' | 'finishedPerHour' | 'failedPerHour'>> {
  const since = now.getTime() - 24 * 3_600_000;
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
  for (const job of jobs) {
    if (!job.finishedAt) continue;
    const ended = Date.parse(job.finishedAt);
    const bucket = Math.floor((ended - firstHour) / hourMs);
    if (bucket < 0 || bucket > 23) continue;
    if (job.status === 'FINISHED') finishedPerHour[bucket]! += 1;
    if (job.status === 'FAILED') failedPerHour[bucket]! += 1;
  }
  return {
    truncated,
    hours,
    finishedPerHour,
    failedPerHour,
  };
}
