import { abortReason } from '../abort.js';
import { StreamStoppedError, type StepFailedError } from './step-errors.js';

/**
 * Why a pipeline's streams stop early: the job's signal (cancel, timeout, shutdown) or its first
 * failing step. Array steps are not touched by it (after a failure, steps already running finish
 * as before). An abort stops every stream at once; a failure stops the sources (steps whose input
 * is not a stream), and the steps reading them end when their input does, after the batches
 * already passed, so what was handed on before the failure is written.
 */
export class PipelineStop {
  #failure: StepFailedError | null = null;
  readonly #listeners = new Set<() => void>();
  readonly #abortListeners = new Set<() => void>();

  constructor(private readonly signal: AbortSignal) {
    signal.addEventListener(
      'abort',
      () => {
        notify(this.#listeners);
        notify(this.#abortListeners);
      },
      { once: true },
    );
  }

  /** The error a stopped stream ends with, or null while it may go on. */
  get reason(): Error | null {
    return this.abortReason ?? (this.#failure ? new StreamStoppedError(this.#failure) : null);
  }

  /** The job's signal's reason once aborted, else null: what stops every stream at once. */
  get abortReason(): Error | null {
    return this.signal.aborted ? abortReason(this.signal) : null;
  }

  get failure(): StepFailedError | null {
    return this.#failure;
  }

  /** The first failure is kept (it is the job's error); later ones only stop streams. */
  fail(failure: StepFailedError): void {
    if (this.#failure) return;
    this.#failure = failure;
    notify(this.#listeners);
  }

  /**
   * Calls `listener` once when the pipeline stops (only when it is aborted, with `abortOnly`);
   * returns how to stop listening.
   */
  onStop(listener: () => void, { abortOnly = false } = {}): () => void {
    if (abortOnly ? this.abortReason : this.reason) {
      listener();
      return () => {};
    }
    const listeners = abortOnly ? this.#abortListeners : this.#listeners;
    listeners.add(listener);
    return () => listeners.delete(listener);
  }
}

function notify(listeners: Set<() => void>): void {
  const waiting = [...listeners];
  listeners.clear();
  for (const listener of waiting) listener();
}
