import type { Pool, PoolConnection } from 'mysql2/promise';

/**
 * Runs `work` in one transaction on one connection of the pool: committed when it resolves,
 * rolled back when it throws. The cluster's claims and reaps each need their row locks and their
 * writes on the same connection, which the pool's one-statement calls cannot give.
 */
export async function inTransaction<T>(
  pool: Pool,
  work: (connection: PoolConnection) => Promise<T>,
): Promise<T> {
  const connection = await pool.getConnection();
  try {
    // READ COMMITTED: under REPEATABLE READ a locking read of the queue's range also locks the
    // gaps after it, so a submission inserting the next job would wait on (or deadlock with) a
    // claim. The claim needs only the rows it read (Solid Queue advises the same).
    await connection.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
    await connection.beginTransaction();
    try {
      const result = await work(connection);
      await connection.commit();
      return result;
    } catch (error) {
      await connection.rollback().catch(() => undefined);
      throw error;
    }
  } finally {
    connection.release();
  }
}

/** The database's clock in milliseconds: every process compares heartbeats against one clock. */
export const DB_NOW_MS = 'CAST(ROUND(UNIX_TIMESTAMP(NOW(3)) * 1000) AS UNSIGNED)';
