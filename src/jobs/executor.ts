import type { Logger } from 'pino';
import { sleep } from '../abort.js';
import type { ComponentServices, StepProgress } from '../components/component.js';
import type { ComponentRegistry } from '../components/registry.js';
import {
  ConflictError,
  JobCancelledError,
  LimitExceededError,
  NotFoundError,
  errorMessage,
  type Problem,
} from '../errors.js';
import type { AppEvents, JobChange } from '../events/app-events.js';
import type { EventBus } from '../events/event-bus.js';
import type { JobLogSink } from '../logs/job-log-sink.js';
import type { JobScopes } from '../logs/job-scope.js';
import type { JobSpec } from '../pipeline/job-spec.js';
import { parseOriginalDocument, parseStepList, type ParsedSpec } from '../pipeline/parse-spec.js';
import { runPipeline, StepFailedError } from '../pipeline/run-pipeline.js';
import { validateJobSpec, type ResolvedStep } from '../pipeline/validate-spec.js';
import { JobTimeoutError, ShuttingDownError } from './errors.js';
import { isFinal, type Job, type JobOrigin, type JobStatus, type StepState } from './job.js';
import type { JobListFilter, JobStore } from './job-store.js';
import { snapshotJob } from './snapshot.js';
import { checkSpecSize, type SpecSizeLimits } from './spec-size.js';

/** A spec in either input form: the original JSON document, or the typed list of steps. */
export type SpecInput = { document: unknown } | { steps: unknown };

export interface SubmitOptions {
  origin?: JobOrigin;
  /** Overrides the configured default; null for none. */
  timeoutMs?: number | null;
  retryOf?: string | null;
}

export type SubmitResult = { ok: true; job: Job } | { ok: false; problems: Problem[] };

export interface ExecutorLimits {
  maxConcurrentJobs: number;
  maxQueuedJobs: number;
  defaultTimeoutMs: number | null;
  /** Steps and argument bytes of one spec (spec-size.ts); unlimited when absent. */
  specSize?: SpecSizeLimits;
}

export interface ExecutorDeps {
  store: JobStore;
  bus: EventBus<AppEvents>;
  registry: ComponentRegistry;
  scopes: JobScopes;
  logger: Logger;
  services: ComponentServices;
  newSink(jobId: string, startSeq: number): JobLogSink;
  newId(): string;
  limits: ExecutorLimits;
  /** Least time between two PROGRESS events of one job. */
  progressIntervalMs?: number;
}

interface ActiveJob {
  job: Job;
  steps: readonly ResolvedStep[];
  controller: AbortController;
  sink: JobLogSink | null;
  finished: Promise<void>;
  resolveFinished: () => void;
  finalizing: boolean;
  timeout?: NodeJS.Timeout;
  progressTimer?: NodeJS.Timeout;
  lastProgressAt: number;
  /** Store writes of one job run one after another, so an older state never lands last. */
  persisting: Promise<void>;
}

const PERSIST_RETRY_MS = [100, 250, 500, 1000, 2000, 5000];

const STEP_WAITING = (step: ResolvedStep): StepState => ({
  name: step.spec.name,
  componentName: step.spec.componentClassName,
  kind: step.loaded.component.kind,
  status: 'WAITING',
  rowsIn: null,
  rowsOut: null,
  startedAt: null,
  finishedAt: null,
  error: null,
  result: null,
  progress: [],
});

/**
 * Runs jobs: at most `maxConcurrentJobs` at once, the rest waiting in submission order. Every
 * status change is stored, then published on the bus. Each job has its own AbortController, which
 * cancel, timeout and shutdown abort; the job is then ended at once, without waiting for a
 * component that ignores its signal.
 */
export class Executor {
  readonly #waiting: ActiveJob[] = [];
  readonly #running = new Map<string, ActiveJob>();
  #accepting = true;

  constructor(private readonly deps: ExecutorDeps) {}

  get runningCount(): number {
    return this.#running.size;
  }

  get waitingCount(): number {
    return this.#waiting.length;
  }

