import { abortReason } from '../abort.js';
import { StreamStoppedError, type StepFailedError } from './step-errors.js';

/**
 * Why a pipeline's streams stop early: the job's signal (cancel, timeout, shutdown) or its first
 * failing step. Array steps are not touched by it (after a failure, steps already running finish
 * as before); streams stop pulling batches and return their producers' iterators.
 */
export class PipelineStop {
  #failure: StepFailedError | null = null;
  readonly #listeners = new Set<() => void>();

  constructor(private readonly signal: AbortSignal) {
    signal.addEventListener('abort', () => this.#notify(), { once: true });
  }

  /** The error a stopped stream ends with, or null while it may go on. */
  get reason(): Error | null {
    if (this.signal.aborted) return abortReason(this.signal);
    return this.#failure ? new StreamStoppedError(this.#failure) : null;
  }

  get failure(): StepFailedError | null {
    return this.#failure;
  }

  /** The first failure is kept (it is the job's error); later ones only stop streams. */
  fail(failure: StepFailedError): void {
    if (this.#failure) return;
    this.#failure = failure;
    this.#notify();
  }

  /** Calls `listener` once when the pipeline stops; returns how to stop listening. */
  onStop(listener: () => void): () => void {
    if (this.reason) {
      listener();
      return () => {};
    }
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #notify(): void {
    const listeners = [...this.#listeners];
    this.#listeners.clear();
    for (const listener of listeners) listener();
  }
}
