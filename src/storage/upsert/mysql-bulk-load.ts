import type { Readable } from 'node:stream';
import type mysql from 'mysql2/promise';
import type { MysqlTarget } from '../mysql-target.js';
import type { AttemptContext, Phase } from './attempt-context.js';
import { loadDataStream } from './load-data-encoder.js';
import {
  createStagingStatement,
  dropStagingStatement,
  loadDataStatement,
  mergeStatement,
  parseInfo,
  stagingName,
  storedKeysStatement,
} from './load-data-statements.js';
import { StatementGuard } from './statement-guard.js';
import type { UpsertTable } from './upsert-table.js';
import { countsFromOkPacket, type WriteCounts } from './write-counts.js';

/**
 * One attempt at writing rows to one MySQL target through LOAD DATA LOCAL INFILE, in one
 * transaction on a connection of its own:
 * - when neither the first nor the last row's key is stored (a first load, a new day's bars):
 *   LOAD DATA straight into the table, which skips any key already there; when it skipped none,
 *   every row was new and that is all (four statements);
 * - otherwise (a re-write, or keys the direct load skipped): LOAD DATA into a temporary staging
 *   table, then one merge that writes only new and changed rows (load-data-statements.ts says how
 *   it counts); rows loaded straight in are stored as staged, so the merge counts them unchanged
 *   and they are counted inserted from the direct load.
 * The rows are encoded as the server reads them, never as a whole file. An abort or a timeout
 * drops the connection (the server rolls back; the staging table goes with the session).
 * Conflicting duplicates never get here: `upsertRows` refuses them first.
 */
export async function writeMysqlBulkOnce<Row>(
  target: MysqlTarget,
  table: UpsertTable<Row>,
  rows: readonly Row[],
  changedAt: Date,
  context: AttemptContext,
  phase: Phase,
): Promise<WriteCounts> {
  phase.current = 'connect';
  const { pool, maxAllowedPacket } = await target.connect();
  context.signal?.throwIfAborted();
  const connection = await pool.getConnection();
  const guard = new StatementGuard(
    connection,
    pool,
    target.config.pool.queryTimeoutMs,
    context.signal,
    context.countStatement,
  );
  const columns = [...table.key, ...table.compared];
  let stream: Readable | undefined;
  let committed = false;
  const run = async <T>(label: string, query: string | mysql.QueryOptions): Promise<T> => {
    phase.current = label;
    context.countStatement();
    const [result] = await guard.run(
      label,
      connection.query(typeof query === 'string' ? { sql: query } : query),
    );
    return result as T;
  };
  const load = async (into: string, reportProgress: boolean) => {
    const loaded = await run<mysql.ResultSetHeader>('LOAD DATA', {
      sql: loadDataStatement(table, into, changedAt),
      infileStreamFactory: () => {
        stream = loadDataStream(
          columns,
          rows,
          reportProgress ? (done) => context.progress(done) : undefined,
          maxAllowedPacket,
        );
        return stream;
      },
    });
    const info = parseInfo(loaded.info);
    // LOCAL turns duplicate keys into skipped rows with a warning each; any other warning means a
    // value was changed on the way, which must never pass silently.
    if (info.warnings > info.skipped || info.records !== rows.length)
      throw await unexpectedWarnings(connection, info.records, rows.length);
    return { affectedRows: loaded.affectedRows, skipped: info.skipped };
  };
  try {
    await run('BEGIN', 'START TRANSACTION');
    const stored = await run<mysql.RowDataPacket[]>(
      'checking for stored keys',
      storedKeysStatement(table, [rows[0]!, rows[rows.length - 1]!]),
    );
    let direct = 0;
    let merge = stored.length > 0;
    if (!merge) {
      // Likely all new (a first load, a new day): straight in. A key already stored is skipped
      // (LOCAL), so nothing stored is overwritten; the merge below then compares those rows.
      const loaded = await load(table.name, true);
      direct = loaded.affectedRows;
      merge = loaded.skipped > 0;
    }
    let counts: WriteCounts = { inserted: direct, updated: 0, unchanged: 0 };
    if (merge) {
      await run('creating the staging table', createStagingStatement(table));
      await load(stagingName(table), direct === 0);
      const merged = await run<mysql.ResultSetHeader>(
        'merging the staged rows',
        mergeStatement(table),
      );
      // Rows loaded straight in are stored as staged, so the merge leaves them unchanged.
      counts = countsFromOkPacket(parseInfo(merged.info).records, merged.affectedRows, merged.info);
      counts.inserted += direct;
      await run('dropping the staging table', dropStagingStatement(table));
    }
    counts.unchanged = rows.length - counts.inserted - counts.updated;
    context.signal?.throwIfAborted();
    await run('COMMIT', 'COMMIT');
    committed = true;
    context.progress(rows.length);
    return counts;
  } catch (error) {
    throw guard.reason ?? error;
  } finally {
    guard.dispose();
    stream?.destroy();
    // After a failure the session's state is unknown (a half-read file, a staging table): start afresh.
    if (committed) connection.release();
    else connection.destroy();
  }
}

async function unexpectedWarnings(
  connection: mysql.PoolConnection,
  records: number,
  expected: number,
): Promise<Error> {
  const [warnings] = await connection.query<mysql.RowDataPacket[]>('SHOW WARNINGS LIMIT 3');
  const shown = warnings.map((w) => `${String(w.Code)} ${String(w.Message)}`).join('; ');
  return new Error(
    `LOAD DATA read ${records} of ${expected} rows with warnings the checked values cannot explain: ${shown || 'none shown'}`,
  );
}