  /** Validates the spec against the current components and queues the job. */
  async submit(input: SpecInput, options: SubmitOptions = {}): Promise<SubmitResult> {
    if (!this.#accepting) throw new ShuttingDownError();
    if (this.#waiting.length >= this.deps.limits.maxQueuedJobs) {
      throw new LimitExceededError(
        `too many jobs waiting (${this.#waiting.length}, the limit is ${this.deps.limits.maxQueuedJobs}); try again when some have run`,
      );
    }
    if (this.deps.limits.specSize) checkSpecSize(input, this.deps.limits.specSize);
    const parsed: ParsedSpec =
      'document' in input ? parseOriginalDocument(input.document) : parseStepList(input.steps);
    const validation = validateJobSpec(parsed, this.deps.registry.snapshot());
    if (!validation.ok) return { ok: false, problems: validation.problems };
    const timeoutMs =
      options.timeoutMs === undefined ? this.deps.limits.defaultTimeoutMs : options.timeoutMs;
    const job: Job = {
      id: this.deps.newId(),
      status: 'WAITING',
      spec: validation.spec,
      origin: options.origin ?? { type: 'ADHOC', name: null },
      submittedAt: new Date(),
      startedAt: null,
      finishedAt: null,
      error: null,
      steps: validation.steps.map(STEP_WAITING),
      retryOf: options.retryOf ?? null,
      timeoutMs,
      logCount: 0,
    };
    await this.deps.store.insert(job);
    const active = this.#activate(job, validation.steps);
    this.#waiting.push(active);
    this.#publish(active, 'STATUS');
    const submitted = snapshotJob(job);
    this.#pump();
    return { ok: true, job: submitted };
  }

  /** A new job with the same spec, linked to the one it retries. */
  async retry(id: string): Promise<SubmitResult> {
    const previous = await this.get(id);
    if (!previous) throw new NotFoundError('job', id);
    if (!isFinal(previous.status))
      throw new ConflictError(
        `job ${id} is ${previous.status}; only a finished, failed or cancelled job can be retried`,
      );
    return this.submit(
      { steps: previous.spec.steps },
      { origin: previous.origin, timeoutMs: previous.timeoutMs, retryOf: id },
    );
  }

  /** A waiting job ends at once; a running one has its signal aborted and ends CANCELLED. A final job is returned as it is. */
  async cancel(id: string, reason = 'cancelled by request'): Promise<Job> {
    const waitingIndex = this.#waiting.findIndex((a) => a.job.id === id);
    if (waitingIndex >= 0) {
      const [active] = this.#waiting.splice(waitingIndex, 1);
      await this.#finish(active!, 'CANCELLED', reason);
      return snapshotJob(active!.job);
    }
    const running = this.#running.get(id);
    if (running) {
      running.controller.abort(new JobCancelledError(reason));
      await running.finished;
      return snapshotJob(running.job);
    }
    const stored = await this.deps.store.get(id);
    if (!stored) throw new NotFoundError('job', id);
    return stored;
  }

  /** The live state of an active job, or the stored one. */
  async get(id: string): Promise<Job | undefined> {
    const active = this.#active(id);
    if (active) return snapshotJob(active.job);
    return this.deps.store.get(id);
  }

  /** Stored jobs, newest first, with active ones shown in their live state. */
  async list(filter: JobListFilter): Promise<Job[]> {
    const jobs = await this.deps.store.list(filter);
    return jobs.map((job) => {
      const active = this.#active(job.id);
      return active ? snapshotJob(active.job) : job;
    });
  }

  #active(id: string): ActiveJob | undefined {
    return this.#running.get(id) ?? this.#waiting.find((a) => a.job.id === id);
  }

