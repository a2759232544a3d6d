import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { errorMessage } from '../../errors.js';
import { TargetWriteError } from '../errors.js';
import type { StorageTarget } from '../targets.js';
import type { AttemptContext, Phase } from './attempt-context.js';
import { checkRows } from './check-rows.js';
import { renderMysqlTuples, type MysqlLiteralMode, type MysqlTuples } from './mysql-literals.js';
import type { MysqlTarget } from '../mysql-target.js';
import { refuseConflictingDuplicates } from './check-duplicates.js';
import { writeMysqlBulkOnce } from './mysql-bulk-load.js';
import { writeMysqlOnce } from './mysql-upsert.js';
import { abortReason, sleep } from '../../abort.js';
import { DEFAULT_RETRY_POLICY, retryDelayMs, type RetryPolicy } from '../../retry-policy.js';
import { writeSqliteOnce } from './sqlite-upsert.js';
import { isTransient } from './transient-errors.js';
import type { UpsertTable } from './upsert-table.js';
import type { WriteCounts } from './write-counts.js';
import { BulkLoadRefusedError, withoutQueryText } from './write-errors.js';

/** What happened on one target. */
export interface TargetWriteResult {
  target: string;
  dialect: 'mysql' | 'sqlite';
  ok: boolean;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Statements sent, transaction statements (BEGIN, COMMIT, ROLLBACK) and every attempt included. */
  statements: number;
  durationMs: number;
  attempts: number;
  /** Why the target failed, naming it (never a password); null when ok. */
  error: string | null;
}

export interface UpsertOptions {
  /** Aborting rolls back every transaction still open; `upsertRows` then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Rows written so far on a target in the current attempt (committed only once done = total and the result is ok). */
  onProgress?: (target: string, done: number, total: number) => void;
  logger?: Logger;
  retry?: RetryPolicy;
  /** Cap on one statement's size in bytes (default 4 MiB); the server's max_allowed_packet always caps it too. */
  maxStatementBytes?: number;
  /** The change time written to changed rows (default: now); the same on every target. */
  now?: Date;
  /**
   * Fewest rows a MySQL target writes through LOAD DATA when its `bulkLoad` allows (default
   * 5,000): below that, one multi-row statement takes fewer round trips than the file transfer.
   */
  bulkLoadMinRows?: number;
}

export const DEFAULT_BULK_LOAD_MIN_ROWS = 5000;

/**
 * Upserts `rows` into `table` on every target at once (one transaction per target). A target's
 * failure never throws: it is retried when transient and then reported in its result, so the
 * others commit regardless and the caller (a storager) decides what a failed target means for
 * the job. Rejects only for rows that fail validation (before anything is written) and for an
 * abort (after every open transaction has been rolled back).
 */
export async function upsertRows<Row>(
  targets: readonly StorageTarget[],
  table: UpsertTable<Row>,
  rows: readonly Row[],
  options: UpsertOptions = {},
): Promise<TargetWriteResult[]> {
  const { signal } = options;
  if (signal?.aborted) throw abortReason(signal);
  checkRows(table, rows);
  refuseConflictingDuplicates(table, rows);
  const changedAt = options.now ?? new Date();
  const tuplesFor = renderedOnce(table, rows, changedAt);
  const results = await Promise.all(
    targets.map((target) => writeTarget(target, table, rows, changedAt, tuplesFor, options)),
  );
  if (signal?.aborted) {
    options.logger?.warn(
      { table: table.name, results },
      'upsert aborted; open transactions were rolled back',
    );
    throw abortReason(signal);
  }
  return results;
}

/** Rows rendered as literals at most once per quoting mode, shared by every MySQL target of a write. */
export function renderedOnce<Row>(
  table: UpsertTable<Row>,
  rows: readonly Row[],
  changedAt: Date,
): (mode: MysqlLiteralMode) => MysqlTuples {
  const rendered = new Map<boolean, MysqlTuples>();
  return (mode) => {
    let tuples = rendered.get(mode.noBackslashEscapes);
    if (!tuples) {
      tuples = renderMysqlTuples(table, rows, changedAt, mode);
      rendered.set(mode.noBackslashEscapes, tuples);
    }
    return tuples;
  };
}

