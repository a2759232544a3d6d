import type { Job, LogLine } from '../jobs/job.js';
import type { Backfill, BackfillCounts } from '../schedule/backfills/backfill.js';

/** Why a job event was published. */
export type JobChange = 'STATUS' | 'PROGRESS';

export interface JobEvent {
  change: JobChange;
  /** A snapshot of the job at the time of the change. */
  job: Job;
}

export interface JobLogBatch {
  jobId: string;
  /** Consecutive lines, seq ascending, already stored. */
  lines: LogLine[];
}

/** Every event the app publishes in-process; the GraphQL subscriptions listen here. */
export interface AppEvents {
  job: JobEvent;
  jobLogs: JobLogBatch;
  /** A backfill's partitions or status changed. */
  backfill: BackfillEvent;
  /**
   * Cluster mode: events from other processes may have been lost (Redis went away and came back);
   * live streams read the store again.
   */
  liveResync: { reason: string };
  /** Cluster mode: another process asked every process to do this (see cluster-control.ts). */
  clusterControl: ClusterControlMessage;
}

/** What a process asks of the others through Redis; each one re-reads the folder or the store. */
export type ClusterControlMessage =
  | { action: 'reloadComponents' }
  | { action: 'reloadSchedules' }
  /** A schedule was paused or resumed: the stored state says which. */
  | { action: 'schedulePaused'; schedule: string };

export interface BackfillEvent {
  backfill: Backfill;
  counts: BackfillCounts;
}
