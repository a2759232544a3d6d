import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { RowDataPacket } from 'mysql2/promise';
import type { Logger } from 'pino';
import type { AppEvents } from '../events/app-events.js';
import type { EventBus } from '../events/event-bus.js';
import type { Executor } from '../jobs/executor.js';
import type { JobStore } from '../jobs/job-store.js';
import type { MysqlTarget } from '../storage/mysql-target.js';
import type { ClusterConfig } from './cluster-config.js';
import { ClusterQueue } from './cluster-queue.js';
import { Heartbeat } from './heartbeat.js';
import { JobClaims } from './job-claims.js';
import { ProcessTable, type ProcessIdentity, type ServerProcessRow } from './process-table.js';
import { RedisEventRelay } from './redis-relay.js';
import { assertSkipLocked } from './skip-locked-support.js';

export interface ClusterNodeDeps {
  config: ClusterConfig;
  control: MysqlTarget;
  executor: Executor;
  jobs: JobStore;
  bus: EventBus<AppEvents>;
  logger: Logger;
  /** How long a job may go on after its abort (a cancel from elsewhere waits that long, and more). */
  abortGraceMs: number;
  /** How often the store is looked at for other processes' jobs and cancels (default 250 ms). */
  pollMs?: number;
}

/**
 * This process as one of several on a shared control database: its `server_process` row and
 * heartbeat, its claims from the shared queue, and the pruning of processes that died.
 */
export class ClusterNode {
  readonly me: ProcessIdentity = { id: randomUUID(), host: hostname(), pid: process.pid };
  readonly queue: ClusterQueue;
  #table: ProcessTable | undefined;
  #heartbeat: Heartbeat | undefined;
  readonly relay: RedisEventRelay;
  readonly #afterBeat: (() => Promise<void>)[] = [];
  #isGone = false;
  readonly #whenGone: (() => void)[] = [];

  constructor(private readonly deps: ClusterNodeDeps) {
    const pollMs = deps.pollMs ?? 250;
    this.queue = new ClusterQueue({
      processId: this.me.id,
      executor: deps.executor,
      jobs: deps.jobs,
      bus: deps.bus,
      logger: deps.logger,
      pollMs,
      cancelWaitMs: deps.abortGraceMs + 4 * pollMs + 2000,
      onProcessGone: () => this.#gone(),
    });
    deps.executor.useSharedQueue(this.queue, this.me.id);
    this.relay = new RedisEventRelay({
      url: deps.config.redis,
      channel: `fda:${deps.control.config.database}:events`,
      processId: this.me.id,
      bus: deps.bus,
      logger: deps.logger,
    });
  }

  /**
   * Refuses a control database without SKIP LOCKED (or a Redis that does not answer), registers,
   * then beats and claims.
   */
  async start(): Promise<void> {
    const { pool } = await this.deps.control.connect();
    const [rows] = await pool.query<RowDataPacket[]>('SELECT VERSION() AS version');
    const version = assertSkipLocked(String(rows[0]?.version ?? ''));
    await this.relay.start();
    this.#table = new ProcessTable(pool);
    await this.#table.register(this.me);
    this.#heartbeat = new Heartbeat({
      me: this.me,
      table: this.#table,
      pool,
      intervalMs: this.deps.config.heartbeatSeconds * 1000,
      deadAfterMs: this.deps.config.deadAfterSeconds * 1000,
      logger: this.deps.logger,
      onPruned: ({ failed }) => {
        for (const job of failed) this.deps.bus.emit('job', { change: 'STATUS', job });
      },
      onGone: () => this.#gone(),
      afterBeat: async () => {
        for (const work of this.#afterBeat) await work();
      },
    });
    // The first beat prunes at once: a process restarted after a crash fails its old jobs soon.
    this.#heartbeat.start();
    this.queue.start(new JobClaims(pool));
    this.deps.logger.info(
      {
        processId: this.me.id,
        host: this.me.host,
        control: `${version.flavor} ${version.major}.${version.minor}`,
      },
      'cluster: process registered',
    );
  }

  /** True once this process found its row pruned: it claims nothing and writes no job state. */
  get gone(): boolean {
    return this.#isGone;
  }

  /**
   * The others took this process for dead (a heartbeat came too late: a long pause, a lost
   * network) and pruned it: its running jobs are FAILED in the store and its claimed ones went
   * back to the queue. It must not write over that, so it stops claiming and drops its jobs;
   * it goes on answering queries, and a restart brings it back as a new process.
   */
  #gone(): void {
    if (this.#isGone) return;
    this.#isGone = true;
    this.deps.logger.fatal(
      { processId: this.me.id, host: this.me.host },
      'cluster: THIS PROCESS WAS TAKEN FOR DEAD by the others (its server_process row is gone): it claims no more jobs, its jobs are abandoned and their states no longer written; restart it to rejoin',
    );
    this.deps.executor.abandonAll('this process was taken for dead by the others');
    void this.queue.stop();
    for (const listener of this.#whenGone) listener();
  }

  /** Runs `listener` if this process is ever taken for dead (see `#gone`). */
  whenGone(listener: () => void): void {
    this.#whenGone.push(listener);
  }

  /** Runs `work` after each heartbeat (and its pruning of dead processes). */
  afterEachBeat(work: () => Promise<void>): void {
    this.#afterBeat.push(work);
  }

  /** A stopping process claims nothing new; the others see it as stopping. */
  async stopClaiming(): Promise<void> {
    await this.#table
      ?.markStopping(this.me.id)
      .catch((error: unknown) =>
        this.deps.logger.warn({ err: error }, 'cluster: could not mark this process stopping'),
      );
    await this.queue.stop();
  }

  /** After the executor's shutdown: no more beats, the row goes, Redis is let go. */
  async stop(): Promise<void> {
    await this.#heartbeat?.stop();
    await this.relay.stop();
    await this.#table
      ?.deregister(this.me.id)
      .catch((error: unknown) =>
        this.deps.logger.warn({ err: error }, 'cluster: could not remove this process row'),
      );
  }

  processes(): Promise<ServerProcessRow[]> {
    if (!this.#table) return Promise.resolve([]);
    return this.#table.list();
  }
}
