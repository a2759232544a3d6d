import { DrizzleQueryError } from 'drizzle-orm/errors';
import { AppError } from '../../errors.js';

/** One statement ran longer than the target's `queryTimeoutMs`; its connection was dropped and the transaction rolled back. */
export class StatementTimeoutError extends AppError {
  readonly code = 'STATEMENT_TIMEOUT';

  constructor(
    readonly statement: string,
    readonly timeoutMs: number,
  ) {
    super(
      `${statement} took longer than ${timeoutMs} ms (queryTimeoutMs); the connection was dropped and the transaction rolled back`,
    );
  }
}

/**
 * The driver's own error from Drizzle's wrapper: DrizzleQueryError's message quotes the whole
 * statement, megabytes of rows for a big upsert, which must not end up in a job's error or a log.
 */
export function withoutQueryText(error: unknown): unknown {
  return error instanceof DrizzleQueryError && error.cause !== undefined ? error.cause : error;
}

/** A target set to `"bulkLoad": "on"` whose server refuses LOAD DATA LOCAL INFILE. */
export class BulkLoadRefusedError extends AppError {
  readonly code = 'BULK_LOAD_REFUSED';
}
