import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { waitForJob } from '../support/jobs.js';
import { startTestApp, writeTestConfig, type TestApp } from '../support/test-app.js';
import { runCli } from './cli-process.js';

/** Every command issue 15 names, as `fda --help` must show it. */
const COMMANDS = [
  /^ {2}submit FILE \[--follow\]/m,
  /^ {2}jobs \[--status S/m,
  /^ {2}logs ID \[--follow\] \[--after N\]/m,
  /^ {2}cancel ID \| retry ID/m,
  /^ {2}schedules \| run SCHEDULE/m,
  /^ {2}backfill SCHEDULE --from D --to D \[--follow\]/m,
  /^ {2}calendar \[--year Y\]/m,
  /^ {2}--json /m,
  /^ {2}--url URL /m,
  /FDA_TOKEN/,
];

describe('fda --help, run, pause, resume and schedules, as real processes', () => {
  let t: TestApp;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fda-cli-schedules-'));
    const schedules = join(dir, 'scheduled-jobs');
    mkdirSync(schedules);
    writeFileSync(
      join(schedules, 'plain.json'),
      JSON.stringify({
        pipeline_structure: {
          p: {
            component_class_name: 'TestRowsProducer',
            pre_component_name: '',
            component_arguments: { ms: 20 },
          },
        },
        trigger: {
          type: 'cron',
          arguments: { hour: '18', minute: '0', second: '0', day_of_week: 'mon-fri' },
        },
      }),
    );
    writeTestConfig(dir, { server: { scheduledJobsDir: schedules } });
    t = await startTestApp({ dir });
    env = { FDA_URL: `${t.url}/graphql` };
  });
  after(() => t?.destroy());

  it('--help lists every command and exits 0; no command exits 2 with the same usage', async () => {
    const help = await runCli(['--help']);
    assert.equal(help.code, 0, help.stderr);
    for (const command of COMMANDS) assert.match(help.stdout, command);
    const none = await runCli([]);
    assert.equal(none.code, 2);
    assert.equal(none.stdout, help.stdout);
    const unknown = await runCli(['frobnicate'], env);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command "frobnicate"/);
  });

  it('run starts the schedule’s job, and schedules shows it as the last job', async () => {
    const run = await runCli(['run', 'plain', '--json'], env);
    assert.equal(run.code, 0, run.stderr);
    const job = JSON.parse(run.stdout) as { __typename: string; id: string };
    assert.equal(job.__typename, 'Job');
    assert.equal((await waitForJob(t.app, job.id)).status, 'FINISHED');
    const list = await runCli(['schedules'], env);
    assert.equal(list.code, 0, list.stderr);
    const [header, row] = list.stdout.trimEnd().split('\n');
    assert.match(header!, /^NAME\s+STATE\s+TRIGGER\s+NEXT \(UTC\)\s+LAST JOB$/);
    assert.match(row!, new RegExp(`^plain\\s+ACTIVE\\s+.*${job.id} FINISHED$`));
    const human = await runCli(['run', 'plain'], env);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /^job \S+ {2}(WAITING|RUNNING|FINISHED) {2}SCHEDULE plain/m);
    const missing = await runCli(['run', 'no-such-schedule'], env);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^run no-such-schedule: /);
  });

  it('pause and resume answer in words and show in schedules', async () => {
    const paused = await runCli(['pause', 'plain'], env);
    assert.equal(paused.code, 0, paused.stderr);
    assert.equal(paused.stdout, 'plain: paused\n');
    const list = JSON.parse((await runCli(['schedules', '--json'], env)).stdout) as Array<{
      name: string;
      paused: boolean;
      nextRunTimes: string[];
    }>;
    assert.deepEqual(
      list.map((s) => [s.name, s.paused, s.nextRunTimes.length]),
      [['plain', true, 0]],
    );
    assert.match((await runCli(['schedules'], env)).stdout, /^plain\s+PAUSED\s/m);
    const resumed = await runCli(['resume', 'plain'], env);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal(resumed.stdout, 'plain: resumed\n');
    assert.match((await runCli(['schedules'], env)).stdout, /^plain\s+ACTIVE\s/m);
  });
});
