import type { Logger } from 'pino';
import { abortReason, sleep } from '../../abort.js';
import { ConflictError } from '../../errors.js';
import { DEFAULT_RETRY_POLICY, retryDelayMs, type RetryPolicy } from '../../retry-policy.js';
import type { BaoStockEndpoint } from './endpoint.js';
import { isTransientFailure, sessionSurvives } from './errors.js';
import type { QueryContext } from './market-queries.js';
import { BaoStockSession } from './session.js';

export interface SessionPoolOptions {
  logger?: Logger;
  /** Attempts per query and the waits between them; default DEFAULT_RETRY_POLICY. */
  retryPolicy?: RetryPolicy;
  /** Jitter source for the waits (tests pin it). */
  random?: () => number;
  /** Client time for logout requests. */
  now?: () => Date;
  maxReplyBytes?: number;
}

export interface SessionPoolStats {
  /** Sessions logged in (a replaced session logs in again). */
  logins: number;
  /** Sessions dropped after a failure. */
  dropped: number;
  /** Attempts repeated after a transient failure. */
  retries: number;
  logouts: number;
}

/**
 * The sessions of one BaoStock endpoint: at most `endpoint.sessions` open at once, each one TCP
 * connection logged in once and reused query after query. A session serves one query at a time
 * (the protocol is lock-step, §2), so concurrency is the number of sessions. A session that fails
 * is dropped, never reused, and the next query that needs one logs a new one in.
 *
 * `run` retries a query on transient failures (network, broken bytes, transient service codes,
 * an empty reply where rows were expected) up to `retryPolicy.attempts` times, waiting
 * `retryDelayMs` between attempts without holding a session; anything else fails at once.
 */
export class BaoStockSessionPool {
  readonly size: number;
  readonly stats: SessionPoolStats = { logins: 0, dropped: 0, retries: 0, logouts: 0 };
  readonly #idle: BaoStockSession[] = [];
  readonly #waiters = new Set<() => void>();
  /** Sessions open or being opened, leased or idle. */
  #open = 0;
  #closed = false;
  readonly #allClosed: Array<() => void> = [];
  readonly #policy: RetryPolicy;

  constructor(
    readonly endpoint: BaoStockEndpoint,
    private readonly options: SessionPoolOptions = {},
  ) {
    this.size = endpoint.sessions;
    this.#policy = options.retryPolicy ?? DEFAULT_RETRY_POLICY;
  }

  /** Sessions open now (leased or idle). */
  get openSessions(): number {
    return this.#open;
  }

  /**
   * Runs `query` on a session of its own, retrying transient failures on a fresh session.
   * `action` names the query in log lines. Aborting `signal` drops the session in use (its
   * reply would be half read) and rejects with the signal's reason.
   */
  async run<T>(
    action: string,
    query: (context: QueryContext) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      let session: BaoStockSession | undefined;
      try {
        session = await this.#acquire(signal);
        const leased = session;
        const result = await whileNotAborted(leased, signal, () => query(this.#context(leased)));
        this.#release(session, true);
        return result;
      } catch (error) {
        if (session) this.#release(session, !signal?.aborted && sessionSurvives(error));
        if (signal?.aborted) throw abortReason(signal);
        if (!isTransientFailure(error) || attempt >= this.#policy.attempts) throw error;
        this.stats.retries += 1;
        const waitMs = retryDelayMs(this.#policy, attempt, this.options.random);
        this.options.logger?.warn(
          { err: error, action, attempt, waitMs, endpoint: this.endpoint.name },
          'BaoStock query failed; retrying on a fresh session',
        );
        await sleep(waitMs, signal);
      }
    }
  }

  /** Refuses new queries, logs out every session once it is free, and resolves when all are closed. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const wake of [...this.#waiters]) wake();
    const idle = this.#idle.splice(0);
    await Promise.all(idle.map((session) => this.#retire(session, true)));
    if (this.#open > 0) await new Promise<void>((resolve) => this.#allClosed.push(resolve));
  }

  #context(session: BaoStockSession): QueryContext {
    const { version, user, rowsPerPage } = this.endpoint;
    return { session, version, user, rowsPerPage };
  }

  async #acquire(signal: AbortSignal | undefined): Promise<BaoStockSession> {
    for (;;) {
      if (signal?.aborted) throw abortReason(signal);
      if (this.#closed)
        throw new ConflictError(`BaoStock session pool of ${this.endpoint.name} is closed`);
      const idle = this.#idle.pop();
      if (idle) return idle;
      if (this.#open < this.size) return this.#openSession(signal);
      await this.#waitForChange(signal);
    }
  }

  async #openSession(signal: AbortSignal | undefined): Promise<BaoStockSession> {
    this.#open += 1;
    const e = this.endpoint;
    const session = new BaoStockSession({
      host: e.host,
      port: e.port,
      version: e.version,
      user: e.user,
      password: e.password.reveal(),
      connectTimeoutMs: e.connectTimeoutMs,
      responseTimeoutMs: e.responseTimeoutMs,
      maxReplyBytes: this.options.maxReplyBytes,
      logger: this.options.logger,
      now: this.options.now,
      reconnect: false,
    });
    try {
      await whileNotAborted(session, signal, () => session.login());
      this.stats.logins += 1;
      return session;
    } catch (error) {
      await this.#retire(session, false);
      throw error;
    }
  }

  #release(session: BaoStockSession, healthy: boolean): void {
    if (healthy && !this.#closed) {
      this.#idle.push(session);
      this.#wakeOne();
      return;
    }
    if (!healthy) this.stats.dropped += 1;
    void this.#retire(session, healthy);
  }

  /** Closes a session for good (logging out first when it is healthy) and frees its place. */
  async #retire(session: BaoStockSession, logOut: boolean): Promise<void> {
    if (logOut) {
      try {
        await session.logout();
        this.stats.logouts += 1;
      } catch (error) {
        this.options.logger?.debug({ err: error }, 'BaoStock logout failed; closing anyway');
      }
    }
    await session.close();
    this.#open -= 1;
    this.#wakeOne();
    if (this.#open === 0) for (const resolve of this.#allClosed.splice(0)) resolve();
  }

  #wakeOne(): void {
    const [wake] = this.#waiters;
    wake?.();
  }

  #waitForChange(signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = (): void => {
        this.#waiters.delete(done);
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        this.#waiters.delete(done);
        reject(abortReason(signal!));
      };
      this.#waiters.add(done);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/** Aborting closes the session, which fails its pending request at once. */
async function whileNotAborted<T>(
  session: BaoStockSession,
  signal: AbortSignal | undefined,
  work: () => Promise<T>,
): Promise<T> {
  if (!signal) return work();
  if (signal.aborted) throw abortReason(signal);
  const onAbort = (): void => void session.close();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await work();
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
