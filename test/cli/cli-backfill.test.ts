import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tradeDayTable, upsertRows } from '../../src/storage/upsert/index.js';
import { startTestApp, writeTestConfig, type TestApp } from '../support/test-app.js';
import { runCli } from './cli-process.js';

describe('fda backfill, as a real process against a real server', () => {
  let t: TestApp;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fda-cli-backfill-'));
    const schedules = join(dir, 'scheduled-jobs');
    mkdirSync(schedules);
    const job = (ms: number) => ({
      pipeline_structure: {
        p: {
          component_class_name: 'TestRowsProducer',
          pre_component_name: '',
          component_arguments: { ms },
        },
      },
      trigger: { type: 'date', arguments: { run_date: '2099-01-01 00:00:00' } },
      partitions: { by: 'trading_day' },
    });
    writeFileSync(join(schedules, 'bars.json'), JSON.stringify(job(20)));
    writeFileSync(
      join(schedules, 'plain.json'),
      JSON.stringify({ ...job(20), partitions: undefined }),
    );
    writeTestConfig(dir, { server: { scheduledJobsDir: schedules, maxConcurrentJobs: 2 } });
    t = await startTestApp({ dir });
    // A week with a weekend: five trading days.
    const days = [
      '2024-03-04',
      '2024-03-05',
      '2024-03-06',
      '2024-03-07',
      '2024-03-08',
      '2024-03-09',
      '2024-03-10',
    ];
    await upsertRows(
      [t.app.targets.control()],
      tradeDayTable,
      days.map((d, i) => ({ calendarDate: d, isTradingDay: i < 5, source: 'test' })),
    );
    env = { FDA_URL: `${t.url}/graphql` };
  });
  after(() => t?.destroy());

  it('--follow prints progress until every trading day is done and exits 0; --json lines parse; bad input exits 2', async () => {
    const run = await runCli(
      ['backfill', 'bars', '--from', '2024-03-04', '--to', '2024-03-10', '--follow'],
      env,
    );
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^backfill \S+ bars 2024-03-04\.\.2024-03-10 RUNNING/);
    assert.match(lines.at(-1)!, /FINISHED .* 5\/5 done, 0 failed/);

    const again = await runCli(
      ['backfill', 'bars', '--from', '2024-03-04', '--to', '2024-03-08', '--follow', '--json'],
      env,
    );
    assert.equal(again.code, 0, again.stderr);
    const events = again.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { status: string; done: number; total: number });
    assert.deepEqual(events.at(-1)!.status, 'FINISHED');
    assert.equal(events.at(-1)!.done, 5, 'the days already done count as done, and run nothing');
    assert.equal((await t.app.executor.list({ originName: 'bars', limit: 100 })).length, 5);

    const plain = await runCli(
      ['backfill', 'plain', '--from', '2024-03-04', '--to', '2024-03-08'],
      env,
    );
    assert.equal(plain.code, 2);
    assert.match(plain.stderr, /has no partitions/);
    const missing = await runCli(['backfill', 'bars', '--from', '2024-03-04'], env);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--from and --to are required/);
  });
});
