import type { App } from '../../src/app/build-app.js';
import { isFinal, type Job } from '../../src/jobs/job.js';
import type { SpecInput, SubmitOptions } from '../../src/jobs/executor.js';

/** Resolves with the job once it is in a final state (listening on the bus, not polling). */
export async function waitForJob(app: App, id: string, timeoutMs = 30_000): Promise<Job> {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (job: Job) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      off();
      resolve(job);
    };
    const timer = setTimeout(() => {
      off();
      reject(new Error(`job ${id} did not end within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = app.bus.on('job', ({ job }) => {
      if (job.id === id && isFinal(job.status)) finish(job);
    });
    void app.executor.get(id).then((job) => {
      if (job && isFinal(job.status)) finish(job);
    });
  });
}

/** Submits a spec given as steps; fails the test on validation problems. */
export async function submitSteps(
  app: App,
  steps: Array<[name: string, component: string, pre: string, args?: Record<string, unknown>]>,
  options?: SubmitOptions,
): Promise<Job> {
  const input: SpecInput = {
    steps: steps.map(([name, componentClassName, preComponentName, componentArguments = {}]) => ({
      name,
      componentClassName,
      preComponentName,
      componentArguments,
    })),
  };
  const result = await app.executor.submit(input, options);
  if (!result.ok) throw new Error(`spec rejected: ${JSON.stringify(result.problems)}`);
  return result.job;
}
