import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { probe } from '../support/probe.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { submitSteps, waitForJob } from '../support/jobs.js';

describe('the executor', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ server: { maxConcurrentJobs: 4 } });
  });
  after(async () => t.destroy());

  it('runs producer → processor → storager, recording rows, results and lines per step', async () => {
    const job = await submitSteps(t.app, [
      ['producer_0', 'TestRowsProducer', '', { rows: 5, lines: 2 }],
      ['processor_0', 'TestDoubleProcessor', 'producer_0'],
      ['storager_0', 'TestCollectStorager', 'processor_0', { probe: 'chain' }],
    ]);
    assert.equal(job.status, 'WAITING');
    const done = await waitForJob(t.app, job.id);
    assert.equal(done.status, 'FINISHED', done.error ?? undefined);
    assert.deepEqual(probe('chain').values, [[2, 4, 6, 8, 10]]);
    assert.deepEqual(
      done.steps.map((s) => [s.name, s.status, s.rowsIn, s.rowsOut]),
      [
        ['producer_0', 'FINISHED', null, 5],
        ['processor_0', 'FINISHED', 5, 5],
        ['storager_0', 'FINISHED', 5, 5],
      ],
    );
    assert.deepEqual(done.steps[2]!.result, { stored: 5 });
    assert.deepEqual(done.steps[2]!.progress, [{ done: 5, total: 5, label: 'memory' }]);
    assert.ok(done.startedAt && done.finishedAt && done.startedAt <= done.finishedAt);
    const stored = await t.app.store.get(job.id);
    assert.equal(stored?.status, 'FINISHED');
    const lines = await t.app.store.logLines(job.id, 0, 100);
    assert.equal(done.logCount, lines.length);
    assert.deepEqual(
      lines.map((l) => l.seq),
      lines.map((_, i) => i + 1),
    );
    assert.ok(lines.some((l) => l.step === 'producer_0' && l.message === `line 1 of ${job.id}`));
    assert.ok(lines.some((l) => l.step === 'processor_0' && l.message === 'doubling 5 rows'));
  });

  it('never runs more than maxConcurrentJobs at once, and starts jobs in submission order', async () => {
    const jobs = [];
    for (let i = 0; i < 10; i++)
      jobs.push(
        await submitSteps(t.app, [['p', 'TestRowsProducer', '', { ms: 150, probe: 'limit' }]]),
      );
    const done = await Promise.all(jobs.map((j) => waitForJob(t.app, j.id)));
    assert.ok(done.every((j) => j.status === 'FINISHED'));
    assert.equal(probe('limit').maxRunning, 4);
    assert.deepEqual(
      probe('limit').started,
      jobs.map((j) => j.id),
    );
  });

  it('fans out: every successor gets the output, and independent branches run at the same time', async () => {
    const job = await submitSteps(t.app, [
      ['p', 'TestRowsProducer', '', { rows: 2 }],
      ['a', 'TestCollectStorager', 'p', { probe: 'fan-a' }],
      ['double', 'TestDoubleProcessor', 'p'],
      ['b', 'TestCollectStorager', 'double', { probe: 'fan-b' }],
    ]);
    assert.equal((await waitForJob(t.app, job.id)).status, 'FINISHED');
    assert.deepEqual(probe('fan-a').values, [[1, 2]]);
    assert.deepEqual(probe('fan-b').values, [[2, 4]]);
  });

  it('fails the job with the failing step’s name and skips the steps after it', async () => {
    const job = await submitSteps(t.app, [
      ['p', 'TestRowsProducer', ''],
      ['bad', 'TestDoubleProcessor', 'p', { fail: 'no good' }],
      ['s', 'TestCollectStorager', 'bad', { probe: 'never' }],
    ]);
    const done = await waitForJob(t.app, job.id);
    assert.equal(done.status, 'FAILED');
    assert.equal(done.error, 'step "bad" failed: no good');
    assert.deepEqual(
      done.steps.map((s) => s.status),
      ['FINISHED', 'FAILED', 'SKIPPED'],
    );
    assert.equal(done.steps[1]!.error, 'no good');
    const lines = await t.app.store.logLines(job.id, 0, 100);
    assert.ok(lines.some((l) => l.level === 'error' && l.message.includes('step "bad" failed')));
  });

  it('cancels a waiting job at once and a running one through its signal', async () => {
    const blockers = [];
    for (let i = 0; i < 4; i++)
      blockers.push(await submitSteps(t.app, [['p', 'TestRowsProducer', '', { ms: 400 }]]));
    const waiting = await submitSteps(t.app, [
      ['p', 'TestRowsProducer', '', { probe: 'cancelled-waiting' }],
    ]);
    const cancelledWaiting = await t.app.executor.cancel(waiting.id);
    assert.equal(cancelledWaiting.status, 'CANCELLED');
    assert.equal(cancelledWaiting.startedAt, null);
    assert.deepEqual(
      cancelledWaiting.steps.map((s) => s.status),
      ['SKIPPED'],
    );

    const running = await t.app.executor.cancel(blockers[0]!.id, 'changed my mind');
    assert.equal(running.status, 'CANCELLED');
    assert.equal(running.error, 'changed my mind');
    assert.deepEqual(
      running.steps.map((s) => s.status),
      ['CANCELLED'],
    );
    assert.equal((await t.app.store.get(blockers[0]!.id))?.status, 'CANCELLED');
    await Promise.all(blockers.map((b) => waitForJob(t.app, b.id)));
    assert.deepEqual(probe('cancelled-waiting').started, []);
  });

  it('ends a job whose component ignores the signal, and times jobs out', async () => {
    const hanging = await submitSteps(t.app, [
      ['p', 'TestRowsProducer', '', { ms: 2000, ignoreAbort: true }],
    ]);
    await new Promise((r) => setTimeout(r, 50));
    const cancelled = await t.app.executor.cancel(hanging.id);
    assert.equal(cancelled.status, 'CANCELLED');

    const slow = await submitSteps(t.app, [['p', 'TestRowsProducer', '', { ms: 5000 }]], {
      timeoutMs: 100,
    });
    const timedOut = await waitForJob(t.app, slow.id);
    assert.equal(timedOut.status, 'FAILED');
    assert.equal(timedOut.error, 'timed out after 0.1 s');
  });

  it('keeps a 30-day timeout: the job runs to its end instead of failing at once', async () => {
    const thirtyDays = 30 * 86_400_000;
    const job = await submitSteps(t.app, [['p', 'TestRowsProducer', '', { ms: 300 }]], {
      timeoutMs: thirtyDays,
    });
    const done = await waitForJob(t.app, job.id);
    assert.equal(done.status, 'FINISHED', done.error ?? undefined);
    assert.equal((await t.app.store.get(job.id))?.timeoutMs, thirtyDays);
  });

  it('retries a job as a new job with the same spec, linked to the first', async () => {
    const first = await submitSteps(t.app, [['p', 'TestRowsProducer', '', { fail: 'flaky' }]]);
    assert.equal((await waitForJob(t.app, first.id)).status, 'FAILED');
    const retry = await t.app.executor.retry(first.id);
    assert.ok(retry.ok);
    assert.notEqual(retry.job.id, first.id);
    assert.equal(retry.job.retryOf, first.id);
    assert.deepEqual(retry.job.origin, { type: 'RETRY', name: null });
    assert.deepEqual(retry.job.spec, first.spec);
    assert.equal((await waitForJob(t.app, retry.job.id)).status, 'FAILED');
    await assert.rejects(t.app.executor.retry('01ARZ3NDEKTSV4RRFFQ69G5FAV'), /no job named/);
  });

  it('keeps the lines of two jobs logging at the same time apart, each numbered 1..n without gaps', async () => {
    const [a, b] = await Promise.all([
      submitSteps(t.app, [['p', 'TestRowsProducer', '', { lines: 3000 }]]),
      submitSteps(t.app, [['p', 'TestRowsProducer', '', { lines: 3000 }]]),
    ]);
    const [doneA, doneB] = await Promise.all([waitForJob(t.app, a.id), waitForJob(t.app, b.id)]);
    for (const job of [doneA, doneB]) {
      const lines = await t.app.store.logLines(job.id, 0, 10_000);
      assert.equal(lines.length, job.logCount);
      assert.deepEqual(
        lines.map((l) => l.seq),
        lines.map((_, i) => i + 1),
      );
      const own = lines.filter((l) => l.message.startsWith('line '));
      assert.equal(own.length, 3000);
      assert.ok(
        own.every((l, i) => l.message === `line ${i + 1} of ${job.id}`),
        'a line of the other job, or out of order',
      );
    }
  });

  it('lists jobs newest first, filtered by status, paged by id', async () => {
    const all = await t.app.executor.list({ limit: 1000 });
    assert.deepEqual(
      all.map((j) => j.id),
      [...all.map((j) => j.id)].sort().reverse(),
    );
    const failed = await t.app.executor.list({ statuses: ['FAILED'], limit: 1000 });
    assert.ok(failed.length >= 3 && failed.every((j) => j.status === 'FAILED'));
    const page = await t.app.executor.list({ limit: 2, beforeId: all[1]!.id });
    assert.deepEqual(
      page.map((j) => j.id),
      all.slice(2, 4).map((j) => j.id),
    );
  });
});

