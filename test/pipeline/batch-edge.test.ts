import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BatchEdge } from '../../src/pipeline/batch-edge.js';

describe('a batch edge', () => {
  it('counts the batch its reader holds as in flight until the reader asks for the next', async () => {
    const edge = new BatchEdge<number[]>(2);
    edge.push([1]);
    edge.push([2]);
    assert.equal(edge.hasRoom, false);
    let roomMade = false;
    void edge.room().then(() => (roomMade = true));
    assert.deepEqual((await edge.next()).value, [1]);
    // Taken, not let go: still two in flight.
    assert.equal(edge.inFlight, 2);
    assert.equal(edge.hasRoom, false);
    assert.deepEqual((await edge.next()).value, [2]);
    await Promise.resolve();
    assert.equal(roomMade, true);
    assert.equal(edge.inFlight, 1);
    assert.equal(edge.mostInFlight, 2);
    assert.throws(() => {
      edge.push([3]);
      edge.push([4]);
    }, /over capacity \(2\)/);
  });

  it('close and fail reach the reader after what is queued; abort drops it', async () => {
    const closed = new BatchEdge<number[]>(3);
    closed.push([1]);
    closed.close();
    assert.deepEqual(await closed.next(), { done: false, value: [1] });
    assert.deepEqual(await closed.next(), { done: true, value: undefined });

    const failed = new BatchEdge<number[]>(3);
    failed.push([1]);
    failed.fail(new Error('upstream broke'));
    assert.deepEqual((await failed.next()).value, [1]);
    await assert.rejects(failed.next(), /upstream broke/);

    const aborted = new BatchEdge<number[]>(3);
    aborted.push([1]);
    aborted.abort(new Error('cancelled'));
    await assert.rejects(aborted.next(), /cancelled/);
  });

  it('wakes a waiting reader with the next batch or the end', async () => {
    const edge = new BatchEdge<number[]>(1);
    const first = edge.next();
    edge.push([7]);
    assert.deepEqual(await first, { done: false, value: [7] });
    const second = edge.next();
    edge.close();
    assert.deepEqual(await second, { done: true, value: undefined });
  });

  it('a reader that leaves never holds the writer up, and its step’s end is told apart', async () => {
    const edge = new BatchEdge<number[]>(1);
    edge.push([1]);
    let ended = false;
    void edge.readerEnded.then(() => (ended = true));
    await edge.return();
    assert.equal(edge.detached, true);
    assert.equal(edge.hasRoom, true);
    edge.push([2]);
    assert.equal(edge.inFlight, 0);
    await Promise.resolve();
    assert.equal(ended, false);
    edge.detach();
    await Promise.resolve();
    assert.equal(ended, true);
  });

  it('refuses a capacity below 1', () => {
    assert.throws(() => new BatchEdge(0), /at least 1 batch, got 0/);
  });
});
