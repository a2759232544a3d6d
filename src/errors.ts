/**
 * Typed errors for the failures we expect. Each has a stable `code` so callers (the executor,
 * the GraphQL layer, tests) branch on the kind of failure instead of parsing messages.
 */
export abstract class AppError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A file or value handed to us (config, job spec, component arguments, source data) is wrong. */
export class ValidationError extends AppError {
  readonly code = 'VALIDATION';

  constructor(
    message: string,
    readonly problems: readonly Problem[] = [],
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A configuration file is missing, unreadable or invalid. The message names the file and field. */
export class ConfigError extends AppError {
  readonly code = 'CONFIG';
}

/** The job was cancelled: by a user, by shutdown, or by its own timeout. */
export class JobCancelledError extends AppError {
  readonly code = 'CANCELLED';

  constructor(readonly reason: string) {
    super(`cancelled: ${reason}`);
  }
}

/** Something asked for a job, schedule, component or target that does not exist. */
export class NotFoundError extends AppError {
  readonly code = 'NOT_FOUND';

  constructor(
    readonly kind: 'job' | 'schedule' | 'component' | 'target' | 'source' | 'backfill',
    readonly key: string,
  ) {
    super(`no ${kind} named ${JSON.stringify(key)}`);
  }
}

/** A request is well-formed but not allowed in the current state (e.g. cancelling a finished job). */
export class ConflictError extends AppError {
  readonly code = 'CONFLICT';
}

/** A limit was reached (queued jobs, spec size, subscriptions); the caller may try again later. */
export class LimitExceededError extends AppError {
  readonly code = 'LIMIT_EXCEEDED';
}

/** One problem found while validating input: where it is and what is wrong, in a sentence. */
export interface Problem {
  readonly path: string;
  readonly message: string;
}

/** The message of anything thrown: an Error's message, a string as it is, anything else as JSON. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  if (error !== null && typeof error === 'object') {
    try {
      return JSON.stringify(error);
    } catch {
      return Object.prototype.toString.call(error);
    }
  }
  return String(error);
}
