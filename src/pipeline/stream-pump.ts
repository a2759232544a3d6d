import { describeType } from '../validation.js';
import type { BatchEdge } from './batch-edge.js';
import type { PipelineStop } from './pipeline-stop.js';
import { BatchInvalidError } from './step-errors.js';

export interface PumpOptions {
  /** Runs the step's own code (its iterator) in the step's log scope. */
  inScope: <T>(fn: () => T) => T;
  stop: PipelineStop;
  /**
   * True for a source (its input is not a stream): it stops at the first failure anywhere. A step
   * reading a stream goes on until its input ends, so the batches passed before a failure arrive.
   */
  stopOnFailure: boolean;
  /** Rows yielded so far, after each batch. */
  onRows: (rowsOut: number) => void;
  /** The step's stream failed: called before its readers are told, so they learn who failed. */
  onFailed: (error: unknown) => void;
}

/**
 * Moves a step's batches to its successors' edges. It asks the step for a batch only once every
 * edge has room, so the slowest reader sets the pace and a step is never more than `capacity`
 * batches ahead of any of them. It ends when the stream does (every edge closed), when nobody
 * reads any more, or when the pipeline stops; then the step's iterator is returned (its `finally`
 * runs) and the edges end with the error. Resolves with the rows yielded.
 */
export async function pumpStream(
  stream: AsyncIterable<unknown>,
  edges: readonly BatchEdge<readonly unknown[]>[],
  { inScope, stop, stopOnFailure, onRows, onFailed }: PumpOptions,
): Promise<number> {
  const iterator = inScope(() => stream[Symbol.asyncIterator]());
  let ended = false;
  let batch = 0;
  let rows = 0;
  try {
    const throwIfStopped = () => {
      const reason = stopOnFailure ? stop.reason : stop.abortReason;
      if (reason !== null) throw reason;
    };
    for (;;) {
      while (!edges.every((edge) => edge.hasRoom)) {
        await roomOnEvery(edges, stop, !stopOnFailure);
        throwIfStopped();
      }
      throwIfStopped();
      // Every reader left: nothing more is wanted, unless a reader left because it failed.
      if (edges.length > 0 && edges.every((edge) => edge.detached)) {
        await Promise.all(edges.map((edge) => edge.readerEnded));
        // A reader that failed stops this step (it is no source, but nobody takes its batches).
        const reason = stop.reason;
        if (reason !== null) throw reason;
        break;
      }
      const next = await inScope(() => iterator.next());
      if (next.done) {
        ended = true;
        break;
      }
      batch += 1;
      if (!Array.isArray(next.value)) throw new BatchInvalidError(batch, describeType(next.value));
      const value = next.value as readonly unknown[];
      rows += value.length;
      onRows(rows);
      for (const edge of edges) edge.push(value);
    }
    for (const edge of edges) edge.close();
    return rows;
  } catch (error) {
    if (!stop.reason) onFailed(error);
    // The readers get the batches already queued, then the error (a storager writes what it was given).
    const reason = stop.reason ?? error;
    for (const edge of edges) edge.fail(reason);
    throw error;
  } finally {
    // A stream that did not end by itself is told to stop, so its `finally` (a socket, a file) runs.
    if (!ended) await returnQuietly(iterator, inScope);
  }
}

/** Resolves when every edge has room, or the pipeline stops (the caller looks at which). */
function roomOnEvery<Batch>(
  edges: readonly BatchEdge<Batch>[],
  stop: PipelineStop,
  abortOnly: boolean,
): Promise<void> {
  return new Promise((resolve) => {
    const off = stop.onStop(resolve, { abortOnly });
    void Promise.all(edges.map((edge) => edge.room())).then(() => {
      off();
      resolve();
    });
  });
}

async function returnQuietly(
  iterator: AsyncIterator<unknown>,
  inScope: <T>(fn: () => T) => T,
): Promise<void> {
  try {
    await inScope(() => iterator.return?.());
  } catch {
    // The step's own failure (or the stop) is what the job reports; an error while closing adds nothing.
  }
}
