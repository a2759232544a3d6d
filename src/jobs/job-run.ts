import type { Logger } from 'pino';
import type { ComponentServices } from '../components/component.js';
import { errorMessage } from '../errors.js';
import type { JobChange } from '../events/app-events.js';
import type { JobLogSink } from '../logs/job-log-sink.js';
import type { JobScopes } from '../logs/job-scope.js';
import { setLongTimeout, type LongTimeout } from '../long-timeout.js';
import {
  runPipeline,
  StepFailedError,
  StreamStoppedError,
  type StepEvents,
} from '../pipeline/run-pipeline.js';
import type { ResolvedStep } from '../pipeline/validate-spec.js';
import { JobTimeoutError } from './errors.js';
import type { Job } from './job.js';
import { finalOutcome, JobState, type RunEnding } from './job-state.js';
import type { JobStateWriter } from './job-state-writer.js';
import { ProgressThrottle } from './progress-throttle.js';

export interface JobRunDeps {
  writer: JobStateWriter;
  /** Publishes a snapshot of the job (the executor puts it on the bus). */
  publish(job: Job, change: JobChange): void;
  scopes: JobScopes;
  logger: Logger;
  services: ComponentServices;
  newSink(jobId: string, startSeq: number): JobLogSink;
  /** How long steps may go on after the job's signal is aborted before the job ends without them. */
  abortGraceMs: number;
  /** Least time between two PROGRESS events. */
  progressIntervalMs: number;
  /** Batches held between a streaming step and each successor (default 4). */
  batchesInFlightPerEdge?: number;
  /** A step went on past the abort grace: counted by the executor. */
  onAbortIgnored(jobId: string, steps: readonly string[]): void;
}

/**
 * One run of one job, from RUNNING to its final state. The job has an AbortController that cancel,
 * timeout and shutdown abort. The run ends when its pipeline has really ended, so the job's slot
 * is held as long as its components work; a step that ignores the signal gets `abortGraceMs`,
 * then the job ends without it, saying so in its log and the server's. Its lines are stored before
 * the final state is, and nothing is saved or published after it.
 */
