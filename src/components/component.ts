import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Problem } from '../errors.js';
import type { BaoStockEndpoints } from '../sources/baostock/endpoints.js';
import type { OfflineCalendar } from '../sources/offline-calendar/index.js';
import type { StorageTargets } from '../storage/targets.js';
import type { WorkerPool } from '../workers/worker-pool.js';

export const COMPONENT_KINDS = ['PRODUCER', 'PROCESSOR', 'STORAGER'] as const;
export type ComponentKind = (typeof COMPONENT_KINDS)[number];

/** Progress a step reports while it runs, e.g. rows written of rows to write on one target. */
export interface StepProgress {
  done: number;
  total: number;
  /** What the numbers count within the step, e.g. a storage target's name. */
  label?: string;
}

/**
 * What a component's `run` receives besides its input. The input is what its predecessor returned:
 * an array of rows, or a stream of batches (`Rows<Row>` in src/pipeline/batches.ts; `mapBatches`
 * handles both). A component may return either too; a stream's batches reach its successors as
 * they are made, a few at a time (backpressure), so `signal` may abort while it is being read. `services` is whatever the app offers
 * components (storage, calendars, clock); its shape is declared by the app in `ComponentServices`.
 */
export interface ComponentContext<Args = unknown> {
  /** The step's arguments, already validated against the component's schema. */
  args: Args;
  /** Lines logged here (or anywhere in this async call tree) are stored with the job. */
  logger: Logger;
  /** Aborted when the job is cancelled, times out, or the server shuts down. */
  signal: AbortSignal;
  jobId: string;
  /** The trading day whose data this job produces (YYYY-MM-DD); null for ad hoc jobs without one. */
  partition: string | null;
  stepName: string;
  services: ComponentServices;
  /** Shown with the job (and published, throttled) so clients can draw a progress bar. */
  reportProgress: (progress: StepProgress) => void;
  /** A JSON-serialisable summary kept with the step's result (e.g. per-target write counts). */
  setResult: (result: unknown) => void;
}

/** What the app hands every component: built once in `buildApp`, never looked up globally. */
export interface ComponentServices {
  /** The market's time zone (the server's `timeZone`), for "today" and date arithmetic. */
  timeZone: string;
  now: () => Date;
  /** The offline trading calendar (no network). */
  calendar: OfflineCalendar;
  /** The configured storage targets. */
  targets: StorageTargets;
  /** Worker threads for CPU-heavy work, so the server stays responsive while jobs run. */
  workers: WorkerPool;
  /** The BaoStock endpoints of conf/sources.json: the only hosts and accounts a job may use. */
  baostock: BaoStockEndpoints;
}

/** What a spec's arguments are checked against besides their schema: the configuration's names. */
export interface ArgumentCheckEnvironment {
  /** BaoStock endpoints (conf/sources.json). */
  baostockEndpoints: readonly string[];
  /** Storage targets (conf/storage.json). */
  targets: readonly string[];
}

export interface Component<Args = unknown, Input = unknown, Output = unknown> {
  /** The name job specs use in `componentClassName`. */
  readonly name: string;
  readonly kind: ComponentKind;
  readonly description: string;
  readonly argumentsSchema: z.ZodType<Args>;
  /**
   * Problems of valid arguments against the configuration (an endpoint or target that is not
   * configured), each with its path inside `componentArguments`; checked when a job is submitted.
   */
  checkArguments?(args: Args, environment: ArgumentCheckEnvironment): Problem[];
  run(input: Input, context: ComponentContext<Args>): Promise<Output> | Output;
}

/** Declares a component with its argument types inferred from its zod schema. */
export function defineComponent<
  Schema extends z.ZodType,
  Input = unknown,
  Output = unknown,
>(component: {
  name: string;
  kind: ComponentKind;
  description: string;
  argumentsSchema: Schema;
  checkArguments?(args: z.output<Schema>, environment: ArgumentCheckEnvironment): Problem[];
  run(input: Input, context: ComponentContext<z.output<Schema>>): Promise<Output> | Output;
}): Component<z.output<Schema>, Input, Output> {
  return component as Component<z.output<Schema>, Input, Output>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyComponent = Component<any, any, any>;