/** One write of `rows` to one target, retried when transient; never throws. */
export async function writeTarget<Row>(
  target: StorageTarget,
  table: UpsertTable<Row>,
  rows: readonly Row[],
  changedAt: Date,
  tuplesFor: (mode: MysqlLiteralMode) => MysqlTuples,
  options: UpsertOptions,
): Promise<TargetWriteResult> {
  const started = performance.now();
  const policy = options.retry ?? DEFAULT_RETRY_POLICY;
  const log = options.logger;
  let statements = 0;
  let attempts = 0;
  const finish = (
    counts: WriteCounts | null,
    error: TargetWriteError | null,
  ): TargetWriteResult => ({
    target: target.name,
    dialect: target.dialect,
    ok: error === null,
    inserted: counts?.inserted ?? 0,
    updated: counts?.updated ?? 0,
    unchanged: counts?.unchanged ?? 0,
    statements,
    durationMs: Math.round(performance.now() - started),
    attempts,
    error: error?.message ?? null,
  });
  if (rows.length === 0) return finish({ inserted: 0, updated: 0, unchanged: 0 }, null);

  const context: AttemptContext = {
    signal: options.signal,
    maxStatementBytes: options.maxStatementBytes,
    countStatement: () => {
      statements += 1;
    },
    progress: (done) => options.onProgress?.(target.name, done, rows.length),
  };
  for (;;) {
    attempts += 1;
    const phase: Phase = { current: 'connect' };
    try {
      const counts =
        target.dialect === 'sqlite'
          ? await writeSqliteOnce(target, table, rows, changedAt, context, phase)
          : (await usesBulkLoad(target, rows.length, options))
            ? await writeMysqlBulkOnce(target, table, rows, changedAt, context, phase)
            : await writeMysqlOnce(target, table, tuplesFor, context, phase);
      // Debug only: the result goes back to the caller, who reports it (a storager logs it in its job).
      log?.debug(
        { target: target.name, table: table.name, ...counts, statements, attempts },
        'rows upserted',
      );
      return finish(counts, null);
    } catch (caught) {
      const error = withoutQueryText(caught);
      if (options.signal?.aborted)
        return finish(null, failure(target.name, phase, attempts, abortReason(options.signal)));
      const transient = isTransient(error);
      if (!transient || attempts >= policy.attempts) {
        const failed = failure(target.name, phase, attempts, error);
        log?.debug(
          { target: target.name, table: table.name, attempts, transient, err: failed.message },
          'upsert failed on a target',
        );
        return finish(null, failed);
      }
      const delayMs = retryDelayMs(policy, attempts);
      log?.warn(
        {
          target: target.name,
          table: table.name,
          attempt: attempts,
          delayMs,
          err: describe(target.name, error),
        },
        'transient failure; retrying the write',
      );
      try {
        await sleep(delayMs, options.signal);
      } catch (aborted) {
        return finish(null, failure(target.name, phase, attempts, aborted));
      }
    }
  }
}

/** Whether this write goes through LOAD DATA (mysql-bulk-load.ts) or multi-row statements. */
async function usesBulkLoad(
  target: MysqlTarget,
  rows: number,
  options: UpsertOptions,
): Promise<boolean> {
  const mode = target.config.bulkLoad;
  if (mode === 'off' || rows < (options.bulkLoadMinRows ?? DEFAULT_BULK_LOAD_MIN_ROWS))
    return false;
  const { localInfile } = await target.connect();
  if (localInfile) return true;
  if (mode === 'on')
    throw new BulkLoadRefusedError(
      'bulkLoad is "on" but the server refuses LOAD DATA LOCAL INFILE (local_infile is OFF)',
    );
  target.logBulkLoadRefused('the server has local_infile OFF');
  return false;
}

function failure(target: string, phase: Phase, attempts: number, error: unknown): TargetWriteError {
  const where = phase.current === 'connect' ? 'connecting' : phase.current;
  const tries = attempts > 1 ? ` (${attempts} attempts)` : '';
  return new TargetWriteError(
    target,
    `write failed at ${where}${tries}: ${describe(target, error)}`,
    { cause: error },
  );
}

/** The error's message with its driver code, without a repeated `storage target "x":` prefix. */
function describe(target: string, error: unknown): string {
  let message = errorMessage(error);
  const prefix = `storage target "${target}": `;
  if (message.startsWith(prefix)) message = message.slice(prefix.length);
  const code = codeOf(error);
  const shown = code !== undefined && !message.includes(code) ? code : undefined;
  return shown ? `${message} [${shown}]` : message;
}

function codeOf(error: unknown): string | undefined {
  for (
    let e: unknown = error, depth = 0;
    e !== null && typeof e === 'object' && depth < 5;
    depth++
  ) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'TARGET_UNAVAILABLE') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
