import { abortReason } from '../../abort.js';
import type { StorageTarget } from '../targets.js';
import { refuseConflictingDuplicates } from './check-duplicates.js';
import { checkRows } from './check-rows.js';
import {
  renderedOnce,
  writeTarget,
  type TargetWriteResult,
  type UpsertOptions,
} from './upsert-rows.js';
import type { UpsertTable } from './upsert-table.js';
import type { WriteCounts } from './write-counts.js';

/** One batch committed on one target. */
export interface BatchCommitted {
  target: string;
  /** 0 for the first batch. */
  batch: number;
  rows: number;
  counts: WriteCounts;
  /** This target's committed totals so far, this batch included. */
  total: WriteCounts & { rows: number; batches: number };
}

export interface UpsertBatchesOptions extends UpsertOptions {
  /** After each batch a target committed: what a streaming storager reports as written so far. */
  onBatch?: (committed: BatchCommitted) => void;
}

/**
 * Upserts a stream of batches into `table` on every target: each batch in one transaction per
 * target, the targets of a batch written at once, the next batch read once every target is done
 * with this one (so at most one batch is held). Counts are summed per target. A target whose
 * batch fails (after retries) is reported with what it committed before and gets no further
 * batches; the others go on. Rejects for a batch that fails validation (the batches before it
 * stay committed; nothing of it is written) and for an abort (the batch in flight is rolled back
 * on every target, those before it stay committed).
 */
export async function upsertBatches<Row>(
  targets: readonly StorageTarget[],
  table: UpsertTable<Row>,
  batches: AsyncIterable<readonly Row[]> | Iterable<readonly Row[]>,
  options: UpsertBatchesOptions = {},
): Promise<TargetWriteResult[]> {
  const { signal } = options;
  if (signal?.aborted) throw abortReason(signal);
  const totals = targets.map((target) => ({
    target,
    result: nothingWritten(target),
    rows: 0,
    batches: 0,
  }));
  let batch = 0;
  for await (const rows of batches) {
    if (signal?.aborted) throw abortReason(signal);
    const live = totals.filter((t) => t.result.ok);
    if (live.length === 0) break;
    checkRows(table, rows);
    refuseConflictingDuplicates(table, rows);
    const changedAt = options.now ?? new Date();
    const tuplesFor = renderedOnce(table, rows, changedAt);
    const results = await Promise.all(
      live.map((t) => writeTarget(t.target, table, rows, changedAt, tuplesFor, options)),
    );
    if (signal?.aborted) throw abortReason(signal);
    results.forEach((written, i) => {
      const into = live[i]!;
      const total = into.result;
      total.statements += written.statements;
      total.durationMs += written.durationMs;
      total.attempts += written.attempts;
      if (!written.ok) {
        total.ok = false;
        total.error = `${written.error ?? 'failed'} (at batch ${batch + 1}; ${into.batches} batches of ${into.rows} rows committed before)`;
        return;
      }
      total.inserted += written.inserted;
      total.updated += written.updated;
      total.unchanged += written.unchanged;
      into.rows += rows.length;
      into.batches += 1;
      options.onBatch?.({
        target: total.target,
        batch,
        rows: rows.length,
        counts: {
          inserted: written.inserted,
          updated: written.updated,
          unchanged: written.unchanged,
        },
        total: {
          inserted: total.inserted,
          updated: total.updated,
          unchanged: total.unchanged,
          rows: into.rows,
          batches: into.batches,
        },
      });
    });
    batch += 1;
  }
  return totals.map((t) => t.result);
}

function nothingWritten(target: StorageTarget): TargetWriteResult {
  return {
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
  };
}