  /**
   * At start-up: a job found RUNNING was interrupted by a stop or crash and is marked FAILED (its
   * stored lines kept); jobs still WAITING are queued again, against today's components.
   */
  async recover(): Promise<{ interrupted: number; requeued: number }> {
    const interrupted = await this.deps.store.withStatus('RUNNING');
    for (const job of interrupted) {
      const now = new Date();
      job.status = 'FAILED';
      job.error = 'interrupted: the server stopped while this job was running';
      job.finishedAt = now;
      job.logCount = await this.deps.store.lastLogSeq(job.id);
      for (const step of job.steps) {
        if (step.status === 'RUNNING')
          Object.assign(step, { status: 'FAILED', finishedAt: now, error: 'interrupted' });
        else if (step.status === 'WAITING') step.status = 'SKIPPED';
      }
      await this.deps.store.update(job);
      this.deps.bus.emit('job', { change: 'STATUS', job: snapshotJob(job) });
      this.deps.logger.warn(
        { jobId: job.id },
        'job was interrupted by a server stop; marked FAILED',
      );
    }
    const waiting = await this.deps.store.withStatus('WAITING');
    let requeued = 0;
    for (const job of waiting) {
      const validation = validateJobSpec(
        parseStepList(job.spec.steps),
        this.deps.registry.snapshot(),
      );
      const active = this.#activate(job, validation.ok ? validation.steps : []);
      if (!validation.ok) {
        await this.#finish(
          active,
          'FAILED',
          `the job's spec is no longer valid after a restart: ${validation.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
        );
        continue;
      }
      this.#waiting.push(active);
      requeued++;
    }
    this.#pump();
    return { interrupted: interrupted.length, requeued };
  }

  /**
   * Stops taking jobs, cancels the waiting ones, lets running ones finish within `graceMs`, then
   * aborts the rest (CANCELLED, reason shutdown) and waits until every job is stored as ended.
   */
  async shutdown(graceMs: number): Promise<void> {
    this.#accepting = false;
    for (const active of this.#waiting.splice(0))
      await this.#finish(active, 'CANCELLED', 'the server shut down before the job started');
    const running = [...this.#running.values()];
    if (running.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([Promise.all(running.map((a) => a.finished)), graceOver]);
    clearTimeout(timer);
    for (const active of this.#running.values())
      active.controller.abort(new JobCancelledError('the server is shutting down'));
    await Promise.all(running.map((a) => a.finished));
  }

  #activate(job: Job, steps: readonly ResolvedStep[]): ActiveJob {
    let resolveFinished!: () => void;
    const finished = new Promise<void>((resolve) => (resolveFinished = resolve));
    return {
      job,
      steps,
      controller: new AbortController(),
      sink: null,
      finished,
      resolveFinished,
      finalizing: false,
      lastProgressAt: 0,
      persisting: Promise.resolve(),
    };
  }

  #pump(): void {
    while (
      this.#accepting &&
      this.#running.size < this.deps.limits.maxConcurrentJobs &&
      this.#waiting.length > 0
    ) {
      const active = this.#waiting.shift()!;
      this.#running.set(active.job.id, active);
      this.#start(active).catch((error: unknown) => {
        this.deps.logger.error({ jobId: active.job.id, err: error }, 'job could not be started');
        void this.#finish(active, 'FAILED', `could not start: ${errorMessage(error)}`);
      });
    }
  }

  async #start(active: ActiveJob): Promise<void> {
    const { job, controller } = active;
    // Listen before the first await: a cancel that arrives while the start is being stored must win.
    controller.signal.addEventListener('abort', () => void this.#onAbort(active), { once: true });
    job.status = 'RUNNING';
    job.startedAt = new Date();
    const sink = this.deps.newSink(job.id, job.logCount);
    active.sink = sink;
    await this.#persist(active);
    if (controller.signal.aborted) return;
    this.#publish(active, 'STATUS');
    if (job.timeoutMs !== null) {
      active.timeout = setTimeout(
        () => controller.abort(new JobTimeoutError(job.timeoutMs!)),
        job.timeoutMs,
      );
    }
    const logger = this.deps.logger;
    try {
      await this.deps.scopes.run({ jobId: job.id, step: null, sink }, async () => {
        logger.info({ steps: job.steps.length, origin: job.origin }, 'job started');
        await runPipeline({
          jobId: job.id,
          steps: active.steps,
          signal: controller.signal,
          logger,
          services: this.deps.services,
          scopes: this.deps.scopes,
          sink,
          events: this.#stepEvents(active),
        });
        logger.info('job finished');
      });
      await this.#finish(active, 'FINISHED', null);
    } catch (error) {
      if (controller.signal.aborted) return; // #onAbort ends the job
      const message =
        error instanceof StepFailedError ? error.message : `unexpected: ${errorMessage(error)}`;
      this.deps.scopes.run({ jobId: job.id, step: null, sink }, () => logger.error(message));
      await this.#finish(active, 'FAILED', message);
    }
  }

  async #onAbort(active: ActiveJob): Promise<void> {
    const reason: unknown = active.controller.signal.reason;
    const status: JobStatus = reason instanceof JobTimeoutError ? 'FAILED' : 'CANCELLED';
    const message = reason instanceof JobCancelledError ? reason.reason : errorMessage(reason);
    if (active.sink)
      this.deps.scopes.run({ jobId: active.job.id, step: null, sink: active.sink }, () =>
        this.deps.logger.warn(`job ${status === 'FAILED' ? 'failed' : 'cancelled'}: ${message}`),
      );
    await this.#finish(active, status, message);
  }

  #stepEvents(active: ActiveJob) {
    const step = (i: number) => active.job.steps[i]!;
    return {
      started: (i: number, rowsIn: number | null) => {
        Object.assign(step(i), { status: 'RUNNING', startedAt: new Date(), rowsIn });
        void this.#persist(active);
        this.#publish(active, 'PROGRESS');
      },
      finished: (i: number, outcome: { rowsOut: number | null; result: unknown }) => {
        Object.assign(step(i), {
          status: 'FINISHED',
          finishedAt: new Date(),
          rowsOut: outcome.rowsOut,
          result: outcome.result ?? null,
        });
        void this.#persist(active);
        this.#publish(active, 'PROGRESS');
      },
      failed: (i: number, error: unknown, result: unknown) => {
        const aborted = active.controller.signal.aborted;
        Object.assign(step(i), {
          status: aborted ? 'CANCELLED' : 'FAILED',
          finishedAt: new Date(),
          error: errorMessage(error),
          result: result ?? null,
        });
      },
      progress: (i: number, progress: StepProgress) => {
        const list = step(i).progress;
        const at = list.findIndex((p) => p.label === progress.label);
        if (at >= 0) list[at] = { ...progress };
        else list.push({ ...progress });
        this.#publishProgressThrottled(active);
      },
    };
  }

  async #finish(active: ActiveJob, status: JobStatus, error: string | null): Promise<void> {
    if (active.finalizing) return active.finished;
    active.finalizing = true;
    clearTimeout(active.timeout);
    clearTimeout(active.progressTimer);
    const { job } = active;
    try {
      // Every line is stored before the job shows a final status, so whoever sees the final
      // status (and its logCount) can read all of its lines.
      if (active.sink) {
        await active.sink.close();
        job.logCount = active.sink.lastSeq;
      }
      const now = new Date();
      for (const step of job.steps) {
        if (step.status === 'WAITING') step.status = 'SKIPPED';
        else if (step.status === 'RUNNING')
          Object.assign(step, {
            status: status === 'FINISHED' ? 'FINISHED' : 'CANCELLED',
            finishedAt: now,
          });
      }
      job.status = status;
      job.error = error;
      job.finishedAt = now;
      await this.#persist(active);
    } finally {
      this.#running.delete(job.id);
      this.#publish(active, 'STATUS');
      active.resolveFinished();
      this.deps.logger.info({ jobId: job.id, status, error }, 'job ended');
      this.#pump();
    }
  }

  /**
   * Stores the job's current state. Writes of one job run one after another (an older state never
   * lands last), and a failed write is retried with backoff until the store answers again: a job
   * store that restarts while jobs run must not leave a job stored as RUNNING forever.
   */
  #persist(active: ActiveJob): Promise<void> {
    active.persisting = active.persisting.then(async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          // The state as of now, not as of when this write was queued.
          await this.deps.store.update(active.job);
          if (attempt > 0)
            this.deps.logger.info(
              { jobId: active.job.id, attempts: attempt + 1 },
              'job state stored after retries',
            );
          return;
        } catch (error) {
          if (attempt === 0)
            this.deps.logger.error(
              { jobId: active.job.id, err: error },
              'storing the job state failed; retrying until the store answers',
            );
          await sleep(PERSIST_RETRY_MS[Math.min(attempt, PERSIST_RETRY_MS.length - 1)]!);
        }
      }
    });
    return active.persisting;
  }

  #publish(active: ActiveJob, change: JobChange): void {
    if (active.sink) active.job.logCount = active.sink.lastSeq;
    active.lastProgressAt = Date.now();
    this.deps.bus.emit('job', { change, job: snapshotJob(active.job) });
  }

  #publishProgressThrottled(active: ActiveJob): void {
    if (active.progressTimer) return;
    const interval = this.deps.progressIntervalMs ?? 200;
    const wait = Math.max(0, active.lastProgressAt + interval - Date.now());
    active.progressTimer = setTimeout(() => {
      active.progressTimer = undefined;
      if (!active.finalizing) this.#publish(active, 'PROGRESS');
    }, wait);
  }
}

export type { JobSpec };
