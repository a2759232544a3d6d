import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gql, until } from '../graphql/support.js';
import { recentDays } from '../partitions/schedule-support.js';
import { mysqlSkipReason } from '../support/mysql.js';
import { redisSkipReason } from '../support/redis.js';
import { rows, startTestCluster, type TestCluster } from './cluster-support.js';

const recordPipeline = {
  producer_0: {
    component_class_name: 'TestRecordRun',
    pre_component_name: '',
    component_arguments: {},
  },
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const firedLines = (output: string, schedule: string) =>
  output
    .split('\n')
    .filter((line) => line.includes('"schedule fired"') && line.includes(`"${schedule}"`)).length;

describe(
  'one schedule on three processes',
  { skip: (await mysqlSkipReason()) || (await redisSkipReason()) },
  () => {
    let cluster: TestCluster;
    let folder: string;
    before(async () => {
      folder = mkdtempSync(join(tmpdir(), 'fda-cluster-schedules-'));
      mkdirSync(join(folder, 'scheduled-jobs'));
      cluster = await startTestCluster(3, {
        scheduledJobsDir: join(folder, 'scheduled-jobs'),
        schedules: { tickMs: 100, watch: false },
      });
    });
    after(async () => {
      await cluster?.destroy();
      rmSync(folder, { recursive: true, force: true });
    });
    const write = (name: string, content: unknown) =>
      writeFileSync(join(folder, 'scheduled-jobs', `${name}.json`), JSON.stringify(content));
    /** Every process reads the folder again (each one's own mutation, not a broadcast). */
    const reloadEverywhere = () =>
      Promise.all(
        cluster.processes.map((p) => gql(p.url, `mutation { reloadSchedules { added removed } }`)),
      );

    it('a schedule firing every second for 20 s gives exactly one job per firing', async () => {
      // Generous instances and grace: every firing should run somewhere, so a firing with no job
      // (or two) is the gate's fault, not the schedule's options.
      write('every-second', {
        pipeline_structure: recordPipeline,
        trigger: { type: 'interval', arguments: { seconds: 1 } },
        max_instances: 100,
        misfire_grace_time: 60,
      });
      await reloadEverywhere();
      await sleep(20_000);
      unlinkSync(join(folder, 'scheduled-jobs', 'every-second.json'));
      await reloadEverywhere();
      await until(async () => {
        const [r] = await rows<{ n: number }>(
          cluster.db,
          `SELECT COUNT(*) AS n FROM jobs WHERE origin_name = 'every-second' AND status IN ('WAITING', 'RUNNING')`,
        );
        return Number(r!.n) === 0;
      }, 'every job of the schedule to end');

      const firings = await rows<{ fire_time: number; outcome: string; job_id: string | null }>(
        cluster.db,
        `SELECT fire_time, outcome, job_id FROM schedule_runs WHERE schedule_name = 'every-second' ORDER BY fire_time`,
      );
      // 20 s of firings; a loaded machine may coalesce a few, so the floor is loose.
      assert.ok(firings.length >= 10, `only ${firings.length} firings in 20 s`);
      assert.deepEqual(
        firings.filter((f) => f.outcome !== 'SUBMITTED' || f.job_id === null),
        [],
        'every firing submitted a job',
      );
      const jobs = await rows<{ id: string; status: string }>(
        cluster.db,
        `SELECT id, status FROM jobs WHERE origin_name = 'every-second' ORDER BY id`,
      );
      assert.equal(jobs.length, firings.length, 'one job per firing, none without a firing');
      assert.deepEqual(new Set(jobs.map((j) => j.id)), new Set(firings.map((f) => f.job_id)));
      assert.ok(jobs.every((j) => j.status === 'FINISHED'));
      const [runs] = await rows<{ n: number }>(
        cluster.db,
        `SELECT COUNT(*) AS n FROM cluster_runs WHERE job_id IN (?)`,
        [jobs.map((j) => j.id)],
      );
      assert.equal(Number(runs!.n), jobs.length, 'each job ran once');
      const perProcess = cluster.processes.map((p) => firedLines(p.output(), 'every-second'));
      assert.equal(
        perProcess.reduce((a, b) => a + b, 0),
        firings.length,
        `firings each process submitted: ${perProcess.join(', ')}`,
      );
      assert.ok(
        perProcess.filter((n) => n > 0).length >= 2,
        `more than one process won firings: ${perProcess.join(', ')}`,
      );
    });

    it('a partitioned schedule runs one job per trading day across processes, catch-up included', async () => {
      const days = recentDays(5);
      await cluster.db.query(
        `INSERT INTO trade_day (calendar_date, is_trading_day, source, updated_at) VALUES ?`,
        [days.map((d) => [d, true, 'test', new Date()])],
      );
      write('by-day', {
        pipeline_structure: recordPipeline,
        trigger: { type: 'date', arguments: { run_date: '2099-01-01 00:00:00' } },
        partitions: { by: 'trading_day' },
      });
      await reloadEverywhere();
      // The oldest day asked of all three at once: one job, the others are told who holds it.
      const asked = await Promise.all(
        cluster.processes.map((p) =>
          gql<{ runSchedule: { __typename: string } }>(
            p.url,
            `mutation { runSchedule(name: "by-day", partition: "${days[0]}") { __typename } }`,
          ),
        ),
      );
      assert.deepEqual(asked.map((a) => a.runSchedule.__typename).sort(), [
        'Job',
        'PartitionTaken',
        'PartitionTaken',
      ]);
      await until(async () => {
        const [r] = await rows<{ n: number }>(
          cluster.db,
          `SELECT COUNT(*) AS n FROM jobs WHERE origin_name = 'by-day' AND status = 'FINISHED'`,
        );
        return Number(r!.n) === 1;
      }, 'the first partition to finish');

      // Now firing every second on all three: the first firing catches up the other days; the
      // firings after it (in any process) find each day held.
      write('by-day', {
        pipeline_structure: recordPipeline,
        trigger: { type: 'interval', arguments: { seconds: 1 } },
        partitions: { by: 'trading_day' },
        misfire_grace_time: 60,
      });
      await reloadEverywhere();
      await until(
        async () => {
          const [r] = await rows<{ n: number }>(
            cluster.db,
            `SELECT COUNT(DISTINCT partition_day) AS n FROM jobs WHERE origin_name = 'by-day' AND status = 'FINISHED'`,
          );
          return Number(r!.n) === days.length;
        },
        'every trading day to have a finished job',
        60_000,
      );
      await sleep(3000); // more firings, each finding its day held
      unlinkSync(join(folder, 'scheduled-jobs', 'by-day.json'));
      await reloadEverywhere();
      const perDay = await rows<{ day: string; n: number }>(
        cluster.db,
        `SELECT DATE_FORMAT(partition_day, '%Y-%m-%d') AS day, COUNT(*) AS n FROM jobs
          WHERE origin_name = 'by-day' GROUP BY partition_day ORDER BY partition_day`,
      );
      assert.deepEqual(
        perDay.map((d) => [d.day, Number(d.n)]),
        days.map((d) => [d, 1]),
      );
      const [fired] = await rows<{ n: number }>(
        cluster.db,
        `SELECT COUNT(*) AS n FROM schedule_runs WHERE schedule_name = 'by-day'`,
      );
      assert.ok(Number(fired!.n) >= 3, 'several firings, each of them after the first skipped');
    });
  },
);
