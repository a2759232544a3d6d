import { errorMessage } from '../errors.js';

interface WaitingReader<Batch> {
  resolve(result: IteratorResult<Batch>): void;
  reject(error: unknown): void;
}

/**
 * One edge of a pipeline, from a step whose output is a stream of batches to one of its
 * successors, which reads it as an async iterable. A batch is in flight from the moment it is
 * pushed until the reader asks for the next one (or leaves), so the batch a storager is writing
 * counts: at most `capacity` batches are ever held for this edge, whatever the reader does with
 * them. The writer (the runner's pump) waits for `room()` before it asks its step for a batch.
 */
export class BatchEdge<Batch> implements AsyncIterable<Batch>, AsyncIterator<Batch> {
  readonly #queue: Batch[] = [];
  /** The reader holds the batch it was last given until it asks for another. */
  #holding = false;
  /** Set once the writer is done: after the queue is drained the reader sees the end (or the error). */
  #end: { error?: unknown } | null = null;
  /** The reader left (returned, or its step ended): pushes are dropped, it never holds up the writer. */
  #detached = false;
  #readerStepEnded!: () => void;
  /**
   * Resolves once the reading step has ended (the runner calls `detach`). A reader can leave its
   * loop before its step has reported why (a `throw` inside `for await`), so the writer waits for
   * this before it takes "nobody reads any more" to mean its own success.
   */
  readonly readerEnded = new Promise<void>((resolve) => (this.#readerStepEnded = resolve));
  #reader: WaitingReader<Batch> | null = null;
  #roomWaiters: Array<() => void> = [];
  #mostInFlight = 0;
  #onTake: (batch: Batch) => void = () => {};

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`a batch edge holds at least 1 batch, got ${capacity}`);
  }

  /** Called with each batch as the reader takes it (the runner counts the reading step's rows in). */
  onTake(listener: (batch: Batch) => void): void {
    this.#onTake = listener;
  }

  get inFlight(): number {
    return this.#queue.length + (this.#holding ? 1 : 0);
  }

  /** The most batches this edge held at once. */
  get mostInFlight(): number {
    return this.#mostInFlight;
  }

  get detached(): boolean {
    return this.#detached;
  }

  get hasRoom(): boolean {
    return this.#detached || this.#end !== null || this.inFlight < this.capacity;
  }

  /** Resolves once a batch may be pushed (or nobody reads any more). */
  room(): Promise<void> {
    if (this.hasRoom) return Promise.resolve();
    return new Promise((resolve) => this.#roomWaiters.push(resolve));
  }

  /** Only after `room()`: the edge never holds more than its capacity. */
  push(batch: Batch): void {
    if (this.#detached || this.#end !== null) return;
    if (this.inFlight >= this.capacity)
      throw new Error(`batch edge over capacity (${this.capacity}): push only after room()`);
    if (this.#reader) {
      const reader = this.#reader;
      this.#reader = null;
      this.#hand(reader, batch);
    } else this.#queue.push(batch);
    this.#mostInFlight = Math.max(this.#mostInFlight, this.inFlight);
  }

  /** No more batches: the reader gets what is queued, then the end. */
  close(): void {
    this.#finish({}, false);
  }

  /** The writer failed: the reader gets what is queued, then `error`. */
  fail(error: unknown): void {
    this.#finish({ error }, false);
  }

  /** The job was aborted: what is queued is dropped and the reader gets `error` at once. */
  abort(error: unknown): void {
    this.#queue.length = 0;
    this.#finish({ error }, true);
  }

  /** The reading step has ended: the writer no longer waits for it. */
  detach(): void {
    this.#leave();
    this.#readerStepEnded();
  }

  #leave(): void {
    if (this.#detached) return;
    this.#detached = true;
    this.#queue.length = 0;
    this.#holding = false;
    this.#wakeWriter();
  }

  [Symbol.asyncIterator](): AsyncIterator<Batch> {
    return this;
  }

  next(): Promise<IteratorResult<Batch>> {
    if (this.#reader) return Promise.reject(new Error('a batch edge has one reader at a time'));
    if (this.#holding) {
      this.#holding = false;
      this.#wakeWriter();
    }
    if (this.#detached) return Promise.resolve({ done: true, value: undefined });
    const batch = this.#queue.shift();
    if (batch !== undefined) {
      // From the queue to the reader's hands: still in flight, so no room is made.
      this.#holding = true;
      this.#onTake(batch);
      return Promise.resolve({ done: false, value: batch });
    }
    if (this.#end) {
      const { error } = this.#end;
      return error === undefined
        ? Promise.resolve({ done: true, value: undefined })
        : Promise.reject(error instanceof Error ? error : new Error(errorMessage(error)));
    }
    return new Promise((resolve, reject) => (this.#reader = { resolve, reject }));
  }

  /** `break` in a `for await`, or the reader stopping early. */
  return(): Promise<IteratorResult<Batch>> {
    this.#leave();
    return Promise.resolve({ done: true, value: undefined });
  }

  #hand(reader: WaitingReader<Batch>, batch: Batch): void {
    this.#holding = true;
    this.#onTake(batch);
    reader.resolve({ done: false, value: batch });
  }

  /** The first ending stays, except that an abort replaces a quiet one. */
  #finish(end: { error?: unknown }, replace: boolean): void {
    if (this.#end !== null && !replace) return;
    this.#end = end;
    if (this.#reader && this.#queue.length === 0) {
      const reader = this.#reader;
      this.#reader = null;
      const { error } = this.#end;
      if (error === undefined) reader.resolve({ done: true, value: undefined });
      else reader.reject(error);
    }
    this.#wakeWriter();
  }

  #wakeWriter(): void {
    if (!this.hasRoom) return;
    const waiters = this.#roomWaiters;
    this.#roomWaiters = [];
    for (const wake of waiters) wake();
  }
}
