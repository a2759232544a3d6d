import { AsyncLocalStorage } from 'node:async_hooks';
import type { LogLineLevel } from '../jobs/job.js';

/** Where a log line written inside a job goes. */
export interface JobLineSink {
  write(level: LogLineLevel, message: string, step: string | null): void;
}

export interface JobScope {
  jobId: string;
  /** The step running in this async call tree, or null for the job's own lines. */
  step: string | null;
  sink: JobLineSink;
}

/**
 * Knows which job (and step) the current async call tree belongs to, so that code in a
 * component just logs and every line lands with its own job, even with jobs running side by side.
 */
export class JobScopes {
  readonly #storage = new AsyncLocalStorage<JobScope>();

  current(): JobScope | undefined {
    return this.#storage.getStore();
  }

  run<T>(scope: JobScope, fn: () => T): T {
    return this.#storage.run(scope, fn);
  }

  /** Leaves any job scope: for work a job starts that must not be logged as the job's (e.g. a shared pool warming up). */
  exit<T>(fn: () => T): T {
    return this.#storage.exit(fn);
  }
}
