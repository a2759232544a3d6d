import type { Logger } from 'pino';
import type { ComponentContext, ComponentServices, StepProgress } from '../components/component.js';
import { AppError, ValidationError, errorMessage } from '../errors.js';
import { resultProblem } from '../jobs/stored-text.js';
import type { JobLineSink, JobScopes } from '../logs/job-scope.js';
import type { ResolvedStep } from './validate-spec.js';

/** What the runner tells the executor about each step as it goes. */
export interface StepEvents {
  started(index: number, rowsIn: number | null): void;
  finished(index: number, outcome: { rowsOut: number | null; result: unknown }): void;
  /** `result` is what the component recorded before failing (e.g. the targets a storager did write). */
  failed(index: number, error: unknown, result: unknown): void;
  progress(index: number, progress: StepProgress): void;
}

export interface PipelineRun {
  jobId: string;
  steps: readonly ResolvedStep[];
  signal: AbortSignal;
  logger: Logger;
  services: ComponentServices;
  scopes: JobScopes;
  sink: JobLineSink;
  events: StepEvents;
}

/** A step failed; the job fails with the step's name in its error. */
export class StepFailedError extends AppError {
  readonly code = 'STEP_FAILED';

  constructor(
    readonly step: string,
    cause: unknown,
  ) {
    super(`step "${step}" failed: ${errorMessage(cause)}`, { cause });
  }
}

/** Rows a value holds, when it is a list of rows. */
export const rowCount = (value: unknown): number | null =>
  Array.isArray(value) ? value.length : null;

/**
 * Runs the steps in dependency order: producers first, each step's output handed to every step
 * naming it as predecessor, independent branches at the same time. After a failure no new step
 * starts (those stay unstarted, to be marked skipped), steps already running finish, and the
 * first failure is thrown.
 */
export async function runPipeline(run: PipelineRun): Promise<void> {
  const successors = new Map<string, number[]>();
  run.steps.forEach((step, i) => {
    const pre = step.spec.preComponentName;
    if (pre !== '') successors.set(pre, [...(successors.get(pre) ?? []), i]);
  });
  let firstFailure: StepFailedError | undefined;

  const runStep = async (index: number, input: unknown): Promise<void> => {
    if (firstFailure || run.signal.aborted) return;
    const step = run.steps[index]!;
    const name = step.spec.name;
    run.events.started(index, rowCount(input));
    let result: unknown = null;
    const context: ComponentContext = {
      args: step.args,
      logger: run.logger,
      signal: run.signal,
      jobId: run.jobId,
      stepName: name,
      services: run.services,
      reportProgress: (progress) => run.events.progress(index, progress),
      setResult: (value) => {
        // Checked here, where the component can still be told: a result the store cannot take
        // would otherwise only fail when the job's state is saved, far from the code that made it.
        const problem = resultProblem(value);
        if (problem !== null) throw new ValidationError(`setResult: ${problem}`);
        result = value;
      },
    };
    let output: unknown;
    try {
      const component = step.loaded.component;
      output = await run.scopes.run({ jobId: run.jobId, step: name, sink: run.sink }, (): unknown =>
        component.run(input, context),
      );
    } catch (error) {
      run.events.failed(index, error, result);
      firstFailure ??= new StepFailedError(name, error);
      return;
    }
    run.events.finished(index, { rowsOut: rowCount(output), result });
    await Promise.all((successors.get(name) ?? []).map((next) => runStep(next, output)));
  };

  const producers = run.steps.flatMap((step, i) => (step.spec.preComponentName === '' ? [i] : []));
  await Promise.all(producers.map((i) => runStep(i, undefined)));
  if (firstFailure) throw firstFailure;
}
