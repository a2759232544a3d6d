import type { Readable } from 'node:stream';
import type mysql from 'mysql2/promise';
import type { MysqlTarget } from '../mysql-target.js';
import type { AttemptContext, Phase } from './attempt-context.js';
import { loadDataStream } from './load-data-encoder.js';
import {
  createStagingStatement,
  dropStagingStatement,
  emptyCheckStatement,
  loadDataStatement,
  mergeStatement,
  parseInfo,
  stagingName,
} from './load-data-statements.js';
import { StatementGuard } from './statement-guard.js';
import type { UpsertTable } from './upsert-table.js';
import { countsFromOkPacket, type WriteCounts } from './write-counts.js';

/**
 * One attempt at writing rows to one MySQL target through LOAD DATA LOCAL INFILE, in one
 * transaction on a connection of its own:
 * - into an empty table (checked, and its end locked, in the transaction): LOAD DATA straight in;
 *   every row is new, except exact duplicates within the rows, which LOAD DATA skips;
 * - otherwise: LOAD DATA into a temporary staging table, then one merge that writes only new and
 *   changed rows (load-data-statements.ts says how it counts).
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
  try {
    await run('BEGIN', 'START TRANSACTION');
    const stored = await run<mysql.RowDataPacket[]>(
      'checking for stored rows',
      emptyCheckStatement(table),
    );
    const empty = stored.length === 0;
    const into = empty ? table.name : stagingName(table);
    if (!empty) await run('creating the staging table', createStagingStatement(table));
    const load = await run<mysql.ResultSetHeader>('LOAD DATA', {
      sql: loadDataStatement(table, into, changedAt),
      infileStreamFactory: () => {
        stream = loadDataStream(columns, rows, (done) => context.progress(done), maxAllowedPacket);
        return stream;
      },
    });
    const loaded = parseInfo(load.info);
    // LOCAL turns duplicate keys into skipped rows with a warning each; any other warning means a
    // value was changed on the way, which must never pass silently.
    if (loaded.warnings > loaded.skipped || loaded.records !== rows.length)
      throw await unexpectedWarnings(connection, loaded.records, rows.length);
    let counts: WriteCounts;
    if (empty) {
      // Only exact duplicates are skipped (conflicting ones were refused): each left the row as written.
      counts = {
        inserted: load.affectedRows,
        updated: 0,
        unchanged: rows.length - load.affectedRows,
      };
    } else {
      const merged = await run<mysql.ResultSetHeader>(
        'merging the staged rows',
        mergeStatement(table),
      );
      const selected = parseInfo(merged.info).records;
      counts = countsFromOkPacket(selected, merged.affectedRows, merged.info);
      counts.unchanged += rows.length - selected;
      await run('dropping the staging table', dropStagingStatement(table));
    }
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
