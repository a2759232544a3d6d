import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseOriginalDocument } from '../../src/pipeline/parse-spec.js';
import { validateJobSpec } from '../../src/pipeline/validate-spec.js';
import { TradeDayQueries } from '../../src/storage/trade-day-queries.js';
import type { TargetWriteResult } from '../../src/storage/upsert/index.js';
import { createTestDatabase, mysqlSkipReason, mysqlTestServer } from '../support/mysql.js';
import { referenceCalendar } from '../support/reference-data.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitForJob } from '../support/jobs.js';

// The original system's example file, mistake included: storager_0 names itself as predecessor.
const originalExample = {
  pipeline_structure: {
    producer_0: {
      component_class_name: 'BaoStockTradeDayProducer',
      pre_component_name: '',
      component_arguments: {},
    },
    processor_0: {
      component_class_name: 'BaoStockTradeDayProcessor',
      pre_component_name: 'producer_0',
      component_arguments: {},
    },
    storager_0: {
      component_class_name: 'BaoStockTradeDayStorager',
      pre_component_name: 'storager_0',
      component_arguments: {},
    },
  },
  trigger: {
    type: 'cron',
    arguments: { second: '0', minute: '0', hour: '9', day: '*', month: '*', day_of_week: '*' },
  },
};

const skip = await mysqlSkipReason();

describe('the trade-day pipeline into two MySQL databases and SQLite', { skip }, () => {
  let t: TestApp;
  const databases: Array<{ name: string; drop(): Promise<void> }> = [];
  const oracle = new Map(referenceCalendar().map(([date, flag]) => [date, flag === '1']));

  before(async () => {
    const server = mysqlTestServer();
    databases.push(await createTestDatabase('pipeline_a'), await createTestDatabase('pipeline_b'));
    const mysql = Object.fromEntries(
      databases.map((db, i) => [
        `mysql_${i}`,
        {
          host: server.host,
          port: server.port,
          user: server.user,
          password: server.password,
          database: db.name,
        },
      ]),
    );
    t = await startTestApp({
      storage: { control: 'local', sqlite: { local: { file: 'control.sqlite' } }, mysql },
      server: { fillEmptyCalendarOnStart: true },
    });
  });
  after(async () => {
    await t?.destroy();
    for (const db of databases) await db.drop();
  });

  it('fills every empty target at start-up from the offline calendar, as a visible STARTUP job', async () => {
    const [startup] = await t.app.executor.list({ limit: 10 });
    assert.equal(startup?.origin.type, 'STARTUP');
    const done = await waitForJob(t.app, startup.id);
    assert.equal(done.status, 'FINISHED', done.error ?? '');
    const covered = t.app.calendar.coveredRange;
    const storager = done.steps.find((s) => s.name === 'storager_0')!;
    const results = (storager.result as { targets: TargetWriteResult[] }).targets;
    assert.deepEqual(results.map((r) => r.target).sort(), ['local', 'mysql_0', 'mysql_1']);
    for (const target of t.app.targets.list()) {
      const days = await new TradeDayQueries(target).between(covered.from, covered.to);
      assert.equal(days[0]?.calendarDate, '2004-01-01');
      assert.equal(days.at(-1)?.calendarDate, covered.to);
      const wrong = days.filter(
        (d) => oracle.has(d.calendarDate) && oracle.get(d.calendarDate) !== d.isTradingDay,
      );
      assert.deepEqual(wrong, [], `target ${target.name} disagrees with the reference calendar`);
    }
    for (const r of results) {
      assert.ok(r.ok, r.error ?? '');
      assert.equal(r.unchanged + r.updated, 0);
      if (r.dialect === 'mysql')
        assert.ok(r.statements <= 4, `${r.target} took ${r.statements} statements`);
    }
  });

  it('runs the original document (fixed) and reports every row unchanged on a re-run', async () => {
    const fixed = structuredClone(originalExample);
    fixed.pipeline_structure.storager_0.pre_component_name = 'processor_0';
    fixed.pipeline_structure.producer_0.component_arguments = {
      source: 'offline',
      from: '2024-01-01',
      to: '2024-12-31',
    };
    const submitted = await t.app.executor.submit({ document: fixed });
    assert.ok(submitted.ok);
    const done = await waitForJob(t.app, submitted.job.id);
    assert.equal(done.status, 'FINISHED', done.error ?? '');
    const results = (done.steps[2]!.result as { targets: TargetWriteResult[] }).targets;
    assert.deepEqual(results.map((r) => [r.target, r.inserted, r.updated, r.unchanged]).sort(), [
      ['local', 0, 0, 366],
      ['mysql_0', 0, 0, 366],
      ['mysql_1', 0, 0, 366],
    ]);
    const lines = await t.app.store.logLines(done.id, 0, 100);
    assert.ok(
      lines.some((l) =>
        /target "mysql_0": 0 inserted, 0 updated, 366 unchanged in \d+ ms \(\d+ statements\)/.test(
          l.message,
        ),
      ),
    );
  });

  it('answers trading-day questions from any target', async () => {
    for (const target of t.app.targets.list()) {
      const q = new TradeDayQueries(target);
      assert.equal(
        await q.isTradingDay('2024-02-09'),
        false,
        'Lunar New Year’s Eve 2024 was closed',
      );
      assert.equal(await q.isTradingDay('2024-02-08'), true);
      assert.equal(await q.isTradingDay('1999-01-04'), undefined, 'not stored');
      assert.equal(await q.nextTradingDay('2024-02-08'), '2024-02-19');
      assert.equal(await q.previousTradingDay('2024-02-19'), '2024-02-08');
      assert.equal(
        (await q.between('2024-02-01', '2024-02-29')).filter((d) => d.isTradingDay).length,
        15,
      );
    }
  });

  it('rejects the original example file, whose storager names itself, with a clear message', () => {
    const result = validateJobSpec(
      parseOriginalDocument(originalExample),
      t.app.registry.snapshot(),
    );
    assert.ok(!result.ok);
    assert.deepEqual(result.problems, [
      {
        path: 'pipeline_structure.storager_0.pre_component_name',
        message: 'step "storager_0" names itself as its predecessor',
      },
    ]);
  });
});
