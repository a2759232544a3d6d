import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pruneProcess } from '../../src/cluster/dead-processes.js';
import { gql, until } from '../graphql/support.js';
import { mysqlSkipReason } from '../support/mysql.js';
import { redisSkipReason } from '../support/redis.js';
import {
  REDIS_URL,
  rows,
  startTestCluster,
  submitStep,
  type TestCluster,
} from './cluster-support.js';

type Processes = { processes: Array<{ id: string; pid: number }> };
const count = (output: string, pattern: RegExp) =>
  output.split('\n').filter((line) => pattern.test(line)).length;

describe(
  'a process wrongly taken for dead',
  { skip: (await mysqlSkipReason()) || (await redisSkipReason()) },
  () => {
    let cluster: TestCluster;
    before(async () => {
      // Only the test prunes here: a live process must not be taken for dead by a slow beat.
      cluster = await startTestCluster(2, {
        cluster: { redis: REDIS_URL, heartbeatSeconds: 1, deadAfterSeconds: 30 },
      });
    });
    after(() => cluster?.destroy());

    it('leaves the FAILED its pruner wrote, stops claiming and says so', async () => {
      const [first] = cluster.processes;
      const ids = await Promise.all(
        Array.from({ length: 4 }, () =>
          submitStep(first!.url, {
            name: 'slow',
            componentClassName: 'TestRecordRun',
            componentArguments: { ms: 3000 },
          }),
        ),
      );
      await until(async () => {
        const [r] = await rows<{ n: number }>(
          cluster.db,
          `SELECT COUNT(*) AS n FROM jobs WHERE status = 'RUNNING'`,
        );
        return Number(r!.n) === 4;
      }, 'the four jobs to run');
      const [busiest] = await rows<{ claimed_by: string }>(
        cluster.db,
        `SELECT claimed_by FROM jobs WHERE status = 'RUNNING' GROUP BY claimed_by ORDER BY COUNT(*) DESC, claimed_by LIMIT 1`,
      );
      const victimId = busiest!.claimed_by;
      const { processes } = await gql<Processes>(first!.url, `{ processes { id pid } }`);
      const victimPid = processes.find((p) => p.id === victimId)!.pid;
      const victim = cluster.processes.find((p) => p.child.pid === victimPid)!;
      const survivor = cluster.processes.find((p) => p !== victim)!;

      // By hand, as a pruner that misjudged a slow heartbeat would: its jobs FAILED, its row gone.
      const pruned = await pruneProcess(cluster.db, victimId);
      assert.ok(pruned && pruned.failed.length > 0);
      const failedIds = pruned.failed.map((j) => j.id).sort();
      const reason = pruned.failed[0]!.error!;
      assert.match(reason, /stopped responding$/);

      await until(
        () => /THIS PROCESS WAS TAKEN FOR DEAD/.test(victim.output()),
        'the victim to notice its row is gone',
      );
      await until(
        () => count(victim.output(), /job state not written/) >= failedIds.length,
        'the victim to try (and fail) to write each of its jobs',
      );
      // Past the time the jobs would have taken: their FAILED stays.
      await new Promise((r) => setTimeout(r, 3500));
      const stored = await rows<{ id: string; status: string; error: string; steps: string }>(
        cluster.db,
        `SELECT id, status, error, steps FROM jobs WHERE id IN (?) ORDER BY id`,
        [failedIds],
      );
      assert.deepEqual(
        stored.map((j) => [j.id, j.status, j.error]),
        failedIds.map((id) => [id, 'FAILED', reason]),
      );
      assert.ok(
        stored.every(
          (j) => (JSON.parse(j.steps) as Array<{ status: string }>)[0]!.status === 'FAILED',
        ),
      );
      // The survivor's jobs were not its: they finished.
      const others = ids.filter((id) => !failedIds.includes(id));
      const [finished] = await rows<{ n: number }>(
        cluster.db,
        `SELECT COUNT(*) AS n FROM jobs WHERE id IN (?) AND status = 'FINISHED'`,
        [others.length > 0 ? others : ['none']],
      );
      assert.equal(Number(finished!.n), others.length);

      // Jobs submitted to it now are stored and run by the other process only.
      const later = await Promise.all(
        Array.from({ length: 6 }, () =>
          submitStep(victim.url, { name: 'quick', componentClassName: 'TestRecordRun' }),
        ),
      );
      await until(async () => {
        const [r] = await rows<{ n: number }>(
          cluster.db,
          `SELECT COUNT(*) AS n FROM jobs WHERE id IN (?) AND status = 'FINISHED'`,
          [later],
        );
        return Number(r!.n) === 6;
      }, 'the later jobs to finish');
      const runners = await rows<{ pid: number }>(
        cluster.db,
        `SELECT DISTINCT pid FROM cluster_runs WHERE job_id IN (?)`,
        [later],
      );
      assert.deepEqual(
        runners.map((r) => r.pid),
        [survivor.child.pid],
      );
      const left = (await gql<Processes>(survivor.url, `{ processes { id pid } }`)).processes;
      assert.deepEqual(
        left.map((p) => p.pid),
        [survivor.child.pid],
      );
    });
  },
);
