import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  batches,
  collectRows,
  isBatchStream,
  mapBatches,
  type Rows,
} from '../../src/pipeline/batches.js';

async function* letters(): AsyncGenerator<string> {
  for (const letter of ['a', 'b', 'c', 'd', 'e']) yield await Promise.resolve(letter);
}

const all = async <T>(stream: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of stream) out.push(item);
  return out;
};

describe('batch helpers for component authors', () => {
  it('batches: groups an array, an iterable or an async iterable of rows, the last batch shorter', async () => {
    assert.deepEqual(await all(batches([1, 2, 3, 4, 5], 2)), [[1, 2], [3, 4], [5]]);
    assert.deepEqual(await all(batches(new Set([1, 2, 3]), 3)), [[1, 2, 3]]);
    assert.deepEqual(await all(batches(letters(), 4)), [['a', 'b', 'c', 'd'], ['e']]);
    assert.deepEqual(await all(batches([], 4)), []);
  });

  it('batches: refuses a size that is not a whole number of at least 1, saying so', async () => {
    await assert.rejects(all(batches([1], 0)), /size must be a whole number of at least 1, got 0/);
    await assert.rejects(all(batches([1], 2.5)), /got 2\.5/);
  });

  it('mapBatches: an array gives an array, a stream gives a stream, one processor for both', async () => {
    const double = (input: Rows<number>) => mapBatches(input, (batch) => batch.map((n) => n * 2));
    const fromArray = double([1, 2, 3]);
    assert.ok(!isBatchStream(fromArray));
    assert.deepEqual(await fromArray, [2, 4, 6]);
    const fromStream = double(batches([1, 2, 3], 2));
    assert.ok(isBatchStream(fromStream));
    assert.deepEqual(await all(fromStream), [[2, 4], [6]]);
  });

  it('mapBatches: maps a batch only when the reader asks for it, with its index', async () => {
    const mapped: number[] = [];
    const stream = mapBatches(batches([1, 2, 3, 4], 1), async (batch, index) => {
      mapped.push(index);
      await Promise.resolve();
      return batch;
    });
    const iterator = stream[Symbol.asyncIterator]();
    assert.deepEqual(mapped, []);
    await iterator.next();
    await iterator.next();
    assert.deepEqual(mapped, [0, 1]);
  });

  it('collectRows and isBatchStream', async () => {
    assert.deepEqual(await collectRows(batches(letters(), 2)), ['a', 'b', 'c', 'd', 'e']);
    assert.deepEqual(await collectRows([1, 2]), [1, 2]);
    assert.equal(isBatchStream([1]), false);
    assert.equal(isBatchStream(null), false);
    assert.equal(isBatchStream('text'), false);
    assert.equal(isBatchStream(letters()), true);
  });
});
