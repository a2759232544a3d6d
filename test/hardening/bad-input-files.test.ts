/**
 * Bad files: configuration (the real server process must stop with exit code 2 and one message
 * naming the file, the field and the problem) and schedule files (a broken one must be listed with
 * its error while the server keeps running, never fire, and leave the good ones alone).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadAppConfig } from '../../src/app/config.js';
import { ConfigError } from '../../src/errors.js';
import type { TestApp } from '../support/test-app.js';
import { gql } from '../graphql/support.js';
import { dataSnapshot, startHardeningApp, steps, submitJob, waitForFinal } from './support.js';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

/** Runs the real server until it exits; it must not get as far as listening. */
async function runToExit(
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | string; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
  return { code: code ?? signal ?? 'unknown', output };
}

interface ConfigCase {
  /** Run the real process (slow: tsx loads each time); otherwise call the loader main.ts calls, in this process. */
  process?: boolean;
  files: { 'server.json'?: string; 'storage.json'?: string };
  env?: NodeJS.ProcessEnv;
  /** Point FDA_CONFIG_DIR at a folder that does not exist. */
  missingDir?: boolean;
  message: RegExp;
}

const STORAGE = JSON.stringify({ sqlite: { local: { file: 'control.sqlite' } } });
const SERVER = JSON.stringify({ port: 0, fillEmptyCalendarOnStart: false });

const CONFIG_CASES: [string, ConfigCase][] = [
  [
    'FDA_CONFIG_DIR naming no folder',
    {
      process: true,
      files: {},
      missingDir: true,
      message: /^config folder \S+ does not exist \(from FDA_CONFIG_DIR\)$/m,
    },
  ],
  [
    'server.json that is not JSON',
    {
      process: true,
      files: { 'server.json': '{ "port": 4000, }', 'storage.json': STORAGE },
      message: /^\S+\/server\.json: not valid JSON: /m,
    },
  ],
  [
    'server.json with a port that is a string',
    {
      files: { 'server.json': '{ "port": "4000" }', 'storage.json': STORAGE },
      message: /^\S+\/server\.json: port: Invalid input: expected number, received string$/m,
    },
  ],
  [
    'server.json with a misspelt field',
    {
      files: { 'server.json': '{ "prot": 4000 }', 'storage.json': STORAGE },
      message: /^\S+\/server\.json: \(top level\): unknown field "prot"$/m,
    },
  ],
  [
    'storage.json missing',
    {
      files: { 'server.json': SERVER },
      message: /^\S+\/storage\.json: the storage configuration file is missing$/m,
    },
  ],
  [
    'storage.json using an unset ${VAR}',
    {
      process: true,
      files: {
        'server.json': SERVER,
        'storage.json': JSON.stringify({
          sqlite: { local: { file: 'c.sqlite' } },
          mysql: { remote: { user: 'u', password: '${FDA_HARDENING_UNSET}', database: 'd' } },
        }),
      },
      message:
        /^\S+\/storage\.json: mysql\.remote\.password: environment variable FDA_HARDENING_UNSET is not set$/m,
    },
  ],
  [
    'storage.json whose control names no target',
    {
      files: {
        'server.json': SERVER,
        'storage.json': JSON.stringify({
          control: 'main',
          sqlite: { local: { file: 'c.sqlite' } },
        }),
      },
      message: /^\S+\/storage\.json: control: names no configured target \(known: local\)$/m,
    },
  ],
  [
    'FDA_PORT that is not a number',
    {
      process: true,
      files: { 'server.json': SERVER, 'storage.json': STORAGE },
      env: { FDA_PORT: 'eighty' },
      message: /^FDA_PORT: "eighty" is not a port number/m,
    },
  ],
];

