import { ValidationError } from '../errors.js';
import { isBatchStream, type Rows } from '../pipeline/batches.js';
import type { StorageTarget } from '../storage/targets.js';
import {
  failedTargetsError,
  upsertRows,
  type TargetWriteResult,
  type UpsertTable,
} from '../storage/upsert/index.js';
import type { ComponentContext } from './component.js';

/** One target's sums over a stream: every batch written so far, in its own transaction. */
export interface StreamTargetResult extends TargetWriteResult {
  /** Batches committed on this target. */
  batches: number;
}

export interface StoreRowsOptions<Row> {
  table: UpsertTable<Row>;
  targets: readonly StorageTarget[];
  /** The storager's context: its signal, logger, progress and result. */
  context: Pick<ComponentContext, 'signal' | 'logger' | 'reportProgress' | 'setResult'>;
}

/**
 * What a storager does with its input. An array is upserted into every target at once, each in
 * one transaction, and returned. A stream is written batch by batch as it arrives (one
 * transaction per batch and target, upserts, so a re-run after a failure writes nothing twice),
 * and comes back as a stream of the batches written; the result is set after every batch, so a
 * failure half-way still reports what was written where. A failed target is not written again
 * (the others go on) and fails the step at the end, naming it; the step fails at once when no
 * target is left.
 */
export function storeRows<Row>(
  input: Rows<Row>,
  options: StoreRowsOptions<Row>,
): Promise<readonly Row[]> | AsyncIterable<readonly Row[]> {
  return isBatchStream(input) ? storeStream(input, options) : storeArray(input, options);
}

async function storeArray<Row>(
  input: readonly Row[],
  { table, targets, context }: StoreRowsOptions<Row>,
): Promise<readonly Row[]> {
  const { signal, logger, reportProgress, setResult } = context;
  for (const target of targets)
    reportProgress({ done: 0, total: input.length, label: target.name });
  const results = await upsertRows(targets, table, input, {
    signal,
    logger,
    onProgress: (target, done, total) => reportProgress({ done, total, label: target }),
  });
  setResult({ targets: results });
  for (const r of results) {
    const counts = `${r.inserted} inserted, ${r.updated} updated, ${r.unchanged} unchanged in ${Math.round(r.durationMs)} ms (${r.statements} statements)`;
    if (r.ok) logger.info(`target "${r.target}": ${counts}`);
    else logger.error(`target "${r.target}" failed after ${r.attempts} attempt(s): ${r.error}`);
  }
  const failure = failedTargetsError(results);
  if (failure) throw failure;
  return input;
}

async function* storeStream<Row>(
  input: AsyncIterable<readonly Row[]>,
  { table, targets, context }: StoreRowsOptions<Row>,
): AsyncGenerator<readonly Row[], void, undefined> {
  const { signal, logger, reportProgress, setResult } = context;
  const totals = targets.map((target): StreamTargetResult => ({
    target: target.name,
    dialect: target.dialect,
    ok: true,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    statements: 0,
    durationMs: 0,
    attempts: 0,
    error: null,
    batches: 0,
  }));
  const totalOf = new Map(totals.map((t) => [t.target, t]));
  let rowsIn = 0;
  let batch = 0;
  for await (const rows of input) {
    batch += 1;
    rowsIn += rows.length;
    const open = targets.filter((t) => totalOf.get(t.name)!.ok);
    const written = (name: string) => {
      const t = totalOf.get(name)!;
      return t.inserted + t.updated + t.unchanged;
    };
    let results: TargetWriteResult[];
    try {
      results = await upsertRows(open, table, rows, {
        signal,
        logger,
        // The stream's length is unknown: progress is rows written of rows received so far.
        onProgress: (target, done) =>
          reportProgress({ done: written(target) + done, total: rowsIn, label: target }),
      });
    } catch (error) {
      // Rows the table refuses: which batch they were in is what the author needs to find them.
      if (error instanceof ValidationError)
        throw new ValidationError(`batch ${batch}: ${error.message}`, error.problems, {
          cause: error,
        });
      throw error;
    }
    for (const r of results) {
      const t = totalOf.get(r.target)!;
      t.inserted += r.inserted;
      t.updated += r.updated;
      t.unchanged += r.unchanged;
      t.statements += r.statements;
      t.durationMs += r.durationMs;
      t.attempts += r.attempts;
      if (r.ok) t.batches += 1;
      else {
        t.ok = false;
        t.error = `batch ${batch}: ${r.error}`;
        logger.error(`target "${r.target}" failed on batch ${batch}: ${r.error}`);
      }
      logger.debug(
        `target "${r.target}", batch ${batch}: ${r.inserted} inserted, ${r.updated} updated, ${r.unchanged} unchanged`,
      );
    }
    setResult({ targets: totals });
    if (totals.every((t) => !t.ok)) throw failedTargetsError(totals)!;
    yield rows;
  }
  for (const t of totals) {
    if (!t.ok) continue;
    logger.info(
      `target "${t.target}": ${t.inserted} inserted, ${t.updated} updated, ${t.unchanged} unchanged in ${t.batches} batches, ${Math.round(t.durationMs)} ms writing (${t.statements} statements)`,
    );
  }
  const failure = failedTargetsError(totals);
  if (failure) throw failure;
}
