import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { gql } from '../graphql/support.js';
import { startFakeBaoStock, type FakeBaoStock } from '../support/baostock-fake-server.js';
import { waitForJob } from '../support/jobs.js';
import { referenceCalendar } from '../support/reference-data.js';
import { startTestApp, writeTestConfig, type TestApp } from '../support/test-app.js';
import { runCli, startCli } from './cli-process.js';

const SHIPPED_JOB = fileURLToPath(
  new URL('../../conf/scheduled-jobs/trade-days.json', import.meta.url),
);

describe('fda, the CLI, as a real process against a real server', () => {
  let fake: FakeBaoStock;
  let t: TestApp;
  let env: NodeJS.ProcessEnv;
  let work: string;
  before(async () => {
    fake = await startFakeBaoStock({ calendar: referenceCalendar() });
    const dir = mkdtempSync(join(tmpdir(), 'fda-cli-'));
    writeTestConfig(dir, {
      sources: { default: 'fake', baostock: { fake: { host: fake.host, port: fake.port } } },
    });
    mkdirSync(join(dir, 'scheduled-jobs'));
    copyFileSync(SHIPPED_JOB, join(dir, 'scheduled-jobs', 'trade-days.json'));
    t = await startTestApp({ dir });
    env = { FDA_URL: `${t.url}/graphql` };
    work = mkdtempSync(join(tmpdir(), 'fda-cli-files-'));
  });
  after(async () => {
    await t.destroy();
    await fake.close();
  });

  it('submit --follow of the shipped trade-day file exits 0 and prints its lines in order', async () => {
    const { code, stdout, stderr } = await runCli(['submit', SHIPPED_JOB, '--follow'], env);
    assert.equal(code, 0, `${stdout}\n${stderr}`);
    const lines = stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^submitted job (\S+); following it$/);
    const seqs = lines.flatMap((line) => {
      const match = /^\s*(\d+) \d\d:\d\d:\d\d\.\d{3} (INFO|WARN|ERROR|DEBUG)\s/.exec(line);
      return match ? [Number(match[1])] : [];
    });
    assert.ok(seqs.length >= 3, stdout);
    assert.deepEqual(
      seqs,
      Array.from({ length: seqs.length }, (_, i) => i + 1),
      'every line, in order',
    );
    assert.ok(
      lines.some((line) => /^\s+storager_0 local \[#{24}\] (\d+)\/\1$/.test(line)),
      `a full progress bar for the storager's target:\n${stdout}`,
    );
    const id = /^submitted job (\S+);/.exec(lines[0]!)![1]!;
    assert.match(stdout, new RegExp(`^job ${id}  FINISHED  ADHOC$`, 'm'));
    assert.ok(!stdout.includes('\u001b['), 'no colours off a terminal');
  });

  it('an invalid file exits 2 listing every problem; a file that is not JSON too', async () => {
    const file = join(work, 'invalid.json');
    writeFileSync(
      file,
      JSON.stringify({
        pipeline_structure: {
          producer_0: {
            component_class_name: 'NoSuchProducer',
            pre_component_name: '',
            component_arguments: {},
          },
          storager_0: {
            component_class_name: 'BaoStockTradeDayStorager',
            pre_component_name: 'missing_step',
            component_arguments: { targets: 'local' },
          },
        },
      }),
    );
    const invalid = await runCli(['submit', file, '--follow'], env);
    assert.equal(invalid.code, 2, invalid.stderr);
    assert.match(invalid.stderr, /the job spec is invalid \((\d+) problem\(s\)\)/);
    assert.match(
      invalid.stderr,
      /pipeline_structure\.producer_0\.component_class_name: .*NoSuchProducer/,
    );
    assert.match(
      invalid.stderr,
      /pipeline_structure\.storager_0\.pre_component_name: .*missing_step/,
    );
    assert.equal(invalid.stdout, '');
    const notJson = join(work, 'broken.json');
    writeFileSync(notJson, '{ "pipeline_structure": ');
    const broken = await runCli(['submit', notJson], env);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /broken\.json: not JSON/);
  });

  it('logs --follow of a running job ends when the job ends', async () => {
    const { submitJob } = await gql<{ submitJob: { id: string } }>(
      t.url,
      `mutation { submitJob(input: { steps: [
        { name: "p", componentClassName: "TestRowsProducer", componentArguments: { rows: 2, ms: 1500, lines: 3 } }
      ] }) { ... on Job { id } } }`,
    );
    const id = submitJob.id;
    const run = startCli(['logs', id, '--follow'], env);
    const code = await run.exited;
    assert.equal(code, 0, run.stderr());
    const job = await t.app.executor.get(id);
    assert.equal(job?.status, 'FINISHED', 'the CLI ended only once the job had');
    const messages = run.stdout().trimEnd().split('\n');
    for (const n of [1, 2, 3])
      assert.ok(
        messages.some((m) => m.endsWith(`line ${n} of ${id}`)),
        run.stdout(),
      );
    const after = await runCli(['logs', id, '--after', '2', '--json'], env);
    const lines = JSON.parse(after.stdout) as { seq: number }[];
    assert.ok(lines.length >= 1 && lines.every((l) => l.seq > 2));
  });

  it('--json output parses: jobs, schedules, calendar, and each line of submit --follow', async () => {
    const jobs = await runCli(['jobs', '--json', '--status', 'finished'], env);
    assert.equal(jobs.code, 0, jobs.stderr);
    const list = JSON.parse(jobs.stdout) as { id: string; status: string }[];
    assert.ok(list.length >= 1 && list.every((j) => j.status === 'FINISHED'));

    const schedules = await runCli(['schedules', '--json'], env);
    const [schedule] = JSON.parse(schedules.stdout) as {
      name: string;
      triggerInWords: string;
      nextRunTimes: string[];
    }[];
    assert.equal(schedule!.name, 'trade-days');
    assert.equal(schedule!.triggerInWords, 'at 09:00 every day, Asia/Shanghai');
    assert.equal(schedule!.nextRunTimes.length, 5);

    const calendar = await runCli(['calendar', '--year', '2024', '--json'], env);
    const { year, days } = JSON.parse(calendar.stdout) as {
      year: number;
      days: { isTradingDay: boolean }[];
    };
    assert.equal(year, 2024);
    assert.equal(days.filter((d) => d.isTradingDay).length, 242, 'the SSE traded 242 days in 2024');
    const heatmap = await runCli(['calendar', '--year', '2024'], env);
    assert.match(heatmap.stdout, /^Feb {2}/m);
    assert.match(heatmap.stdout, /242 trading days, 124 closed, 0 not stored/);

    const followed = await runCli(['submit', SHIPPED_JOB, '--follow', '--json'], env);
    assert.equal(followed.code, 0, followed.stderr);
    const events = followed.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; job?: { status: string } });
    assert.equal(events.at(-1)!.type, 'end');
    assert.equal(events.at(-1)!.job!.status, 'FINISHED');
    assert.ok(events.some((e) => e.type === 'log') && events.some((e) => e.type === 'status'));
  });

  it('cancel, retry and bad input answer with their exit codes', async () => {
    const { submitJob } = await gql<{ submitJob: { id: string } }>(
      t.url,
      `mutation { submitJob(input: { steps: [
        { name: "p", componentClassName: "TestRowsProducer", componentArguments: { ms: 60000 } }
      ] }) { ... on Job { id } } }`,
    );
    const cancelled = await runCli(['cancel', submitJob.id], env);
    assert.equal(cancelled.code, 0, cancelled.stderr);
    assert.match(cancelled.stdout, new RegExp(`^job ${submitJob.id}  CANCELLED`, 'm'));
    assert.equal((await waitForJob(t.app, submitJob.id)).status, 'CANCELLED');
    const retried = await runCli(['retry', submitJob.id, '--json'], env);
    assert.equal(retried.code, 0, retried.stderr);
    const retry = JSON.parse(retried.stdout) as { __typename: string; id: string; retryOf: string };
    assert.equal(retry.retryOf, submitJob.id);
    await runCli(['cancel', retry.id], env);
    const missing = await runCli(['cancel', 'no-such-job'], env);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^cancel no-such-job: /);
    const badStatus = await runCli(['jobs', '--status', 'DONE'], env);
    assert.equal(badStatus.code, 2);
    assert.match(
      badStatus.stderr,
      /--status: "DONE" is not one of WAITING, RUNNING, FINISHED, FAILED, CANCELLED/,
    );
    const unreachable = await runCli(['jobs'], { FDA_URL: 'http://127.0.0.1:9/graphql' });
    assert.equal(unreachable.code, 3);
    assert.match(unreachable.stderr, /^cannot reach http:\/\/127\.0\.0\.1:9\/graphql/);
  });
});
