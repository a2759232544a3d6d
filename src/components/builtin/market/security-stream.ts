import type { Logger } from 'pino';
import { AppError } from '../../../errors.js';
import type { FailedSecurity, SecurityFetch } from '../../../sources/baostock/security-fetch.js';
import type { StepProgress } from '../../component.js';

/** Securities that still failed after their retries: the job fails naming them, the rest is written. */
export class SecuritiesFailedError extends AppError {
  readonly code = 'SECURITIES_FAILED';

  constructor(
    readonly failures: readonly FailedSecurity[],
    total: number,
  ) {
    const shown = failures
      .slice(0, 20)
      .map((f) => `${f.code} (${f.reason})`)
      .join(', ');
    super(
      `${failures.length} of ${total} securities failed after their retries: ${shown}${failures.length > 20 ? `, and ${failures.length - 20} more` : ''}; everything else was fetched (re-run the partition to fill the gap)`,
    );
  }
}

export interface SecurityStreamOptions {
  /** Rows per batch handed on: a batch is written as one transaction per target. */
  batchRows: number;
  logger: Logger;
  reportProgress: (progress: StepProgress) => void;
  setResult: (result: unknown) => void;
}

/**
 * Turns per-security outcomes into batches of rows as securities complete, reporting securities
 * done of total. A failed security is logged and listed; once the rest have been handed on, the
 * stream ends with SecuritiesFailedError when any failed.
 */
export async function* securityBatches<Row>(
  fetch: SecurityFetch<Row>,
  options: SecurityStreamOptions,
): AsyncGenerator<Row[], void, undefined> {
  const { batchRows, logger, reportProgress, setResult } = options;
  let batch: Row[] = [];
  let total = fetch.progress.total;
  let rows = 0;
  reportProgress({ done: 0, total, label: 'securities' });
  for await (const outcome of fetch) {
    total = outcome.progress.total;
    reportProgress({ done: outcome.progress.done, total, label: 'securities' });
    if (outcome.kind === 'failed') {
      logger.warn(`${outcome.code}: failed after its retries: ${outcome.reason}`);
      continue;
    }
    rows += outcome.rows.length;
    batch.push(...outcome.rows);
    if (batch.length >= batchRows) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
  const failures = fetch.failures;
  setResult({ securities: total, rows, failed: failures.length, failures: failures.slice(0, 100) });
  logger.info(`${total - failures.length} of ${total} securities fetched, ${rows} rows`);
  if (failures.length > 0) throw new SecuritiesFailedError(failures, total);
}
