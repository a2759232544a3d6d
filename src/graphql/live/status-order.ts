import { isFinal, type JobStatus } from '../../jobs/job.js';

/**
 * How far along a status is: WAITING, RUNNING, then any final one. A store read made to catch up
 * after lost live events may race a live event that is newer: only a later status is news.
 */
export function statusRank(status: JobStatus): number {
  if (isFinal(status)) return 2;
  return status === 'RUNNING' ? 1 : 0;
}

export const isLaterStatus = (status: JobStatus, than: JobStatus | undefined): boolean =>
  than === undefined || statusRank(status) > statusRank(than);
