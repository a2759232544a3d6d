import assert from 'node:assert/strict';
import { redisSkipReason } from '../support/redis.js';
import { after, before, describe, it } from 'node:test';
import { collect, connectWs, gql, range, seqsOf, until } from '../graphql/support.js';
import { mysqlSkipReason } from '../support/mysql.js';
import { rows, startTestCluster, submitStep, type TestCluster } from './cluster-support.js';

type Processes = {
  processes: Array<{
    id: string;
    host: string;
    pid: number;
    heartbeatAt: string;
    stopping: boolean;
    runningJobIds: string[];
  }>;
};
const PROCESSES = `{ processes { id host pid heartbeatAt stopping runningJobIds } }`;

describe(
  'three server processes on one control database',
  { skip: (await mysqlSkipReason()) || (await redisSkipReason()) },
  () => {
    let cluster: TestCluster;
    before(async () => {
      cluster = await startTestCluster(3);
    });
    after(() => cluster?.destroy());
    const urls = () => cluster.processes.map((p) => p.url);

    it('lists every process with its heartbeat', async () => {
      const { processes } = await gql<Processes>(urls()[0]!, PROCESSES);
      assert.deepEqual(
        processes.map((p) => p.pid).sort(),
        cluster.processes.map((p) => p.child.pid).sort(),
      );
      assert.ok(processes.every((p) => !p.stopping && p.runningJobIds.length === 0));
      const before = new Map(processes.map((p) => [p.id, p.heartbeatAt]));
      await until(async () => {
        const now = (await gql<Processes>(urls()[1]!, PROCESSES)).processes;
        return now.every((p) => p.heartbeatAt > before.get(p.id)!);
      }, 'a heartbeat of every process');
    });

    it('runs 300 short jobs submitted round-robin each exactly once, in all three processes', async () => {
      const ids: string[] = [];
      const targets = urls();
      for (let batch = 0; batch < 300; batch += 30)
        ids.push(
          ...(await Promise.all(
            Array.from({ length: 30 }, (_, i) =>
              submitStep(targets[(batch + i) % 3]!, {
                name: 'record',
                componentClassName: 'TestRecordRun',
              }),
            ),
          )),
        );
      assert.equal(new Set(ids).size, 300);
      await until(
        async () => {
          const [done] = await rows<{ n: number }>(
            cluster.db,
            `SELECT COUNT(*) AS n FROM jobs WHERE status IN ('FINISHED', 'FAILED', 'CANCELLED')`,
          );
          return Number(done!.n) === 300;
        },
        'all 300 jobs to end',
        120_000,
      );
      const statuses = await rows<{ status: string; n: number }>(
        cluster.db,
        `SELECT status, COUNT(*) AS n FROM jobs GROUP BY status`,
      );
      assert.deepEqual(
        statuses.map((s) => [s.status, Number(s.n)]),
        [['FINISHED', 300]],
      );
      const runs = await rows<{ job_id: string; pid: number }>(
        cluster.db,
        `SELECT job_id, pid FROM cluster_runs`,
      );
      assert.equal(runs.length, 300, 'one recorded run per job (the unique key refuses a second)');
      assert.deepEqual(new Set(runs.map((r) => r.job_id)), new Set(ids));
      const perProcess = new Map<number, number>();
      for (const r of runs) perProcess.set(r.pid, (perProcess.get(r.pid) ?? 0) + 1);
      assert.deepEqual(
        [...perProcess.keys()].sort(),
        cluster.processes.map((p) => p.child.pid).sort(),
        `every process ran some: ${JSON.stringify([...perProcess])}`,
      );
      const claimedBy = await rows<{ n: number }>(
        cluster.db,
        `SELECT COUNT(DISTINCT claimed_by) AS n FROM jobs`,
      );
      assert.equal(Number(claimedBy[0]!.n), 3);
    });

    it('a jobLogs subscriber where a short job was submitted sees all of it end, wherever it ran', async () => {
      // A state saved twice unchanged (the end, saved again behind the save that stored it) once
      // read as "no longer held": the job's end was never published and its subscribers hung.
      const targets = urls();
      const sockets = targets.map((url) => connectWs(url));
      try {
        const followed = await Promise.all(
          Array.from({ length: 24 }, async (_, i) => {
            const id = await submitStep(targets[i % 3]!, {
              name: 'p',
              componentClassName: 'TestRowsProducer',
              componentArguments: { lines: 5 },
            });
            const logs = await Promise.race([
              collect<{ jobLogs: { cursor: number; lines: { seq: number }[] } }>(
                sockets[i % 3]!,
                `subscription ($id: ID!) { jobLogs(id: $id) { cursor lines { seq } } }`,
                { id },
              ),
              new Promise<never>((_, reject) =>
                setTimeout(
                  () => reject(new Error(`jobLogs of ${id} never completed`)),
                  20_000,
                ).unref(),
              ),
            ]);
            return { id, logs };
          }),
        );
        for (const { id, logs } of followed) {
          assert.equal(logs.error, undefined, id);
          const [job] = await rows<{ status: string; log_count: number }>(
            cluster.db,
            `SELECT status, log_count FROM jobs WHERE id = ?`,
            [id],
          );
          assert.equal(job!.status, 'FINISHED', id);
          assert.deepEqual(seqsOf(logs.results), range(1, Number(job!.log_count)), id);
        }
        for (const p of cluster.processes)
          assert.doesNotMatch(p.output(), /no longer holds the job/);
      } finally {
        await Promise.all(sockets.map((ws) => ws.close()));
      }
    });

    it('never runs more than maxConcurrentJobs (4) in one process', async () => {
      const ids = await Promise.all(
        Array.from({ length: 15 }, () =>
          submitStep(urls()[0]!, {
            name: 'slow',
            componentClassName: 'TestRecordRun',
            componentArguments: { ms: 60_000 },
          }),
        ),
      );
      // 12 run (4 in each process); 3 wait in the store for a free slot.
      await until(async () => {
        const [r] = await rows<{ n: number }>(
          cluster.db,
          `SELECT COUNT(*) AS n FROM jobs WHERE status = 'RUNNING'`,
        );
        return Number(r!.n) === 12;
      }, '12 running jobs');
      const perProcess = await rows<{ claimed_by: string; n: number }>(
        cluster.db,
        `SELECT claimed_by, COUNT(*) AS n FROM jobs WHERE status = 'RUNNING' GROUP BY claimed_by`,
      );
      assert.deepEqual(
        perProcess.map((p) => Number(p.n)),
        [4, 4, 4],
      );
      const [waiting] = await rows<{ n: number }>(
        cluster.db,
        `SELECT COUNT(*) AS n FROM jobs WHERE status = 'WAITING' AND claimed_by IS NULL`,
      );
      assert.equal(Number(waiting!.n), 3);

      // SIGKILL one process while it runs 4 of them: they fail with the reason, its slots go to
      // the waiting jobs in the others only as those free up; nothing else is lost or duplicated.
      const victim = cluster.processes[2]!;
      const { processes } = await gql<Processes>(urls()[0]!, PROCESSES);
      const dead = processes.find((p) => p.pid === victim.child.pid)!;
      assert.equal(dead.runningJobIds.length, 4);
      victim.child.kill('SIGKILL');
      await victim.exited;
      await until(
        async () => {
          const failed = await rows<{ id: string }>(
            cluster.db,
            `SELECT id FROM jobs WHERE status = 'FAILED' AND error = ?`,
            [`process ${dead.id} on ${dead.host} stopped responding`],
          );
          return failed.length === 4;
        },
        'the dead process to be pruned and its 4 jobs failed',
        30_000,
      );
      const failed = await rows<{ id: string; steps: string }>(
        cluster.db,
        `SELECT id, steps FROM jobs WHERE status = 'FAILED' ORDER BY id`,
      );
      assert.deepEqual(failed.map((f) => f.id).sort(), [...dead.runningJobIds].sort());
      assert.ok(
        failed.every(
          (f) => (JSON.parse(f.steps) as Array<{ status: string }>)[0]!.status === 'FAILED',
        ),
      );
      const left = (await gql<Processes>(urls()[0]!, PROCESSES)).processes;
      assert.equal(left.length, 2, 'its row was deleted');
      assert.ok(!left.some((p) => p.id === dead.id));
      const running = await rows<{ n: number }>(
        cluster.db,
        `SELECT COUNT(*) AS n FROM jobs WHERE status = 'RUNNING'`,
      );
      assert.equal(Number(running[0]!.n), 8, 'the other processes carry on with theirs');

      // Cancel the rest from one process, the waiting ones first (a slot freed by a cancel would
      // take one): the others' jobs end too (a cancel request in the store).
      const queued = await rows<{ id: string }>(
        cluster.db,
        `SELECT id FROM jobs WHERE status = 'WAITING'`,
      );
      for (const { id } of queued)
        await gql(urls()[0]!, `mutation ($id: ID!) { cancelJob(id: $id) { __typename } }`, { id });
      await Promise.all(
        ids.map((id) =>
          gql(urls()[0]!, `mutation ($id: ID!) { cancelJob(id: $id) { __typename } }`, { id }),
        ),
      );
      await until(async () => {
        const [r] = await rows<{ n: number }>(
          cluster.db,
          `SELECT COUNT(*) AS n FROM jobs WHERE status IN ('RUNNING', 'WAITING')`,
        );
        return Number(r!.n) === 0;
      }, 'every job ended');
      const byStatus = await rows<{ status: string; n: number }>(
        cluster.db,
        `SELECT status, COUNT(*) AS n FROM jobs WHERE id IN (?) GROUP BY status ORDER BY status`,
        [ids],
      );
      assert.deepEqual(
        byStatus.map((s) => [s.status, Number(s.n)]),
        [
          ['CANCELLED', 11],
          ['FAILED', 4],
        ],
      );
      const [runs] = await rows<{ n: number }>(
        cluster.db,
        `SELECT COUNT(*) AS n FROM cluster_runs WHERE job_id IN (?)`,
        [ids],
      );
      assert.equal(Number(runs!.n), 12, 'the three that waited never ran');
    });
  },
);