describe('bad configuration files stop the server with exit code 2 and one clear message', () => {
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  // The processes run side by side (each mostly waits for tsx to load); each case checks its own.
  const outcomes = new Map<string, Promise<{ code: number | string; output: string }>>();
  before(() => {
    for (const [name, c] of CONFIG_CASES) {
      const dir = mkdtempSync(join(tmpdir(), 'fda-bad-config-'));
      dirs.push(dir);
      for (const [file, text] of Object.entries(c.files)) writeFileSync(join(dir, file), text);
      const env = {
        FDA_CONFIG_DIR: c.missingDir ? join(dir, 'nowhere') : dir,
        FDA_PORT: '0',
        ...c.env,
      };
      outcomes.set(name, c.process ? runToExit(env) : Promise.resolve(loadInProcess(env)));
    }
  });

  for (const [name, c] of CONFIG_CASES) {
    it(`${name} → exit 2 (${c.process ? 'the real process' : 'the loader main.ts calls'}), ${c.message}`, async () => {
      const { code, output } = await outcomes.get(name)!;
      assert.equal(code, 2, output);
      assert.match(output, /^finance-data-api: configuration error$/m);
      assert.match(output, c.message);
      assert.doesNotMatch(output, /listening on|at .*\.ts:\d+/, 'no stack trace, no server');
    });
  }
});

/** What main.ts does with a configuration error, without starting a process: its message and exit code. */
function loadInProcess(env: NodeJS.ProcessEnv): { code: number | string; output: string } {
  try {
    loadAppConfig(env);
    return { code: 0, output: 'loaded' };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { code: 2, output: `finance-data-api: configuration error\n${error.message}` };
  }
}

const GOOD_SCHEDULE = {
  pipeline_structure: {
    p: {
      component_class_name: 'TestRowsProducer',
      pre_component_name: '',
      component_arguments: { rows: 1 },
    },
  },
  trigger: { type: 'cron', arguments: { hour: '9', minute: '0' } },
};
const pipeline = GOOD_SCHEDULE.pipeline_structure;

/** [file name, its text, the error the schedules query must list for it]. */
const SCHEDULE_CASES: [string, string, RegExp][] = [
  ['not-json', '{ "trigger": ', /^not valid JSON: /],
  ['empty', '', /^not valid JSON: Unexpected end of JSON input$/],
  ['a-list', '[]', /^Invalid input: expected object, received array$/m],
  [
    'no-trigger',
    JSON.stringify({ pipeline_structure: pipeline }),
    /^trigger: is missing: a schedule needs a trigger$/m,
  ],
  [
    'bad-hour',
    JSON.stringify({
      pipeline_structure: pipeline,
      trigger: { type: 'cron', arguments: { hour: '25' } },
    }),
    /^trigger\.arguments\.hour: "25": the last value \(25\) is higher than the maximum value \(23\)$/m,
  ],
  [
    'unknown-trigger-type',
    JSON.stringify({ pipeline_structure: pipeline, trigger: { type: 'weekly', arguments: {} } }),
    /^trigger\.type: "weekly" is not a trigger type; use one of "cron", "interval", "date", "trading_day"$/m,
  ],
  [
    'unknown-trigger-argument',
    JSON.stringify({
      pipeline_structure: pipeline,
      trigger: { type: 'interval', arguments: { secs: 5 } },
    }),
    /^trigger\.arguments\.secs: unknown argument for an interval trigger/m,
  ],
  [
    'unknown-component',
    JSON.stringify({
      ...GOOD_SCHEDULE,
      pipeline_structure: { p: { component_class_name: 'Nope', pre_component_name: '' } },
    }),
    /^pipeline_structure\.p\.component_class_name: unknown component "Nope"/m,
  ],
  [
    'bad-arguments',
    JSON.stringify({
      ...GOOD_SCHEDULE,
      pipeline_structure: {
        p: {
          component_class_name: 'TestRowsProducer',
          pre_component_name: '',
          component_arguments: { rows: -1 },
        },
      },
    }),
    /^pipeline_structure\.p\.component_arguments\.rows: /m,
  ],
  [
    'misspelt-option',
    JSON.stringify({ ...GOOD_SCHEDULE, max_instance: 2 }),
    /^unknown field "max_instance"$/m,
  ],
];

