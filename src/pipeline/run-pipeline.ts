import type { Logger } from 'pino';
import type { ComponentContext, ComponentServices, StepProgress } from '../components/component.js';
import { abortReason } from '../abort.js';
import { ValidationError } from '../errors.js';
import { resultProblem } from '../jobs/stored-text.js';
import type { JobLineSink, JobScopes } from '../logs/job-scope.js';
import { BatchEdge } from './batch-edge.js';
import { isBatchStream } from './batches.js';
import { PipelineStop } from './pipeline-stop.js';
import { StepFailedError, StreamStoppedError } from './step-errors.js';
import { pumpStream } from './stream-pump.js';
import type { ResolvedStep } from './validate-spec.js';

export { StepFailedError, StreamStoppedError } from './step-errors.js';

/** Batches in flight on one edge when the run does not say (`jobs.batchesInFlightPerEdge`). */
export const DEFAULT_BATCHES_IN_FLIGHT_PER_EDGE = 4;

/** What the runner tells the executor about each step as it goes. */
export interface StepEvents {
  started(index: number, rowsIn: number | null): void;
  /** Rows counted so far while batches pass (a step reading or yielding a stream). */
  rows(index: number, rows: { rowsIn?: number; rowsOut?: number }): void;
  /** The component called setResult while running (a streaming storager does after every batch). */
  resultSet(index: number, result: unknown): void;
  finished(index: number, outcome: { rowsOut: number | null; result: unknown }): void;
  /** `result` is what the component recorded before failing (e.g. the targets a storager did write). */
  failed(index: number, error: unknown, result: unknown): void;
  progress(index: number, progress: StepProgress): void;
}

export interface PipelineRun {
  jobId: string;
  /** The trading day whose data this job produces; null for ad hoc jobs without one. */
  partition: string | null;
  steps: readonly ResolvedStep[];
  signal: AbortSignal;
  logger: Logger;
  services: ComponentServices;
  scopes: JobScopes;
  sink: JobLineSink;
  events: StepEvents;
  /** At most this many batches held between a streaming step and each successor (default 4). */
  batchesInFlightPerEdge?: number;
}

/** Rows a value holds, when it is a list of rows. */
export const rowCount = (value: unknown): number | null =>
  Array.isArray(value) ? value.length : null;

/**
 * Runs the steps in dependency order: producers first, each step's output handed to every step
 * naming it as predecessor, independent branches at the same time. An array output is handed
 * over once the step has returned it. A stream output (an async iterable of batches) starts the
 * successors at once, each reading its own bounded edge, while the runner pumps the stream (see
 * stream-pump.ts). After a failure no new step starts (those stay unstarted, to be marked
 * skipped), array steps already running finish, streams stop, and the first failure is thrown.
 */
export async function runPipeline(run: PipelineRun): Promise<void> {
  const successors = new Map<string, number[]>();
  run.steps.forEach((step, i) => {
    const pre = step.spec.preComponentName;
    if (pre !== '') successors.set(pre, [...(successors.get(pre) ?? []), i]);
  });
  const capacity = run.batchesInFlightPerEdge ?? DEFAULT_BATCHES_IN_FLIGHT_PER_EDGE;
  const stop = new PipelineStop(run.signal);
  // A cancel must not wait for a reader to drain its queue: every edge still read ends at once.
  const edges = new Set<BatchEdge<readonly unknown[]>>();
  const abortEdges = () => {
    for (const edge of edges) edge.abort(abortReason(run.signal));
  };
  run.signal.addEventListener('abort', abortEdges, { once: true });

  const runStep = async (index: number, input: unknown): Promise<void> => {
    const inputEdge = input instanceof BatchEdge ? (input as BatchEdge<readonly unknown[]>) : null;
    let consumers: Promise<void>[] = [];
    try {
      if (stop.reason) return;
      await runOneStep(index, input, inputEdge, (started) => (consumers = started));
    } finally {
      // Whatever the step did with its input, nobody reads it any more.
      inputEdge?.detach();
      if (inputEdge) edges.delete(inputEdge);
    }
    await Promise.all(consumers);
  };

  const runOneStep = async (
    index: number,
    input: unknown,
    inputEdge: BatchEdge<readonly unknown[]> | null,
    startConsumers: (consumers: Promise<void>[]) => void,
  ): Promise<void> => {
    const step = run.steps[index]!;
    const name = step.spec.name;
    const next = successors.get(name) ?? [];
    run.events.started(index, inputEdge ? 0 : rowCount(input));
    let result: unknown = null;
    let rowsIn = 0;
    inputEdge?.onTake((batch) => {
      rowsIn += batch.length;
      run.events.rows(index, { rowsIn });
    });
    const scope = { jobId: run.jobId, step: name, sink: run.sink };
    const inScope = <T>(fn: () => T): T => run.scopes.run(scope, fn);
    const context: ComponentContext = {
      args: step.args,
      logger: run.logger,
      signal: run.signal,
      jobId: run.jobId,
      partition: run.partition,
      stepName: name,
      services: run.services,
      reportProgress: (progress) => run.events.progress(index, progress),
      setResult: (value) => {
        // Checked here, where the component can still be told: a result the store cannot take
        // would otherwise only fail when the job's state is saved, far from the code that made it.
        const problem = resultProblem(value);
        if (problem !== null) throw new ValidationError(`setResult: ${problem}`);
        result = value;
        run.events.resultSet(index, value);
      },
    };
    const failed = (error: unknown) => {
      run.events.failed(index, error, result);
      // A step stopped by another's failure adds nothing: the job's error is the first failure.
      if (!(error instanceof StreamStoppedError)) stop.fail(new StepFailedError(name, error));
    };
    let output: unknown;
    try {
      const component = step.loaded.component;
      output = await inScope((): unknown => component.run(input, context));
    } catch (error) {
      failed(error);
      return;
    }
    if (!isBatchStream(output)) {
      run.events.finished(index, { rowsOut: rowCount(output), result });
      startConsumers(next.map((i) => runStep(i, output)));
      return;
    }
    const outEdges = next.map(() => new BatchEdge<readonly unknown[]>(capacity));
    for (const edge of outEdges) edges.add(edge);
    startConsumers(next.map((i, k) => runStep(i, outEdges[k])));
    let rowsOut = 0;
    let reported = false;
    try {
      rowsOut = await pumpStream(output, outEdges, {
        inScope,
        stop,
        stopOnFailure: inputEdge === null,
        onRows: (rows) => run.events.rows(index, { rowsOut: (rowsOut = rows) }),
        onFailed: (error) => {
          reported = true;
          failed(error);
        },
      });
    } catch (error) {
      // A failure of the stream itself was reported by onFailed; a stop is reported here.
      if (!reported) run.events.failed(index, error, result);
      return;
    }
    run.events.finished(index, { rowsOut, result });
  };

  const producers = run.steps.flatMap((step, i) => (step.spec.preComponentName === '' ? [i] : []));
  try {
    await Promise.all(producers.map((i) => runStep(i, undefined)));
  } finally {
    run.signal.removeEventListener('abort', abortEdges);
  }
  if (stop.failure) throw stop.failure;
}
