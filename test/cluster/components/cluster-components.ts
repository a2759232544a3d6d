/** Components for the cluster tests: a run recorder, and the engine's and GraphQL tests' producers. */
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { defineComponent } from '../../../src/components/component.js';

export { rowsProducer } from '../../components/test-components.js';
export { chattyProducer } from '../../graphql/components/graphql-test-components.js';

/**
 * Records that this process ran the job, in the control database's `cluster_runs` table (the test
 * creates it with a unique key on job_id): a job run twice, anywhere, fails on the second insert.
 */
export const recordRun = defineComponent({
  name: 'TestRecordRun',
  kind: 'PRODUCER',
  description: 'Inserts (job id, pid) into cluster_runs, then waits `ms` milliseconds.',
  argumentsSchema: z.strictObject({ ms: z.number().int().min(0).default(0) }),
  async run(_input: undefined, { args, jobId, services, signal }) {
    const control = services.targets.control();
    if (control.dialect !== 'mysql') throw new Error('cluster_runs lives in a MySQL control store');
    const { pool } = await control.connect();
    await pool.execute('INSERT INTO cluster_runs (job_id, pid) VALUES (?, ?)', [
      jobId,
      process.pid,
    ]);
    if (args.ms > 0) await sleep(args.ms, undefined, { signal });
    return [];
  },
});
