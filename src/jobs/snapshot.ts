import type { Job } from './job.js';

/**
 * A copy of a job that later changes to the live one do not reach: what gets published and
 * returned, while the executor keeps mutating its own object.
 */
export function snapshotJob(job: Job): Job {
  return {
    ...job,
    origin: { ...job.origin },
    steps: job.steps.map((s) => ({ ...s, progress: s.progress.map((p) => ({ ...p })) })),
  };
}
