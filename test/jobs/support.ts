import type { Job } from '../../src/jobs/job.js';

/** A WAITING job of `steps` producer steps, as the executor makes one. */
export function waitingJob(id = '01JOB', steps = ['p']): Job {
  return {
    id,
    status: 'WAITING',
    spec: { steps: [] },
    origin: { type: 'ADHOC', name: null },
    submittedAt: new Date(0),
    startedAt: null,
    finishedAt: null,
    error: null,
    steps: steps.map((name) => ({
      name,
      componentName: 'C',
      kind: 'PRODUCER',
      status: 'WAITING',
      rowsIn: null,
      rowsOut: null,
      startedAt: null,
      finishedAt: null,
      error: null,
      result: null,
      progress: [],
    })),
    retryOf: null,
    timeoutMs: null,
    logCount: 0,
    idempotencyKey: null,
    partition: null,
  };
}