describe('a job whose component ignores its signal', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ server: { maxConcurrentJobs: 1, jobs: { abortGraceSeconds: 0.3 } } });
  });
  after(async () => t.destroy());

  it('holds its slot until the abort grace is over, never less; then the next job starts', async () => {
    const hanging = await submitSteps(t.app, [
      ['p', 'TestRowsProducer', '', { ms: 5000, ignoreAbort: true, probe: 'held' }],
    ]);
    const next = await submitSteps(t.app, [['p', 'TestRowsProducer', '', { probe: 'after' }]]);
    while (probe('held').started.length === 0) await new Promise((r) => setTimeout(r, 10));
    const cancelling = t.app.executor.cancel(hanging.id);
    // The component still runs, and the job holds the one slot: the next job waits.
    await new Promise((r) => setTimeout(r, 150));
    assert.equal((await t.app.executor.get(hanging.id))?.status, 'RUNNING');
    assert.deepEqual(probe('after').started, []);
    const cancelled = await cancelling;
    assert.equal(cancelled.status, 'CANCELLED');
    assert.equal(t.app.executor.stats.abortIgnored, 1);
    assert.equal((await waitForJob(t.app, next.id)).status, 'FINISHED');
    assert.deepEqual(probe('after').started, [next.id]);
    const lines = await t.app.store.logLines(hanging.id, 0, 100);
    assert.ok(lines.some((l) => /did not stop within 0.3 s/.test(l.message)));
  });
});

describe('maxQueuedJobs under concurrent submissions', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ server: { maxConcurrentJobs: 1, jobs: { maxQueuedJobs: 5 } } });
  });
  after(async () => t.destroy());

  it('twenty submissions at once against a queue of five: five are queued, fifteen refused', async () => {
    const blocker = await submitSteps(t.app, [['p', 'TestRowsProducer', '', { ms: 2000 }]]);
    while ((await t.app.executor.get(blocker.id))?.status !== 'RUNNING')
      await new Promise((r) => setTimeout(r, 10));
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, () => submitSteps(t.app, [['p', 'TestRowsProducer', '']])),
    );
    const accepted = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o) => o.status === 'rejected');
    assert.equal(accepted.length, 5);
    assert.equal(refused.length, 15);
    assert.ok(refused.every((o) => /jobs\.maxQueuedJobs/.test(String(o.reason))));
    assert.equal(t.app.executor.waitingCount, 5);
    await t.app.executor.cancel(blocker.id);
  });
});
