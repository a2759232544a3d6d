import { abortReason } from '../../abort.js';
import { errorMessage } from '../../errors.js';

export interface FetchProgress {
  /** Securities finished, with rows or failed. */
  done: number;
  failed: number;
  total: number;
}

/** What one security gave: its rows, or why it failed after its retries. */
export type SecurityOutcome<T> =
  | { kind: 'rows'; code: string; rows: T[]; progress: FetchProgress }
  | { kind: 'failed'; code: string; reason: string; error: unknown; progress: FetchProgress };

export interface FailedSecurity {
  code: string;
  reason: string;
}

/**
 * Fetches many securities at a bounded concurrency and hands them out as they complete. It is
 * pull-driven: a new security starts only when the consumer asks for the next outcome, so at most
 * `concurrency` are in flight and a slow consumer slows fetching (backpressure) without holding
 * more than `concurrency` results. A security that fails is an outcome, not an exception; only
 * the signal (or leaving the loop early) stops the whole fetch, and in-flight ones are aborted and
 * awaited before the iteration ends, so nothing outlives it.
 */
export class SecurityFetch<T> implements AsyncIterable<SecurityOutcome<T>> {
  readonly #codes: string[];
  readonly #progress: FetchProgress;
  readonly #failures: FailedSecurity[] = [];
  #started = false;

  constructor(
    codes: Iterable<string>,
    private readonly concurrency: number,
    private readonly fetchOne: (code: string, signal: AbortSignal) => Promise<T[]>,
    private readonly signal?: AbortSignal,
  ) {
    this.#codes = [...new Set(codes)];
    this.#progress = { done: 0, failed: 0, total: this.#codes.length };
  }

  get progress(): FetchProgress {
    return { ...this.#progress };
  }

  /** Securities that failed so far, with the reason of their last attempt. */
  get failures(): readonly FailedSecurity[] {
    return this.#failures;
  }

  [Symbol.asyncIterator](): AsyncIterator<SecurityOutcome<T>> {
    if (this.#started) throw new Error('a SecurityFetch can be iterated once');
    this.#started = true;
    return this.#run();
  }

  async *#run(): AsyncGenerator<SecurityOutcome<T>> {
    type Settled = { code: string; rows?: T[]; error?: unknown };
    const controller = new AbortController();
    const { signal } = this;
    const onAbort = (): void => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const inFlight = new Map<string, Promise<Settled>>();
    let next = 0;
    try {
      while (next < this.#codes.length || inFlight.size > 0) {
        if (signal?.aborted) throw abortReason(signal);
        while (inFlight.size < this.concurrency && next < this.#codes.length) {
          const code = this.#codes[next++]!;
          inFlight.set(
            code,
            this.fetchOne(code, controller.signal).then(
              (rows) => ({ code, rows }),
              (error: unknown) => ({ code, error }),
            ),
          );
        }
        const settled = await Promise.race(inFlight.values());
        inFlight.delete(settled.code);
        if (signal?.aborted) throw abortReason(signal);
        this.#progress.done += 1;
        if (settled.rows) {
          yield { kind: 'rows', code: settled.code, rows: settled.rows, progress: this.progress };
        } else {
          const reason = errorMessage(settled.error);
          this.#progress.failed += 1;
          this.#failures.push({ code: settled.code, reason });
          yield {
            kind: 'failed',
            code: settled.code,
            reason,
            error: settled.error,
            progress: this.progress,
          };
        }
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      controller.abort(new Error('the fetch was left before it finished'));
      await Promise.allSettled(inFlight.values());
    }
  }
}
