import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ValidationError } from '../../src/errors.js';
import type { MysqlTarget } from '../../src/storage/mysql-target.js';
import type { SqliteTarget } from '../../src/storage/sqlite-target.js';
import {
  tradeDayTable,
  upsertRows,
  type TargetWriteResult,
} from '../../src/storage/upsert/index.js';
import { createTestDatabase, mysqlSkipReason, mysqlTestServer } from '../support/mysql.js';
import {
  mysqlTarget,
  readMysqlTradeDays,
  readSqliteTradeDays,
  sqliteTarget,
  tradeDays,
  withoutTimes,
} from './helpers.js';

const server = mysqlTestServer();
const counts = (r: TargetWriteResult) => [r.target, r.ok, r.inserted, r.updated, r.unchanged];

describe(
  'upsertRows to two MySQL databases and the embedded SQLite at once',
  { skip: await mysqlSkipReason() },
  () => {
    let dbs: Array<Awaited<ReturnType<typeof createTestDatabase>>>;
    let a: MysqlTarget;
    let b: MysqlTarget;
    let lite: { target: SqliteTarget; remove(): void };

    before(async () => {
      dbs = await Promise.all([createTestDatabase('upsert_a'), createTestDatabase('upsert_b')]);
      a = mysqlTarget('a', server, dbs[0]!.name);
      b = mysqlTarget('b', server, dbs[1]!.name);
      lite = sqliteTarget('lite');
    });
    after(async () => {
      await Promise.all([a?.close(), b?.close(), lite?.target.close()]);
      lite?.remove();
      await Promise.all((dbs ?? []).map((d) => d.drop()));
    });

    const read = async () => ({
      a: await readMysqlTradeDays(server, dbs[0]!.name),
      b: await readMysqlTradeDays(server, dbs[1]!.name),
      lite: await readSqliteTradeDays(lite.target),
    });

    it('writes every row to every target, then reports a re-run as unchanged without touching a row', async () => {
      const rows = tradeDays(981);
      const progress = new Map<string, number[]>();
      const first = await upsertRows([a, b, lite.target], tradeDayTable, rows, {
        now: new Date('2025-01-02T03:04:05.678Z'),
        onProgress: (target, done, total) => {
          assert.equal(total, 981);
          progress.set(target, [...(progress.get(target) ?? []), done]);
        },
      });
      assert.deepEqual(first.map(counts), [
        ['a', true, 981, 0, 0],
        ['b', true, 981, 0, 0],
        ['lite', true, 981, 0, 0],
      ]);
      assert.deepEqual(
        first.map((r) => [r.dialect, r.attempts, r.error]),
        [
          ['mysql', 1, null],
          ['mysql', 1, null],
          ['sqlite', 1, null],
        ],
      );
      // BEGIN + one INSERT + COMMIT on MySQL.
      assert.equal(first[0]!.statements, 3);
      assert.equal(first[1]!.statements, 3);
      assert.deepEqual(progress.get('a'), [981]);
      assert.equal(progress.get('lite')!.at(-1), 981);

      const stored = await read();
      for (const [name, got] of Object.entries(stored)) {
        assert.equal(got.length, 981, name);
        assert.deepEqual(withoutTimes(got), rows, name);
        assert.ok(
          got.every((r) => r.updatedAt === Date.parse('2025-01-02T03:04:05.678Z')),
          `${name}: every row carries the write's time`,
        );
      }

      const again = await upsertRows([a, b, lite.target], tradeDayTable, rows, {
        now: new Date('2025-02-01T00:00:00.000Z'),
      });
      assert.deepEqual(again.map(counts), [
        ['a', true, 0, 0, 981],
        ['b', true, 0, 0, 981],
        ['lite', true, 0, 0, 981],
      ]);
      assert.deepEqual(await read(), stored, 'an unchanged row keeps its updated_at');
    });

    it('updates changed rows only, inserts new ones, and moves updated_at for exactly those', async () => {
      const rows = tradeDays(1000); // 981 stored, 19 new
      rows[0] = { ...rows[0]!, isTradingDay: !rows[0]!.isTradingDay };
      rows[1] = { ...rows[1]!, source: 'offline' };
      rows[2] = { ...rows[2]!, source: 'BaoStock' }; // a change of case only is still a change
      const before = await read();
      const when = new Date('2025-03-01T12:00:00.000Z');
      const results = await upsertRows([a, b, lite.target], tradeDayTable, rows, { now: when });
      assert.deepEqual(results.map(counts), [
        ['a', true, 19, 3, 978],
        ['b', true, 19, 3, 978],
        ['lite', true, 19, 3, 978],
      ]);
      const after = await read();
      for (const [name, got] of Object.entries(after)) {
        assert.deepEqual(withoutTimes(got), rows, name);
        const old = before[name as keyof typeof before];
        got.forEach((row, i) => {
          const moved = i < 3 || i >= 981;
          assert.equal(
            row.updatedAt,
            moved ? when.getTime() : old[i]!.updatedAt,
            `${name} row ${i}`,
          );
        });
      }
    });

    it('rejects invalid rows before writing anything, naming each row and field', async () => {
      const rows = tradeDays(3, '2030-01-01');
      const bad = [
        rows[0]!,
        { ...rows[1]!, calendarDate: '2030-02-30' },
        { ...rows[2]!, source: 'x'.repeat(33), isTradingDay: 'yes' as unknown as boolean },
      ];
      await assert.rejects(
        upsertRows([a, b, lite.target], tradeDayTable, bad),
        (error: unknown) => {
          assert.ok(error instanceof ValidationError);
          assert.equal(
            error.message,
            'trade_day: 3 invalid values: rows[1].calendarDate: must be a date as YYYY-MM-DD, got "2030-02-30"; ' +
              'rows[2].isTradingDay: must be true or false, got "yes"; rows[2].source: is longer than 32 characters',
          );
          return true;
        },
      );
      const stored = await read();
      assert.ok(
        Object.values(stored).every((got) => got.every((r) => r.calendarDate < '2030-01-01')),
      );
    });

    it('writes nothing and sends nothing for no rows', async () => {
      const results = await upsertRows([a, b, lite.target], tradeDayTable, []);
      assert.deepEqual(
        results.map((r) => [r.ok, r.inserted, r.statements]),
        [
          [true, 0, 0],
          [true, 0, 0],
          [true, 0, 0],
        ],
      );
    });
  },
);
