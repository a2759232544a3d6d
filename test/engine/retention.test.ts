import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { submitSteps, waitForJob } from '../support/jobs.js';

describe('job retention', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ server: { jobs: { retentionDays: 1, retentionMaxJobs: 3 } } });
  });
  after(async () => t.destroy());

  it('keeps at most retentionMaxJobs finished jobs, with their lines, and drops those older than retentionDays', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const job = await submitSteps(t.app, [['p', 'TestRowsProducer', '', { lines: 5 }]]);
      await waitForJob(t.app, job.id);
      ids.push(job.id);
    }
    // A job that is still running is never pruned, however many finished ones there are.
    const running = await submitSteps(t.app, [['p', 'TestRowsProducer', '', { ms: 60_000 }]]);
    const removed = await t.app.store.prune({ finishedBefore: new Date(0), keepAtMost: 3 });
    assert.equal(removed, 3);
    const left = (await t.app.store.list({ limit: 100 })).map((j) => j.id);
    assert.deepEqual(left, [running.id, ...ids.slice(3).reverse()]);
    for (const id of ids.slice(0, 3)) assert.deepEqual(await t.app.store.logLines(id, 0, 10), []);
    assert.equal((await t.app.store.logLines(ids[5]!, 0, 10)).length > 0, true);

    const aged = await t.app.store.prune({
      finishedBefore: new Date(Date.now() + 1000),
      keepAtMost: 100,
    });
    assert.equal(aged, 3);
    assert.deepEqual(
      (await t.app.store.list({ limit: 100 })).map((j) => j.id),
      [running.id],
    );
    await t.app.executor.cancel(running.id);
  });
});
