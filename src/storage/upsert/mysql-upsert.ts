import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/mysql2';
import type { ResultSetHeader } from 'mysql2';
import type { MysqlTarget } from '../mysql-target.js';
import type { MysqlLiteralMode, MysqlTuples } from './mysql-literals.js';
import {
  fixedStatementBytes,
  planChunks,
  statementLimit,
  upsertStatement,
} from './mysql-statement.js';
import type { AttemptContext, Phase } from './attempt-context.js';
import { StatementGuard } from './statement-guard.js';
import type { UpsertTable } from './upsert-table.js';
import { addCounts, countsFromOkPacket, noCounts, type WriteCounts } from './write-counts.js';

/**
 * One attempt at writing every row to one MySQL target: a connection of its own from the pool,
 * one transaction (Drizzle's `db.transaction` on that connection: BEGIN … COMMIT, ROLLBACK on
 * failure), and as few multi-row upserts as the packet limit allows. Holding the connection
 * ourselves is what lets a timeout or an abort drop exactly this transaction.
 */
export async function writeMysqlOnce<Row>(
  target: MysqlTarget,
  table: UpsertTable<Row>,
  tuplesFor: (mode: MysqlLiteralMode) => MysqlTuples,
  context: AttemptContext,
  phase: Phase,
): Promise<WriteCounts> {
  phase.current = 'connect';
  const { pool, maxAllowedPacket, noBackslashEscapes } = await target.connect();
  context.signal?.throwIfAborted();
  phase.current = 'preparing the statements';
  const { tuples, bytes } = tuplesFor({ noBackslashEscapes });
  const ends = planChunks(
    bytes,
    fixedStatementBytes(table),
    statementLimit(maxAllowedPacket, context.maxStatementBytes),
  );
  phase.current = 'connect';
  const connection = await pool.getConnection();
  const guard = new StatementGuard(
    connection,
    pool,
    target.config.pool.queryTimeoutMs,
    context.signal,
    context.countStatement,
  );
  const counts = noCounts();
  let failure: unknown;
  let begun = false;
  let committed = false;
  try {
    const db = drizzle({ client: connection });
    phase.current = 'BEGIN';
    guard.arm('BEGIN');
    context.countStatement();
    const transaction = db.transaction(async (tx) => {
      begun = true;
      try {
        let start = 0;
        for (const [index, end] of ends.entries()) {
          phase.current = `INSERT ${index + 1} of ${ends.length}`;
          context.countStatement();
          const values = sql.raw(tuples.slice(start, end).join(','));
          const [header] = (await guard.run(
            phase.current,
            tx.execute(upsertStatement(table, values)),
          )) as unknown as [ResultSetHeader];
          addCounts(counts, countsFromOkPacket(end - start, header.affectedRows, header.info));
          start = end;
          context.progress(end);
        }
        context.signal?.throwIfAborted();
      } catch (error) {
        failure = error;
        throw error;
      }
      phase.current = 'COMMIT';
      guard.arm('COMMIT');
      context.countStatement();
    });
    // BEGIN and COMMIT are Drizzle's own calls; racing the whole transaction covers them too.
    transaction.catch(() => undefined);
    await Promise.race([transaction, guard.interrupted]);
    committed = true;
    return counts;
  } catch (error) {
    const cause = guard.reason ?? failure ?? error;
    // After BEGIN, Drizzle sends ROLLBACK when the connection still works (the error is then the original one).
    if (begun && guard.reason === undefined && !isFatal(error)) context.countStatement();
    throw cause;
  } finally {
    guard.dispose();
    // After a failure the session's state is unknown (half-read packets, a dead socket): start afresh.
    if (committed) connection.release();
    else connection.destroy();
  }
}

function isFatal(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && (error as { fatal?: unknown }).fatal === true
  );
}
