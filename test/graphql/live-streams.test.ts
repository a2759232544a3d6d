import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { JobLogStream } from '../../src/graphql/live/job-log-stream.js';
import { JobStatusStream } from '../../src/graphql/live/job-status-stream.js';
import { LiveFeeds, type LogBatch } from '../../src/graphql/live/live-feeds.js';
import { submitSteps, waitForJob } from '../support/jobs.js';
import type { TestApp } from '../support/test-app.js';
import { range, startGraphQLTestApp } from './support.js';

/** The streams behind the subscriptions, pulled directly: what a transport does, at the pace a test chooses. */
describe('live streams', () => {
  let t: TestApp;
  let live: LiveFeeds;
  before(async () => {
    t = await startGraphQLTestApp({ server: { maxConcurrentJobs: 1 } });
    live = new LiveFeeds(t.app.bus, {
      maxBatchLines: 300,
      maxPendingLines: 1000,
      maxPendingJobs: 10,
    });
  });
  after(async () => {
    live.close();
    await t.destroy();
  });

  const deps = () => ({ executor: t.app.executor, store: t.app.store, live });

  it('a log subscriber that stops pulling holds at most maxPendingLines, then catches up from the store, losing nothing', async () => {
    const blocker = await submitSteps(t.app, [['p', 'TestRowsProducer', '', { ms: 60_000 }]]);
    const job = await submitSteps(t.app, [
      ['p', 'TestChattyProducer', '', { lines: 10_000, perTick: 100 }],
    ]);
    const stream = await JobLogStream.open(job.id, 0, deps());
    const first = stream.next(); // waits: nothing written yet
    await t.app.executor.cancel(blocker.id);
    const batches: LogBatch[] = [(await first).value!];
    const overflowsBefore = live.stats.logOverflows;
    await waitForJob(t.app, job.id); // meanwhile nobody pulls
    assert.equal(live.stats.logOverflows, overflowsBefore + 1);
    assert.ok(
      live.stats.maxPendingLinesSeen <= 1000,
      `held ${live.stats.maxPendingLinesSeen} lines`,
    );
    for await (const batch of stream) batches.push(batch);
    const final = await t.app.executor.get(job.id);
    assert.deepEqual(
      batches.flatMap((b) => b.lines.map((l) => l.seq)),
      range(1, final!.logCount),
    );
    assert.ok(batches.every((b) => b.lines.length <= 300 && b.cursor === b.lines.at(-1)!.seq));
  });

  it('hands subscribers that keep up the very same batch objects', async () => {
    const blocker = await submitSteps(t.app, [['p', 'TestRowsProducer', '', { ms: 60_000 }]]);
    const job = await submitSteps(t.app, [
      ['p', 'TestChattyProducer', '', { lines: 2000, perTick: 200, tickMs: 20 }],
    ]);
    const [a, b] = await Promise.all([
      JobLogStream.open(job.id, 0, deps()),
      JobLogStream.open(job.id, 0, deps()),
    ]);
    const pull = async (stream: JobLogStream) => {
      const out: LogBatch[] = [];
      for await (const batch of stream) out.push(batch);
      return out;
    };
    // Both are waiting for lines (nothing is stored yet) when the job starts.
    const pulls = Promise.all([pull(a), pull(b)]);
    await t.app.executor.cancel(blocker.id);
    const [fromA, fromB] = await pulls;
    assert.deepEqual(
      fromA.flatMap((x) => x.lines.map((l) => l.seq)),
      fromB.flatMap((x) => x.lines.map((l) => l.seq)),
    );
    const shared = fromA.filter((batch) => fromB.includes(batch));
    assert.ok(shared.length > 0, 'live batches are shared');
  });

  it('a status subscriber that stops pulling keeps every status change and only the latest progress', async () => {
    const blocker = await submitSteps(t.app, [['p', 'TestRowsProducer', '', { ms: 60_000 }]]);
    const job = await submitSteps(t.app, [
      ['p', 'TestRowsProducer', '', { rows: 3 }],
      ['s', 'TestCollectStorager', 'p', { probe: 'live-streams' }],
    ]);
    const stream = await JobStatusStream.open(job.id, deps());
    await t.app.executor.cancel(blocker.id);
    await waitForJob(t.app, job.id);
    const events = [];
    for await (const event of stream) events.push([event.change, event.job.status]);
    assert.deepEqual(events[0], ['CURRENT', 'WAITING']);
    assert.deepEqual(events.at(-1), ['STATUS', 'FINISHED']);
    const statuses = events.filter(([change]) => change !== 'PROGRESS').map(([, status]) => status);
    assert.deepEqual(statuses, ['WAITING', 'RUNNING', 'FINISHED']);
    assert.ok(events.filter(([change]) => change === 'PROGRESS').length <= 1);
  });

  it('ends every open stream when the feeds close, and unknown jobs are refused', async () => {
    const blocker = await submitSteps(t.app, [['p', 'TestRowsProducer', '', { ms: 60_000 }]]);
    const other = new LiveFeeds(t.app.bus);
    const stream = await JobLogStream.open(blocker.id, 0, { ...deps(), live: other });
    const pending = stream.next();
    assert.equal(other.stats.openStreams, 1);
    other.close();
    assert.deepEqual(await pending, { done: true, value: undefined });
    assert.equal(other.stats.openStreams, 0);
    await assert.rejects(JobLogStream.open('nope', 0, deps()), /no job named "nope"/);
    await assert.rejects(JobStatusStream.open('nope', deps()), /no job named "nope"/);
    assert.equal(live.stats.openStreams, 0);
    await t.app.executor.cancel(blocker.id);
  });
});
