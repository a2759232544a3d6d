import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gql, until } from '../graphql/support.js';
import { recentDays } from '../partitions/schedule-support.js';
import { mysqlSkipReason } from '../support/mysql.js';
import { redisSkipReason } from '../support/redis.js';
import type { ServerProcess } from '../support/server-process.js';
import { REDIS_URL, rows, startTestCluster, type TestCluster } from './cluster-support.js';

type Processes = { processes: Array<{ id: string; pid: number }> };
const countLines = (output: string, message: string) =>
  output.split('\n').filter((line) => line.includes(`"${message}"`)).length;

describe(
  'a backfill on a cluster is driven by one process',
  { skip: (await mysqlSkipReason()) || (await redisSkipReason()) },
  () => {
    let cluster: TestCluster;
    let folder: string;
    const days = recentDays(7);
    before(async () => {
      folder = mkdtempSync(join(tmpdir(), 'fda-cluster-backfills-'));
      mkdirSync(join(folder, 'scheduled-jobs'));
      writeFileSync(
        join(folder, 'scheduled-jobs', 'history.json'),
        JSON.stringify({
          pipeline_structure: {
            p: {
              component_class_name: 'TestRecordRun',
              pre_component_name: '',
              component_arguments: { ms: 1500 },
            },
          },
          trigger: { type: 'date', arguments: { run_date: '2099-01-01 00:00:00' } },
          partitions: { by: 'trading_day' },
        }),
      );
      cluster = await startTestCluster(2, {
        scheduledJobsDir: join(folder, 'scheduled-jobs'),
        schedules: { tickMs: 100, watch: false },
        // Long enough that a loaded machine does not get a live process taken for dead.
        cluster: { redis: REDIS_URL, heartbeatSeconds: 1, deadAfterSeconds: 6 },
      });
      await cluster.db.query(
        `INSERT INTO trade_day (calendar_date, is_trading_day, source, updated_at) VALUES ?`,
        [days.map((d) => [d, true, 'test', new Date()])],
      );
    });
    after(async () => {
      await cluster?.destroy();
      rmSync(folder, { recursive: true, force: true });
    });

    const idOf = async (p: ServerProcess) => {
      const { processes } = await gql<Processes>(
        cluster.processes.find((q) => q.child.exitCode === null && q.child.signalCode === null)!
          .url,
        `{ processes { id pid } }`,
      );
      return processes.find((q) => q.pid === p.child.pid)?.id;
    };
    const drivenBy = async (id: string) =>
      (
        await rows<{ driven_by: string | null }>(
          cluster.db,
          `SELECT driven_by FROM backfills WHERE id = ?`,
          [id],
        )
      )[0]?.driven_by;

    it('is not resumed by a process that starts while its driver lives, and is taken over once its driver dies', async () => {
      const [a, b] = cluster.processes as [ServerProcess, ServerProcess];
      const created = await gql<{ backfill: { id: string } }>(
        a.url,
        `mutation { backfill(schedule: "history", from: "${days[0]}", to: "${days.at(-1)}", maxConcurrent: 2) { ... on Backfill { id } } }`,
      );
      const backfillId = created.backfill.id;
      const aId = await idOf(a);
      assert.equal(await drivenBy(backfillId), aId);

      // A process starting now finds the backfill RUNNING, and leaves it to its driver.
      const c = await cluster.add();
      await until(async () => (await idOf(c)) !== undefined, 'the new process to register');
      assert.equal(countLines(c.output(), 'backfill resumed'), 0);
      assert.equal(await drivenBy(backfillId), aId);

      await until(async () => {
        const [r] = await rows<{ n: number }>(
          cluster.db,
          `SELECT COUNT(*) AS n FROM jobs WHERE origin_type = 'BACKFILL' AND status = 'FINISHED'`,
        );
        return Number(r!.n) >= 2;
      }, 'two partitions done');
      a.child.kill('SIGKILL');
      await a.exited;
      const survivors = [await idOf(b), await idOf(c)];
      await until(
        async () => survivors.includes((await drivenBy(backfillId)) ?? ''),
        'a live process to take the backfill over',
        30_000,
      );
      await until(
        async () => {
          const [r] = await rows<{ status: string }>(
            cluster.db,
            `SELECT status FROM backfills WHERE id = ?`,
            [backfillId],
          );
          return r!.status !== 'RUNNING';
        },
        'the backfill to end',
        60_000,
      );
      const [ended] = await rows<{ status: string; error: string | null }>(
        cluster.db,
        `SELECT status, error FROM backfills WHERE id = ?`,
        [backfillId],
      );
      assert.deepEqual(ended, { status: 'FINISHED', error: null });
      const perDay = await rows<{ day: string; n: number }>(
        cluster.db,
        `SELECT partition_day AS day, COUNT(*) AS n FROM jobs
          WHERE origin_type = 'BACKFILL' AND status = 'FINISHED' GROUP BY partition_day ORDER BY partition_day`,
      );
      assert.deepEqual(
        perDay.map((d) => [d.day, Number(d.n)]),
        days.map((d) => [d, 1]),
        'one finished job per trading day',
      );
      const takers = [b, c].map((p) =>
        countLines(p.output(), 'backfill taken over from a process that is gone'),
      );
      assert.deepEqual(takers.sort(), [0, 1], 'exactly one process took it over');
      const [others] = await rows<{ n: number }>(
        cluster.db,
        `SELECT COUNT(*) AS n FROM jobs WHERE origin_type = 'BACKFILL' AND status NOT IN ('FINISHED', 'FAILED')`,
      );
      assert.equal(Number(others!.n), 0);
      const failed = await rows<{ error: string }>(
        cluster.db,
        `SELECT error FROM jobs WHERE origin_type = 'BACKFILL' AND status = 'FAILED'`,
      );
      assert.ok(
        failed.every((f) => /stopped responding$/.test(f.error)),
        'only the dead process’s jobs failed',
      );
    });

    it('cancelBackfill on a process that does not drive it ends it, and its driver stops', async () => {
      const [, b, c] = cluster.processes as [ServerProcess, ServerProcess, ServerProcess];
      const created = await gql<{ backfill: { id: string } }>(
        b.url,
        `mutation { backfill(schedule: "history", from: "${days[0]}", to: "${days.at(-1)}", force: true, maxConcurrent: 1) { ... on Backfill { id } } }`,
      );
      const id = created.backfill.id;
      assert.equal(await drivenBy(id), await idOf(b));
      await until(async () => {
        const [r] = await rows<{ n: number }>(
          cluster.db,
          `SELECT COUNT(*) AS n FROM backfill_partitions WHERE backfill_id = ? AND state = 'SUBMITTED'`,
          [id],
        );
        return Number(r!.n) >= 1;
      }, 'a partition to be submitted');
      const answer = await gql<{ cancelBackfill: { status: string } }>(
        c.url,
        `mutation { cancelBackfill(id: "${id}") { ... on Backfill { status } } }`,
      );
      assert.equal(answer.cancelBackfill.status, 'CANCELLED');
      await until(async () => {
        const [r] = await rows<{ n: number }>(
          cluster.db,
          `SELECT COUNT(*) AS n FROM jobs WHERE origin_type = 'BACKFILL' AND status IN ('WAITING', 'RUNNING')`,
        );
        return Number(r!.n) === 0;
      }, 'its jobs to end');
      const submitted = async () =>
        Number(
          (
            await rows<{ n: number }>(
              cluster.db,
              `SELECT COUNT(*) AS n FROM backfill_partitions WHERE backfill_id = ? AND state <> 'PENDING'`,
              [id],
            )
          )[0]!.n,
        );
      const before = await submitted();
      await new Promise((r) => setTimeout(r, 2000));
      assert.equal(await submitted(), before, 'the driver submitted nothing more');
      const [stored] = await rows<{ status: string }>(
        cluster.db,
        `SELECT status FROM backfills WHERE id = ?`,
        [id],
      );
      assert.equal(stored!.status, 'CANCELLED');
    });
  },
);
