import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { WorkerPoolClosedError, WorkerTaskError } from '../../src/workers/errors.js';
import { WorkerPool } from '../../src/workers/worker-pool.js';

const TASKS = new URL('../graphql/components/work/spin.ts', import.meta.url);

describe('the worker pool', () => {
  const pool = new WorkerPool({ size: 2 });
  after(async () => pool.close());

  it('runs a TypeScript module’s function on a worker thread and returns its result', async () => {
    assert.deepEqual(await pool.run(TASKS, 'echo', { rows: [1, 2, 3], when: new Date(0) }), {
      rows: [1, 2, 3],
      when: new Date(0),
    });
    const { iterations } = await pool.run<{ iterations: number }>(TASKS, 'spin', { ms: 20 });
    assert.ok(iterations > 0);
  });

  it('keeps the event loop free while a task burns CPU', async () => {
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 1);
    try {
      await pool.run(TASKS, 'spin', { ms: 300 });
    } finally {
      clearInterval(ticker);
    }
    // Blocked, the loop would have ticked once at most; free, it ticked many times.
    assert.ok(ticks > 10, `${ticks} ticks`);
  });

  it('runs at most `size` tasks at once and queues the rest in order', async () => {
    const runs = Array.from({ length: 5 }, (_, i) => pool.run<number>(TASKS, 'echo', i));
    assert.ok(pool.stats.busy <= 2);
    assert.ok(pool.stats.workers <= 2);
    assert.deepEqual(await Promise.all(runs), [0, 1, 2, 3, 4]);
  });

  it('rejects with the worker’s error, and for a function that does not exist', async () => {
    await assert.rejects(pool.run(TASKS, 'fail', { message: 'too big' }), (error: unknown) => {
      assert.ok(error instanceof WorkerTaskError);
      assert.equal(error.errorName, 'RangeError');
      assert.equal(error.message, 'too big');
      return true;
    });
    await assert.rejects(pool.run(TASKS, 'nothing', {}), /exports no function named nothing/);
    assert.equal(await pool.run(TASKS, 'echo', 'still fine'), 'still fine');
  });

  it('aborts a running task by replacing its worker, and a queued one by dropping it', async () => {
    const running = new AbortController();
    const queued = new AbortController();
    const a = pool.run(TASKS, 'spin', { ms: 60_000 }, running.signal);
    const b = pool.run(TASKS, 'spin', { ms: 60_000 });
    const c = pool.run(TASKS, 'spin', { ms: 60_000 }, queued.signal);
    assert.deepEqual(pool.stats, { workers: 2, busy: 2, queued: 1 });
    queued.abort(new Error('not needed'));
    await assert.rejects(c, /not needed/);
    running.abort(new Error('cancelled'));
    await assert.rejects(a, /cancelled/);
    assert.deepEqual(pool.stats, { workers: 1, busy: 1, queued: 0 });
    assert.equal(await pool.run(TASKS, 'echo', 'after abort'), 'after abort');
    const bRejected = assert.rejects(b, WorkerPoolClosedError);
    await pool.close();
    await bRejected;
    await assert.rejects(pool.run(TASKS, 'echo', 1), WorkerPoolClosedError);
  });
});