export class JobRun {
  readonly state: JobState;
  readonly #controller = new AbortController();
  readonly #throttle: ProgressThrottle;
  #sink: JobLogSink | null = null;
  #finalPublished = false;
  #resolveDone!: () => void;
  /** Resolves once the run is over: its final state stored (or given up on) and published. */
  readonly done = new Promise<void>((resolve) => (this.#resolveDone = resolve));

  constructor(
    job: Job,
    private readonly steps: readonly ResolvedStep[],
    private readonly deps: JobRunDeps,
  ) {
    this.state = new JobState(job);
    this.#throttle = new ProgressThrottle(deps.progressIntervalMs, () => this.#publish('PROGRESS'));
  }

  get job(): Job {
    return this.state.job;
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Cancel, timeout or shutdown: the first reason wins. */
  abort(reason: Error): void {
    this.#controller.abort(reason);
  }

  /** Runs the job to its final state; never rejects. */
  async run(): Promise<void> {
    let timeout: LongTimeout | undefined;
    try {
      const { job } = this.state;
      this.state.start();
      this.#sink = this.deps.newSink(job.id, job.logCount);
      await this.deps.writer.save(job);
      this.#publish('STATUS');
      if (this.signal.aborted) {
        await this.#end({ kind: 'aborted', reason: this.signal.reason });
        return;
      }
      if (job.timeoutMs !== null) {
        const ms = job.timeoutMs;
        timeout = setLongTimeout(ms, () => this.abort(new JobTimeoutError(ms)));
      }
      await this.#end(await this.#untilEnded(this.#runPipeline(this.#sink)));
    } catch (error) {
      // Only a bug of ours lands here; the job must still end.
      this.deps.logger.error({ jobId: this.job.id, err: error }, 'job run failed');
      await this.#end({ kind: 'failed', error: `unexpected: ${errorMessage(error)}` });
    } finally {
      timeout?.clear();
      this.#resolveDone();
    }
  }

  /** The pipeline's own ending, or, once aborted, the abort's when the pipeline outlives the grace. */
  #untilEnded(work: Promise<RunEnding>): Promise<RunEnding> {
    return new Promise((resolve) => {
      let grace: NodeJS.Timeout | undefined;
      const onAbort = () => {
        grace = setTimeout(() => {
          this.#reportIgnoredAbort();
          resolve({ kind: 'aborted', reason: this.signal.reason });
        }, this.deps.abortGraceMs);
      };
      if (this.signal.aborted) onAbort();
      else this.signal.addEventListener('abort', onAbort, { once: true });
      void work.then((ending) => {
        clearTimeout(grace);
        this.signal.removeEventListener('abort', onAbort);
        resolve(this.signal.aborted ? { kind: 'aborted', reason: this.signal.reason } : ending);
      });
    });
  }

  async #runPipeline(sink: JobLogSink): Promise<RunEnding> {
    const { job } = this.state;
    const { scopes, logger } = this.deps;
    try {
      await scopes.run({ jobId: job.id, step: null, sink }, async () => {
        logger.info({ steps: job.steps.length, origin: job.origin }, 'job started');
        await runPipeline({
          jobId: job.id,
          partition: job.partition,
          steps: this.steps,
          signal: this.signal,
          logger,
          services: this.deps.services,
          scopes,
          sink,
          events: this.#stepEvents(),
          batchesInFlightPerEdge: this.deps.batchesInFlightPerEdge,
        });
        logger.info('job finished');
      });
      return { kind: 'succeeded' };
    } catch (error) {
      if (this.signal.aborted) return { kind: 'aborted', reason: this.signal.reason };
      const message =
        error instanceof StepFailedError ? error.message : `unexpected: ${errorMessage(error)}`;
      scopes.run({ jobId: job.id, step: null, sink }, () => logger.error(message));
      return { kind: 'failed', error: message };
    }
  }

  #stepEvents(): StepEvents {
    const changed = (ok: boolean) => {
      if (!ok) return;
      void this.deps.writer.save(this.job);
      this.#publish('PROGRESS');
    };
    return {
      started: (i, rowsIn) => changed(this.state.stepStarted(i, rowsIn)),
      finished: (i, outcome) => changed(this.state.stepFinished(i, outcome)),
      // A stream stopped by another step's failure is cancelled, not failed: the job names the culprit.
      failed: (i, error, result) =>
        void this.state.stepFailed(i, {
          error,
          result,
          aborted: this.signal.aborted || error instanceof StreamStoppedError,
        }),
      progress: (i, progress) => {
        if (this.state.stepProgress(i, progress)) this.#throttle.request();
      },
      // Rows and results of a streaming step change with every batch: published throttled, and
      // saved with the next status change or the final state.
      rows: (i, rows) => {
        if (this.state.stepRows(i, rows)) this.#throttle.request();
      },
      resultSet: (i, result) => {
        if (this.state.stepResult(i, result)) this.#throttle.request();
      },
    };
  }

  #reportIgnoredAbort(): void {
    const running = this.job.steps.filter((s) => s.status === 'RUNNING').map((s) => s.name);
    const seconds = this.deps.abortGraceMs / 1000;
    const message = `step(s) ${running.map((n) => `"${n}"`).join(', ')} did not stop within ${seconds} s of the job's signal being aborted (the component ignores it); the job ends without waiting for them, and its slot is freed`;
    this.#inJobScope(() => this.deps.logger.warn(message));
    this.deps.logger.warn({ jobId: this.job.id, steps: running }, message);
    this.deps.onAbortIgnored(this.job.id, running);
  }

  async #end(ending: RunEnding): Promise<void> {
    if (this.state.final) return;
    this.#throttle.stop();
    const outcome = finalOutcome(ending);
    if (ending.kind === 'aborted') {
      const verb = outcome.status === 'CANCELLED' ? 'cancelled' : 'failed';
      this.#inJobScope(() => this.deps.logger.warn(`job ${verb}: ${outcome.error ?? ''}`));
    }
    const { job } = this.state;
    // Every line is stored before the job shows a final status, so whoever sees the final
    // status (and its logCount) can read all of its lines.
    if (this.#sink) {
      await this.#sink.close();
      job.logCount = this.#sink.lastSeq;
    }
    this.state.end(outcome);
    await this.deps.writer.save(job);
    this.#publish('STATUS');
    this.#finalPublished = true;
    this.deps.logger.info({ jobId: job.id, status: job.status, error: job.error }, 'job ended');
  }

  #inJobScope(fn: () => void): void {
    const sink = this.#sink;
    if (sink) this.deps.scopes.run({ jobId: this.job.id, step: null, sink }, fn);
  }

  #publish(change: JobChange): void {
    if (this.#finalPublished) return;
    if (this.#sink) this.job.logCount = this.#sink.lastSeq;
    this.#throttle.published();
    this.deps.publish(this.job, change);
  }
}
