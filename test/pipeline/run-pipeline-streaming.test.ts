import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JobCancelledError } from '../../src/errors.js';
import { isBatchStream, mapBatches, type Rows } from '../../src/pipeline/batches.js';
import {
  StepFailedError,
  StreamStoppedError,
  DEFAULT_BATCHES_IN_FLIGHT_PER_EDGE,
} from '../../src/pipeline/run-pipeline.js';
import { numberBatch, runSteps, yieldTurns } from './support.js';

/** A producer of `count` batches of `size` that counts what it yields and whether it was closed. */
function countingProducer(count: number, size: number, failAt?: number) {
  const seen = { yielded: 0, finallyRan: false, leads: [] as number[] };
  const released = { count: 0 };
  async function* produce(): AsyncGenerator<number[]> {
    try {
      for (let k = 1; k <= count; k++) {
        if (k === failAt) throw new Error(`no data for batch ${k}`);
        seen.yielded += 1;
        // Batches yielded but not yet let go by the reader: what the edge holds.
        seen.leads.push(seen.yielded - released.count);
        yield await Promise.resolve(numberBatch(k, size));
      }
    } finally {
      seen.finallyRan = true;
    }
  }
  return { seen, released, produce };
}

describe('streaming between steps', () => {
  it('hands a stream on as a stream, counting rows in and out as batches pass', async () => {
    const got: number[][] = [];
    const kinds: string[] = [];
    const { steps } = await runSteps([
      { name: 'p', run: () => countingProducer(10, 100).produce() },
      {
        name: 'double',
        pre: 'p',
        run: (input) => {
          kinds.push(isBatchStream(input) ? 'stream' : 'array');
          return mapBatches(input as Rows<number>, (batch) => batch.map((n) => n * 2));
        },
      },
      {
        name: 's',
        pre: 'double',
        run: async (input) => {
          kinds.push(isBatchStream(input) ? 'stream' : 'array');
          for await (const batch of input as AsyncIterable<number[]>) got.push(batch);
          return [];
        },
      },
    ]);
    assert.deepEqual(kinds, ['stream', 'stream']);
    assert.equal(got.length, 10);
    assert.deepEqual(got.flat().slice(0, 3), [2, 4, 6]);
    assert.equal(got.flat().at(-1), 2000);
    assert.deepEqual(
      Object.entries(steps).map(([n, s]) => [n, s.status, s.rowsIn, s.rowsOut]),
      [
        ['p', 'FINISHED', null, 1000],
        ['double', 'FINISHED', 1000, 1000],
        ['s', 'FINISHED', 1000, 0],
      ],
    );
    // Counted as they passed, not once at the end.
    assert.equal(steps.p!.rowEvents, 10);
    assert.equal(steps.s!.rowEvents, 10);
  });

  it('an array stays an array, and the partition reaches every component', async () => {
    const seen: unknown[] = [];
    const { steps } = await runSteps(
      [
        { name: 'p', run: (_i, c) => (seen.push(c.partition), [1, 2, 3]) },
        {
          name: 's',
          pre: 'p',
          run: (input, c) => {
            seen.push(c.partition, Array.isArray(input));
            return mapBatches(input as Rows<number>, (b) => b);
          },
        },
      ],
      { partition: '2024-02-08' },
    );
    assert.deepEqual(seen, ['2024-02-08', '2024-02-08', true]);
    assert.deepEqual([steps.s!.rowsIn, steps.s!.rowsOut], [3, 3]);
  });

  it('holds at most batchesInFlightPerEdge batches on each edge, the reader’s own included', async () => {
    for (const bound of [1, 3]) {
      const producer = countingProducer(40, 10);
      const mapped = { yielded: 0, leads: [] as number[] };
      const stored = { released: 0 };
      await runSteps(
        [
          { name: 'p', run: () => producer.produce() },
          {
            name: 'map',
            pre: 'p',
            run: async function* (input) {
              for await (const batch of input as AsyncIterable<number[]>) {
                mapped.yielded += 1;
                mapped.leads.push(mapped.yielded - stored.released);
                yield batch.map((n) => -n);
                producer.released.count += 1;
              }
            },
          },
          {
            name: 'slow',
            pre: 'map',
            run: async (input) => {
              for await (const _batch of input as AsyncIterable<number[]>) {
                await yieldTurns(5);
                stored.released += 1;
              }
              return [];
            },
          },
        ],
        { batchesInFlightPerEdge: bound },
      );
      assert.equal(producer.seen.yielded, 40);
      assert.equal(Math.max(...producer.seen.leads), bound, `producer → map, bound ${bound}`);
      assert.equal(Math.max(...mapped.leads), bound, `map → slow, bound ${bound}`);
    }
  });

  it('defaults to a small bound', () => {
    assert.equal(DEFAULT_BATCHES_IN_FLIGHT_PER_EDGE, 4);
  });

  it('fans out: every reader gets every batch, and the slowest sets the pace', async () => {
    const producer = countingProducer(30, 5);
    const fast: number[][] = [];
    const slow: number[][] = [];
    let slowReleased = 0;
    const leadsOverSlow: number[] = [];
    const { steps } = await runSteps(
      [
        {
          name: 'p',
          run: async function* () {
            for await (const batch of producer.produce()) {
              leadsOverSlow.push(producer.seen.yielded - slowReleased);
              yield batch;
            }
          },
        },
        {
          name: 'fast',
          pre: 'p',
          run: async (input) => {
            for await (const batch of input as AsyncIterable<number[]>) fast.push(batch);
            return [];
          },
        },
        {
          name: 'slow',
          pre: 'p',
          run: async (input) => {
            for await (const batch of input as AsyncIterable<number[]>) {
              await yieldTurns(5);
              slow.push(batch);
              slowReleased += 1;
            }
            return [];
          },
        },
      ],
      { batchesInFlightPerEdge: 2 },
    );
    assert.equal(fast.length, 30);
    assert.deepEqual(slow, fast);
    assert.equal(Math.max(...leadsOverSlow), 2);
    assert.deepEqual([steps.fast!.rowsIn, steps.slow!.rowsIn], [150, 150]);
  });

  it('fails a step that yields something other than an array, naming the step and the batch', async () => {
    let finallyRan = false;
    const { steps, error } = await runSteps([
      {
        name: 'p',
        run: async function* () {
          try {
            for (const batch of [[1], [2], 3, [4]]) yield await Promise.resolve(batch);
          } finally {
            finallyRan = true;
          }
        },
      },
      { name: 's', pre: 'p', run: (input) => mapBatches(input as Rows<number>, (b) => b) },
    ]);
    assert.ok(error instanceof StepFailedError);
    assert.equal(error.message, 'step "p" failed: batch 3 is not an array of rows (got number)');
    assert.ok(finallyRan);
    assert.equal(steps.p!.status, 'FAILED');
    assert.ok(steps.s!.error instanceof StreamStoppedError);
    assert.equal(steps.s!.rowsIn, 2);
  });

  it('a failure in batch 17 ends its readers after the 16 batches before it', async () => {
    const producer = countingProducer(40, 100, 17);
    const written: number[] = [];
    const { steps, error } = await runSteps([
      { name: 'p', run: () => producer.produce() },
      {
        name: 's',
        pre: 'p',
        run: async (input, { setResult }) => {
          for await (const batch of input as AsyncIterable<number[]>) {
            await yieldTurns(2);
            written.push(batch.length);
            setResult({ batches: written.length });
          }
          return [];
        },
      },
    ]);
    assert.ok(error instanceof StepFailedError);
    assert.equal(error.message, 'step "p" failed: no data for batch 17');
    assert.equal(written.length, 16);
    assert.deepEqual(steps.s!.result, { batches: 16 });
    assert.equal(steps.s!.rowsIn, 1600);
    assert.equal(steps.p!.rowsOut, 1600);
    assert.equal(steps.s!.status, 'FAILED');
    assert.ok(steps.s!.error instanceof StreamStoppedError);
  });

  it('a reader that fails stops the producer (its iterator is returned)', async () => {
    const producer = countingProducer(1000, 10);
    const { steps, error } = await runSteps(
      [
        { name: 'p', run: () => producer.produce() },
        {
          name: 's',
          pre: 'p',
          run: async (input) => {
            let n = 0;
            for await (const _ of input as AsyncIterable<number[]>)
              if (++n === 5) throw new Error('target refused batch 5');
            return [];
          },
        },
      ],
      { batchesInFlightPerEdge: 3 },
    );
    assert.equal((error as Error).message, 'step "s" failed: target refused batch 5');
    assert.ok(producer.seen.finallyRan);
    assert.ok(producer.seen.yielded <= 5 + 3, `yielded ${producer.seen.yielded}`);
    assert.ok(steps.p!.error instanceof StreamStoppedError);
  });

  it('a failure at the end of a chain stops the steps before it, the middle one included', async () => {
    const producer = countingProducer(1000, 10);
    const { steps, error } = await runSteps([
      { name: 'p', run: () => producer.produce() },
      { name: 'm', pre: 'p', run: (input) => mapBatches(input as Rows<number>, (b) => b) },
      {
        name: 's',
        pre: 'm',
        run: async (input) => {
          let n = 0;
          for await (const _ of input as AsyncIterable<number[]>)
            if (++n === 3) throw new Error('disk full');
          return [];
        },
      },
    ]);
    assert.equal((error as Error).message, 'step "s" failed: disk full');
    assert.ok(producer.seen.finallyRan);
    assert.ok(steps.m!.error instanceof StreamStoppedError);
    assert.ok(steps.p!.error instanceof StreamStoppedError);
    assert.ok(producer.seen.yielded < 1000);
  });

  it('a failure downstream of a fan-out lets the sibling reader finish what it was given', async () => {
    const producer = countingProducer(1000, 10);
    const sibling: number[][] = [];
    const { steps } = await runSteps(
      [
        { name: 'p', run: () => producer.produce() },
        {
          name: 'bad',
          pre: 'p',
          run: async (input) => {
            for await (const _ of input as AsyncIterable<number[]>) throw new Error('no');
            return [];
          },
        },
        {
          name: 'good',
          pre: 'p',
          run: async (input) => {
            for await (const batch of input as AsyncIterable<number[]>) sibling.push(batch);
            return [];
          },
        },
      ],
      { batchesInFlightPerEdge: 2 },
    );
    assert.ok(producer.seen.finallyRan);
    assert.ok(steps.good!.error instanceof StreamStoppedError);
    // Every batch the producer yielded before it stopped reached the reader that did not fail.
    assert.equal(sibling.length, producer.seen.yielded);
  });

  it('an abort mid-stream returns the producer’s iterator and ends every reader at once', async () => {
    const controller = new AbortController();
    const producer = countingProducer(1_000_000, 10);
    let read = 0;
    const { steps, error } = await runSteps(
      [
        { name: 'p', run: () => producer.produce() },
        {
          name: 's',
          pre: 'p',
          run: async (input) => {
            for await (const _ of input as AsyncIterable<number[]>) {
              if (++read === 7) controller.abort(new JobCancelledError('by a test'));
              await yieldTurns(1);
            }
            return [];
          },
        },
      ],
      { signal: controller.signal },
    );
    assert.ok(error instanceof StepFailedError);
    assert.ok(producer.seen.finallyRan);
    assert.equal(read, 7);
    assert.ok(producer.seen.yielded <= 7 + DEFAULT_BATCHES_IN_FLIGHT_PER_EDGE);
    assert.ok(steps.p!.error instanceof JobCancelledError);
    assert.ok(steps.s!.error instanceof JobCancelledError);
  });

  it('a reader that stops early ends the producer, which finishes with what it yielded', async () => {
    const producer = countingProducer(1000, 10);
    const { steps, error } = await runSteps([
      { name: 'p', run: () => producer.produce() },
      {
        name: 'head',
        pre: 'p',
        run: async (input) => {
          for await (const batch of input as AsyncIterable<number[]>) return batch;
          return [];
        },
      },
    ]);
    assert.equal(error, null);
    assert.ok(producer.seen.finallyRan);
    assert.equal(steps.p!.status, 'FINISHED');
    assert.ok(producer.seen.yielded <= 1 + DEFAULT_BATCHES_IN_FLIGHT_PER_EDGE);
    assert.equal(steps.p!.rowsOut, producer.seen.yielded * 10);
    assert.deepEqual([steps.head!.status, steps.head!.rowsOut], ['FINISHED', 10]);
  });

  it('a stream nobody reads is still drained (a storager that yields what it wrote)', async () => {
    const producer = countingProducer(12, 3);
    const { steps } = await runSteps([{ name: 'p', run: () => producer.produce() }]);
    assert.equal(producer.seen.yielded, 12);
    assert.deepEqual([steps.p!.status, steps.p!.rowsOut], ['FINISHED', 36]);
  });
});
