import type { Pool } from 'mysql2/promise';
import type { Logger } from 'pino';
import { sleep } from '../abort.js';
import { DEFAULT_RETRY_POLICY, retryDelayMs } from '../retry-policy.js';
import { pruneDeadProcesses, type PrunedProcess } from './dead-processes.js';
import type { ProcessIdentity, ProcessTable } from './process-table.js';

export interface HeartbeatDeps {
  me: ProcessIdentity;
  table: ProcessTable;
  pool: Pool;
  intervalMs: number;
  deadAfterMs: number;
  logger: Logger;
  /** Dead processes this one pruned: their failed jobs are published. */
  onPruned(pruned: PrunedProcess): void;
  /** This process's row is gone: the others took it for dead and pruned it. */
  onGone(): void;
  /** After each beat and prune: work a live process picks up from gone ones (backfills). */
  afterBeat?: () => Promise<void>;
}

/**
 * Every `intervalMs`: this process's heartbeat, then a look for dead ones (Solid Queue's
 * heartbeat and prune). A failed beat is retried sooner, by the retry policy, but never later
 * than the interval: a store that is briefly away must not get a live process taken for dead.
 */
export class Heartbeat {
  readonly #stop = new AbortController();
  #loop: Promise<void> | undefined;
  beats = 0;

  constructor(private readonly deps: HeartbeatDeps) {}

  start(): void {
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#loop;
  }

  /** One beat and prune, now. */
  async beat(): Promise<void> {
    const { me, table, logger } = this.deps;
    if (this.#stop.signal.aborted) return;
    if (!(await table.heartbeat(me.id))) {
      // Its jobs were failed or handed back by the pruner: registering again would bring back a
      // process whose work the others already own. It stops beating; `onGone` stops the rest.
      this.#stop.abort();
      this.deps.onGone();
      return;
    }
    this.beats++;
    for (const pruned of await pruneDeadProcesses(this.deps.pool, this.deps.deadAfterMs)) {
      logger.warn(
        {
          processId: pruned.id,
          host: pruned.host,
          failed: pruned.failed.length,
          released: pruned.released,
        },
        'a server process stopped responding: its running jobs failed, its claimed ones went back to the queue',
      );
      this.deps.onPruned(pruned);
    }
    await this.deps
      .afterBeat?.()
      .catch((error: unknown) =>
        logger.error({ err: error }, 'cluster: taking over the work of gone processes failed'),
      );
  }

  async #run(): Promise<void> {
    const signal = this.#stop.signal;
    let failures = 0;
    while (!signal.aborted) {
      let wait = this.deps.intervalMs;
      try {
        await this.beat();
        failures = 0;
      } catch (error) {
        failures++;
        this.deps.logger.warn({ err: error, failures }, 'heartbeat failed');
        wait = Math.min(wait, retryDelayMs(DEFAULT_RETRY_POLICY, failures));
      }
      await sleep(wait, signal).catch(() => undefined);
    }
  }
}
