import type mysql from 'mysql2/promise';
import { abortReason } from '../../abort.js';
import { StatementTimeoutError } from './write-errors.js';

/**
 * Watches one connection's transaction: a statement that outlives the timeout, or an abort of the
 * signal, interrupts it. mysql2 cannot cancel a running query, so an interruption destroys the
 * connection (the server rolls back an uncommitted transaction when its client goes) and sends
 * `KILL <thread>` through the pool so the server stops the work and frees its locks now rather
 * than when it next looks at the socket. A destroyed mysql2 connection leaves the pending query's
 * promise unsettled, so callers race each statement against `interrupted`.
 */
export class StatementGuard {
  #reason: Error | undefined;
  #timer: NodeJS.Timeout | undefined;
  #reject!: (reason: Error) => void;
  /** Rejects with the reason once the transaction is interrupted; never resolves. */
  readonly interrupted: Promise<never>;

  constructor(
    private readonly connection: mysql.PoolConnection,
    private readonly pool: mysql.Pool,
    private readonly timeoutMs: number,
    private readonly signal: AbortSignal | undefined,
    private readonly onKillSent: () => void,
  ) {
    this.interrupted = new Promise<never>((_resolve, reject) => {
      this.#reject = reject;
    });
    // Nobody may be racing it when the interruption lands between statements.
    this.interrupted.catch(() => undefined);
    signal?.addEventListener('abort', this.#onAbort, { once: true });
    if (signal?.aborted) this.#onAbort();
  }

  /** Why the transaction was interrupted, if it was. */
  get reason(): Error | undefined {
    return this.#reason;
  }

  /** Starts the clock for the statement about to be sent. */
  arm(statement: string): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(
      () => this.#interrupt(new StatementTimeoutError(statement, this.timeoutMs)),
      this.timeoutMs,
    );
  }

  /** Runs one statement, unless or until the transaction is interrupted. */
  run<T>(statement: string, query: Promise<T>): Promise<T> {
    if (this.#reason) return Promise.reject(this.#reason);
    this.arm(statement);
    return Promise.race([query, this.interrupted]);
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.signal?.removeEventListener('abort', this.#onAbort);
  }

  #onAbort = (): void => {
    this.#interrupt(abortReason(this.signal!));
  };

  #interrupt(reason: Error): void {
    if (this.#reason) return;
    this.#reason = reason;
    clearTimeout(this.#timer);
    const threadId = this.connection.connection.threadId;
    this.connection.destroy();
    this.#reject(reason);
    if (Number.isSafeInteger(threadId) && threadId > 0) {
      this.onKillSent();
      // Best effort: the thread may already be gone, or the server unreachable.
      this.pool.query(`KILL ${threadId}`).catch(() => undefined);
    }
  }
}
