/** Runs pipelines of in-process components through the real runner, recording its events. */
import pino from 'pino';
import type {
  AnyComponent,
  ComponentContext,
  ComponentKind,
  ComponentServices,
  StepProgress,
} from '../../src/components/component.js';
import { JobScopes } from '../../src/logs/job-scope.js';
import { runPipeline, type StepEvents } from '../../src/pipeline/run-pipeline.js';
import type { ResolvedStep } from '../../src/pipeline/validate-spec.js';
import { z } from 'zod';

export interface StepRecord {
  status: 'WAITING' | 'RUNNING' | 'FINISHED' | 'FAILED';
  rowsIn: number | null;
  rowsOut: number | null;
  result: unknown;
  error: unknown;
  /** How many times rows were reported while the step ran. */
  rowEvents: number;
  progress: StepProgress[];
}

export type RunFn = (input: unknown, context: ComponentContext) => unknown;

export interface TestStep {
  name: string;
  pre?: string;
  run: RunFn;
}

const kindOf = (step: TestStep, all: readonly TestStep[]): ComponentKind =>
  !step.pre ? 'PRODUCER' : all.some((s) => s.pre === step.name) ? 'PROCESSOR' : 'STORAGER';

export interface PipelineOutcome {
  steps: Record<string, StepRecord>;
  /** What runPipeline rejected with, or null. */
  error: unknown;
}

/**
 * Runs `steps` (no services: these components use none). `signal` aborts the run like a cancel.
 */
export async function runSteps(
  steps: readonly TestStep[],
  options: {
    batchesInFlightPerEdge?: number;
    signal?: AbortSignal;
    partition?: string | null;
  } = {},
): Promise<PipelineOutcome> {
  const records: Record<string, StepRecord> = {};
  const resolved: ResolvedStep[] = steps.map((step) => {
    records[step.name] = {
      status: 'WAITING',
      rowsIn: null,
      rowsOut: null,
      result: null,
      error: null,
      rowEvents: 0,
      progress: [],
    };
    const component: AnyComponent = {
      name: `Test_${step.name}`,
      kind: kindOf(step, steps),
      description: 'test step',
      argumentsSchema: z.unknown(),
      run: step.run,
    };
    return {
      spec: {
        name: step.name,
        componentClassName: component.name,
        preComponentName: step.pre ?? '',
        componentArguments: {},
      },
      loaded: { component, source: 'test', loadedAt: new Date(), argumentsJsonSchema: {} },
      args: {},
    };
  });
  const at = (i: number) => records[steps[i]!.name]!;
  const events: StepEvents = {
    started: (i, rowsIn) => Object.assign(at(i), { status: 'RUNNING', rowsIn }),
    rows: (i, rows) => {
      const r = at(i);
      if (rows.rowsIn !== undefined) r.rowsIn = rows.rowsIn;
      if (rows.rowsOut !== undefined) r.rowsOut = rows.rowsOut;
      r.rowEvents += 1;
    },
    resultSet: (i, result) => (at(i).result = result),
    finished: (i, { rowsOut, result }) =>
      Object.assign(at(i), { status: 'FINISHED', rowsOut, result }),
    failed: (i, error, result) => Object.assign(at(i), { status: 'FAILED', error, result }),
    progress: (i, progress) => at(i).progress.push(progress),
  };
  let error: unknown = null;
  try {
    await runPipeline({
      jobId: 'test-job',
      partition: options.partition ?? null,
      steps: resolved,
      signal: options.signal ?? new AbortController().signal,
      logger: pino({ level: 'silent' }),
      // These components use no service; the runner only hands the object on.
      services: {} as ComponentServices,
      scopes: new JobScopes(),
      sink: { write: () => {} },
      events,
      batchesInFlightPerEdge: options.batchesInFlightPerEdge,
    });
  } catch (caught) {
    error = caught;
  }
  return { steps: records, error };
}

/** Lets other promises run (a slow consumer without timing anything). */
export async function yieldTurns(turns: number): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Batches of consecutive numbers: batch k (from 1) holds k*size-size+1 .. k*size. */
export function numberBatch(k: number, size: number): number[] {
  return Array.from({ length: size }, (_, i) => (k - 1) * size + i + 1);
}