describe('broken schedule files while the server runs', () => {
  let t: TestApp;
  let dir: string;
  let schedulesDir: string;
  let initial: unknown;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fda-bad-schedules-'));
    schedulesDir = join(dir, 'scheduled-jobs');
    mkdirSync(schedulesDir);
    writeFileSync(join(schedulesDir, 'good.json'), JSON.stringify(GOOD_SCHEDULE));
    t = await startHardeningApp({
      server: { scheduledJobsDir: schedulesDir, schedules: { watch: false } },
    });
    initial = await dataSnapshot(t.url);
  });
  after(async () => {
    await t?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists every broken file with its error after reloadSchedules, and none of them fires', async () => {
    for (const [name, text] of SCHEDULE_CASES)
      writeFileSync(join(schedulesDir, `${name}.json`), text);
    const { reloadSchedules } = await gql<{ reloadSchedules: { added: string[] } }>(
      t.url,
      'mutation { reloadSchedules { added } }',
    );
    assert.deepEqual(reloadSchedules.added, SCHEDULE_CASES.map(([name]) => name).sort());
    const { schedules } = await gql<{
      schedules: {
        name: string;
        error: string | null;
        enabled: boolean;
        nextRunAt: string | null;
        trigger: unknown;
      }[];
    }>(t.url, '{ schedules { name error enabled nextRunAt trigger { type } } }');
    for (const [name, , message] of SCHEDULE_CASES) {
      const schedule = schedules.find((s) => s.name === name);
      assert.ok(schedule, `${name} is listed`);
      assert.ok(schedule.error, `${name} has an error`);
      assert.match(schedule.error, message, name);
      assert.deepEqual(
        [schedule.enabled, schedule.nextRunAt, schedule.trigger],
        [false, null, null],
        `${name} never fires`,
      );
    }
    const good = schedules.find((s) => s.name === 'good')!;
    assert.equal(good.error, null);
    assert.ok(good.nextRunAt, 'the good schedule still has its next firing');
  });

  it('refuses to run a broken schedule (Conflict) and runs the good one', async () => {
    for (const [name] of SCHEDULE_CASES) {
      const { runSchedule } = await gql<{ runSchedule: { __typename: string; message?: string } }>(
        t.url,
        'mutation($n: String!) { runSchedule(name: $n) { __typename ... on Error { message } } }',
        { n: name },
      );
      assert.equal(runSchedule.__typename, 'Conflict', `${name}: ${runSchedule.message}`);
    }
    assert.deepEqual(await dataSnapshot(t.url), initial, 'nothing ran, nothing changed');
    const { runSchedule } = await gql<{ runSchedule: { id: string } }>(
      t.url,
      'mutation { runSchedule(name: "good") { ... on Job { id } } }',
    );
    assert.equal((await waitForFinal(t.url, runSchedule.id)).status, 'FINISHED');
  });

  it('fixing a file makes it valid at the next reload; the server answered throughout', async () => {
    writeFileSync(join(schedulesDir, 'bad-hour.json'), JSON.stringify(GOOD_SCHEDULE));
    const { reloadSchedules } = await gql<{
      reloadSchedules: { changed: string[]; schedules: { name: string; error: string | null }[] };
    }>(t.url, 'mutation { reloadSchedules { changed schedules { name error } } }');
    assert.deepEqual(reloadSchedules.changed, ['bad-hour']);
    assert.equal(reloadSchedules.schedules.find((s) => s.name === 'bad-hour')?.error, null);
    const id = await submitJob(t.url, steps(['p', 'TestRowsProducer', '', { rows: 1 }]));
    assert.equal((await waitForFinal(t.url, id)).status, 'FINISHED');
  });
});
