export const BACKFILL_STATUSES = ['RUNNING', 'FINISHED', 'FAILED', 'CANCELLED'] as const;
export type BackfillStatus = (typeof BACKFILL_STATUSES)[number];

/**
 * PENDING: its job is not submitted yet. SUBMITTED: its own job (`jobId`) ran or runs it.
 * SKIPPED: another job (`jobId`) already held the partition (done, or running elsewhere).
 */
export type BackfillPartitionState = 'PENDING' | 'SUBMITTED' | 'SKIPPED';

export interface BackfillPartition {
  partition: string;
  state: BackfillPartitionState;
  jobId: string | null;
}

/** A range of a partitioned schedule's trading days, run as one job per day. */
export interface Backfill {
  id: string;
  schedule: string;
  from: string;
  to: string;
  force: boolean;
  maxConcurrent: number;
  status: BackfillStatus;
  createdAt: Date;
  finishedAt: Date | null;
  error: string | null;
  /** Every trading day of the range, oldest first. */
  partitions: BackfillPartition[];
}

/** What a backfill's partitions have come to, counted from their jobs' statuses. */
export interface BackfillCounts {
  total: number;
  done: number;
  failed: number;
  running: number;
  waiting: number;
  /** Not yet submitted. */
  pending: number;
}
