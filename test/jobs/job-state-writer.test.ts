import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { JobStateWriter } from '../../src/jobs/job-state-writer.js';
import type { Job } from '../../src/jobs/job.js';
import { encodeJob } from '../../src/jobs/job-codec.js';
import { waitingJob } from './support.js';

const quiet = pino({ level: 'silent' });
const FAST = { attempts: 3, firstDelayMs: 1, factor: 1, maxDelayMs: 1, jitter: 0 };
const transient = () => Object.assign(new Error('gone'), { code: 'PROTOCOL_CONNECTION_LOST' });

describe('JobStateWriter', () => {
  it('stops writing a job the store fences off (another process ended it), once and for good', async () => {
    let calls = 0;
    const fenced: string[] = [];
    const writer = new JobStateWriter({
      store: {
        update: () => {
          calls++;
          return Promise.resolve(false);
        },
      },
      logger: quiet,
      policy: FAST,
      onFenced: (job) => fenced.push(job.id),
    });
    const job = waitingJob();
    assert.equal(await writer.save(job), false);
    assert.equal(await writer.save(job), false);
    assert.equal(calls, 1, 'neither retried nor tried again');
    assert.deepEqual(fenced, [job.id]);
    assert.equal(writer.fenced(job.id), true);
    assert.equal(writer.failures, 0, 'not a store failure');
  });

  it('retries a transient failure a bounded number of times, then gives up without rejecting', async () => {
    let calls = 0;
    const writer = new JobStateWriter({
      store: {
        update: () => {
          calls++;
          return Promise.reject(transient());
        },
      },
      logger: quiet,
      policy: FAST,
    });
    assert.equal(await writer.save(waitingJob()), false);
    assert.equal(calls, 3);
    assert.equal(writer.failures, 1);
  });

  it('stores a job whose result the store cannot take with that result replaced by why', async () => {
    const stored: string[] = [];
    const writer = new JobStateWriter({
      store: {
        // The real codec: JSON.stringify refuses a BigInt.
        update: (job: Job) => {
          stored.push(encodeJob(job).steps);
          return Promise.resolve();
        },
      },
      logger: quiet,
      policy: FAST,
    });
    const job = waitingJob();
    job.steps[0]!.result = { n: 1n };
    assert.equal(await writer.save(job), true);
    assert.equal(stored.length, 1);
    assert.match(stored[0]!, /"result":\{"unstorable":"the result is not JSON: .*BigInt/);
    assert.deepEqual(job.steps[0]!.result, { n: 1n }, 'the live job is left as it is');
  });

  it('writes one job’s states one after another, each as of when it runs', async () => {
    const seen: string[] = [];
    let release!: () => void;
    const first = new Promise<void>((r) => (release = r));
    let calls = 0;
    const writer = new JobStateWriter({
      store: {
        update: async (job: Job) => {
          if (calls++ === 0) await first;
          seen.push(job.status);
        },
      },
      logger: quiet,
    });
    const job = waitingJob();
    const a = writer.save(job);
    job.status = 'RUNNING';
    const b = writer.save(job);
    job.status = 'FINISHED';
    release();
    await Promise.all([a, b]);
    assert.deepEqual(seen, ['FINISHED', 'FINISHED']);
  });
});
