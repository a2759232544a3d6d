import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LimitExceededError } from '../../src/errors.js';
import { JobQueue } from '../../src/jobs/job-queue.js';
import { waitingJob } from './support.js';

describe('JobQueue', () => {
  it('holds places for jobs being stored, so concurrent submissions cannot overfill it', () => {
    const queue = new JobQueue(3);
    const held = [queue.reserve(), queue.reserve(), queue.reserve()];
    assert.throws(() => queue.reserve(), LimitExceededError);
    assert.throws(() => queue.reserve(), /jobs\.maxQueuedJobs/);
    held[0]!.release();
    const again = queue.reserve();
    held[1]!.fill({ job: waitingJob('b'), steps: [] });
    again.fill({ job: waitingJob('a'), steps: [] });
    held[2]!.fill({ job: waitingJob('c'), steps: [] });
    assert.equal(queue.size, 3);
    assert.throws(() => queue.reserve(), LimitExceededError);
    assert.deepEqual(
      [queue.take(), queue.take(), queue.take(), queue.take()].map((e) => e?.job.id),
      ['b', 'a', 'c', undefined],
    );
  });

  it('a reservation counts once, however often it is filled or released', () => {
    const queue = new JobQueue(1);
    const r = queue.reserve();
    r.release();
    r.release();
    r.fill({ job: waitingJob('x'), steps: [] });
    assert.equal(queue.size, 0);
    queue.reserve().fill({ job: waitingJob('y'), steps: [] });
    assert.equal(queue.size, 1);
  });

  it('removes a waiting job, restores stored ones past the limit, and drains', () => {
    const queue = new JobQueue(1);
    queue.restore({ job: waitingJob('a'), steps: [] });
    queue.restore({ job: waitingJob('b'), steps: [] });
    assert.equal(queue.find('b')?.job.id, 'b');
    assert.equal(queue.remove('a')?.job.id, 'a');
    assert.equal(queue.remove('a'), undefined);
    assert.deepEqual(
      queue.drain().map((e) => e.job.id),
      ['b'],
    );
    assert.equal(queue.size, 0);
  });
});
