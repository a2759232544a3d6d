/**
 * The base of every subscription's event source: a pull-based async iterator. Nothing is produced
 * until the transport asks for the next event, which it does only once the previous one was
 * written to the socket, so a slow client slows its own stream, never the server. Unlike an async
 * generator, `return()` ends the stream at once, even while it waits for an event, so a client
 * that goes away releases its listeners immediately.
 */
export abstract class LiveStream<T> implements AsyncIterableIterator<T> {
  #closed = false;
  #wake: (() => void) | undefined;
  #dirty = false;
  readonly #onClose: (() => void)[] = [];

  get closed(): boolean {
    return this.#closed;
  }

  /** The next event, or undefined when the stream is complete. */
  protected abstract produce(): Promise<T | undefined>;

  /** Runs when the stream ends, however it ends. */
  protected onClose(cleanup: () => void): void {
    if (this.#closed) cleanup();
    else this.#onClose.push(cleanup);
  }

  /** Something changed: wakes a pending `waitForChange`. */
  protected notify(): void {
    this.#dirty = true;
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  /** Resolves on the next `notify` (or at once if one came since the last wait), or when the stream closes. */
  protected waitForChange(): Promise<void> {
    if (this.#dirty || this.#closed) {
      this.#dirty = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.#wake = () => {
        this.#dirty = false;
        resolve();
      };
    });
  }

  /** Ends the stream: a pending `next()` completes, later ones are done. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const cleanup of this.#onClose.splice(0)) cleanup();
    this.notify();
  }

  async next(): Promise<IteratorResult<T, undefined>> {
    if (this.#closed) return { done: true, value: undefined };
    try {
      const value = await this.produce();
      if (value === undefined || this.#closed) {
        this.close();
        return { done: true, value: undefined };
      }
      return { done: false, value };
    } catch (error) {
      this.close();
      throw error;
    }
  }

  return(): Promise<IteratorResult<T, undefined>> {
    this.close();
    return Promise.resolve({ done: true, value: undefined });
  }

  throw(error?: unknown): Promise<IteratorResult<T, undefined>> {
    this.close();
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
