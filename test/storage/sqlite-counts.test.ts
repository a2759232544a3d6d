/**
 * The embedded target's exact counts, now that inserted rows are told apart by rowid instead of
 * counting the table before and after: rows deleted from the table's end and written again, a
 * batch mixing new, changed and unchanged rows, and batches interleaved with another table's
 * inserts on the same connection.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SqliteTarget } from '../../src/storage/sqlite-target.js';
import {
  dailyBarTable,
  tradeDayTable,
  upsertBatches,
  upsertRows,
  type DailyBarRow,
} from '../../src/storage/upsert/index.js';
import { sqliteTarget, tradeDays } from './helpers.js';
import { dailyBars } from './market-rows.js';

describe('SQLite upsert counts', () => {
  let lite: { target: SqliteTarget; remove(): void };
  before(() => {
    lite = sqliteTarget('counts');
  });
  after(async () => {
    await lite.target.close();
    lite.remove();
  });

  const counts = async (rows: DailyBarRow[]) => {
    const [r] = await upsertRows([lite.target], dailyBarTable, rows);
    assert.equal(r?.ok, true, r?.error ?? '');
    return [r.inserted, r.updated, r.unchanged];
  };

  it('counts rows written again after the last ones were deleted as inserted', async () => {
    const rows = dailyBars(4, 50);
    assert.deepEqual(await counts(rows), [200, 0, 0]);
    const { sqlite } = await lite.target.connect();
    // The rows of highest rowid go: the next ones get rowids at or below those they had.
    sqlite
      .prepare('DELETE FROM daily_bar WHERE rowid > (SELECT max(rowid) - 30 FROM daily_bar)')
      .run();
    assert.deepEqual(await counts(rows), [30, 0, 170]);
  });

  it('splits a batch of new, changed and unchanged rows exactly', async () => {
    const stored = dailyBars(4, 50);
    const changed = dailyBars(4, 50, 1).slice(0, 20);
    const fresh = dailyBars(6, 50).slice(200, 250);
    const batch = [...changed, ...stored.slice(20), ...fresh];
    assert.deepEqual(await counts(batch), [50, 20, 180]);
  });

  it('stays exact across batches with another table written on the same connection between them', async () => {
    const rows = dailyBars(10, 50).slice(250);
    let day = 0;
    const results = await upsertBatches(
      [lite.target],
      dailyBarTable,
      (async function* () {
        for (let start = 0; start < rows.length; start += 50) {
          await upsertRows(
            [lite.target],
            tradeDayTable,
            tradeDays(3, `2001-01-0${1 + (day++ % 9)}`),
          );
          yield rows.slice(start, start + 50);
        }
      })(),
    );
    assert.deepEqual(
      [results[0]!.inserted, results[0]!.updated, results[0]!.unchanged],
      [250, 0, 0],
    );
  });
});
