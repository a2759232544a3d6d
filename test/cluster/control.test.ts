import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { gql, until } from '../graphql/support.js';
import { mysqlSkipReason } from '../support/mysql.js';
import { redisSkipReason } from '../support/redis.js';
import {
  CLUSTER_COMPONENTS_DIR,
  rows,
  startTestCluster,
  type TestCluster,
} from './cluster-support.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fileUrl = (path: string) => pathToFileURL(path).href;
const SRC_COMPONENT = fileUrl(join(CLUSTER_COMPONENTS_DIR, '../../../src/components/component.ts'));

type Schedules = { schedules: Array<{ name: string; paused: boolean }> };
const SCHEDULES = `{ schedules { name paused } }`;

describe(
  'reloads and pauses reach every process',
  { skip: (await mysqlSkipReason()) || (await redisSkipReason()) },
  () => {
    let cluster: TestCluster;
    let folder: string;
    before(async () => {
      folder = mkdtempSync(join(tmpdir(), 'fda-cluster-control-'));
      mkdirSync(join(folder, 'scheduled-jobs'));
      mkdirSync(join(folder, 'components'));
      writeFileSync(
        join(folder, 'components', 'base.ts'),
        `export * from ${JSON.stringify(fileUrl(join(CLUSTER_COMPONENTS_DIR, 'cluster-components.ts')))};\n`,
      );
      cluster = await startTestCluster(3, {
        componentsDir: join(folder, 'components'),
        watchComponents: false,
        scheduledJobsDir: join(folder, 'scheduled-jobs'),
        schedules: { tickMs: 100, watch: false },
      });
    });
    after(async () => {
      await cluster?.destroy();
      rmSync(folder, { recursive: true, force: true });
    });
    const url = (i: number) => cluster.processes[i]!.url;
    const write = (name: string, content: unknown) =>
      writeFileSync(join(folder, 'scheduled-jobs', `${name}.json`), JSON.stringify(content));
    const schedulesOn = async (i: number) => (await gql<Schedules>(url(i), SCHEDULES)).schedules;
    const jobsOf = async (name: string) => {
      const [r] = await rows<{ n: number }>(
        cluster.db,
        `SELECT COUNT(*) AS n FROM jobs WHERE origin_name = ?`,
        [name],
      );
      return Number(r!.n);
    };

    it('reloadSchedules on one process loads a new schedule file on the others', async () => {
      write('added', {
        pipeline_structure: {
          p: {
            component_class_name: 'TestRecordRun',
            pre_component_name: '',
            component_arguments: {},
          },
        },
        trigger: { type: 'date', arguments: { run_date: '2099-01-01 00:00:00' } },
      });
      const answer = await gql<{ reloadSchedules: { added: string[] } }>(
        url(0),
        `mutation { reloadSchedules { added } }`,
      );
      assert.deepEqual(answer.reloadSchedules.added, ['added']);
      for (const i of [1, 2])
        await until(
          async () => (await schedulesOn(i)).some((s) => s.name === 'added'),
          `process ${i} to load the schedule`,
        );
    });

    it('reloadComponents on one process loads a new component on the others', async () => {
      // The folder is outside the project: its imports name files, not packages.
      writeFileSync(
        join(folder, 'components', 'extra.ts'),
        `import { z } from ${JSON.stringify(import.meta.resolve('zod'))};
import { defineComponent } from ${JSON.stringify(SRC_COMPONENT)};
export const extra = defineComponent({
  name: 'TestExtraProducer',
  kind: 'PRODUCER',
  description: 'Added while the cluster runs.',
  argumentsSchema: z.strictObject({}),
  async run() { return []; },
});
`,
      );
      const names = (answer: { components: Array<{ name: string }> }) =>
        answer.components.map((c) => c.name);
      const answer = await gql<{ reloadComponents: Array<{ name: string }> }>(
        url(1),
        `mutation { reloadComponents { name } }`,
      );
      assert.ok(answer.reloadComponents.some((c) => c.name === 'TestExtraProducer'));
      for (const i of [0, 2])
        await until(
          async () =>
            names(
              await gql<{ components: Array<{ name: string }> }>(url(i), `{ components { name } }`),
            ).includes('TestExtraProducer'),
          `process ${i} to load the component`,
        );
    });

    it('a schedule paused on one process fires on none; resumed on another, it fires again', async () => {
      write('ticking', {
        pipeline_structure: {
          p: {
            component_class_name: 'TestRecordRun',
            pre_component_name: '',
            component_arguments: {},
          },
        },
        trigger: { type: 'interval', arguments: { seconds: 1 } },
        max_instances: 100,
        misfire_grace_time: 60,
      });
      await gql(url(0), `mutation { reloadSchedules { added } }`);
      await until(async () => (await jobsOf('ticking')) >= 2, 'the schedule to fire twice');

      await gql(
        url(0),
        `mutation { pauseSchedule(name: "ticking") { ... on Schedule { paused } } }`,
      );
      for (const i of [0, 1, 2])
        await until(
          async () => (await schedulesOn(i)).find((s) => s.name === 'ticking')?.paused === true,
          `process ${i} to show it paused`,
        );
      // A firing claimed just before the pause may still be submitting its job.
      await sleep(1500);
      const paused = await jobsOf('ticking');
      await sleep(4000);
      assert.equal(await jobsOf('ticking'), paused, 'no process fired it while paused');

      await gql(
        url(2),
        `mutation { resumeSchedule(name: "ticking") { ... on Schedule { paused } } }`,
      );
      for (const i of [0, 1, 2])
        await until(
          async () => (await schedulesOn(i)).find((s) => s.name === 'ticking')?.paused === false,
          `process ${i} to show it resumed`,
        );
      await until(async () => (await jobsOf('ticking')) >= paused + 2, 'it to fire again');
      await gql(url(2), `mutation { pauseSchedule(name: "ticking") { __typename } }`);
      const output = cluster.processes.map((p) => p.output()).join('\n');
      assert.match(output, /cluster: done as another process asked/);
    });
  },
);
