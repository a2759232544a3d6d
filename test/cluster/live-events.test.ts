import assert from 'node:assert/strict';
import { redisServerSkipReason } from '../support/redis.js';
import { after, before, describe, it } from 'node:test';
import { collect, connectWs, gql, seqsOf, until } from '../graphql/support.js';
import { mysqlSkipReason } from '../support/mysql.js';
import { rows, startTestCluster, submitStep, type TestCluster } from './cluster-support.js';
import { startRedis, type RedisInstance } from './redis-instance.js';

type Processes = { processes: Array<{ pid: number; runningJobIds: string[] }> };

describe(
  'live events across two processes',
  { skip: (await mysqlSkipReason()) || redisServerSkipReason() },
  () => {
    let redis: RedisInstance;
    let cluster: TestCluster;
    before(async () => {
      redis = await startRedis();
      cluster = await startTestCluster(2, {
        cluster: { redis: redis.url, heartbeatSeconds: 1, deadAfterSeconds: 10 },
      });
    });
    after(async () => {
      await cluster?.destroy();
      await redis?.stop();
    });

    /** Waits until one process runs the job; returns [the one running it, the other one]. */
    async function runnerAndOther(jobId: string): Promise<[string, string]> {
      let runner: string | undefined;
      await until(async () => {
        // Every process lists them all, from the store.
        const { processes } = await gql<Processes>(
          cluster.processes[0]!.url,
          `{ processes { pid runningJobIds } }`,
        );
        const holder = processes.find((q) => q.runningJobIds.includes(jobId));
        if (holder) runner = cluster.processes.find((q) => q.child.pid === holder.pid)!.url;
        return runner !== undefined;
      }, 'the job to run');
      const other = cluster.processes.find((p) => p.url !== runner)!.url;
      return [runner!, other];
    }

    it('a subscriber on one process gets every line of a job on the other, in order, once — across a Redis restart', async () => {
      const lines = 400;
      const jobId = await submitStep(cluster.processes[0]!.url, {
        name: 'chatty',
        componentClassName: 'TestChattyProducer',
        componentArguments: { lines, perTick: 10, tickMs: 50 },
      });
      const [, other] = await runnerAndOther(jobId);
      const ws = connectWs(other);
      const logs = collect<{
        jobLogs: { cursor: number; lines: { seq: number; message: string }[] };
      }>(
        ws,
        `subscription ($id: ID!) { jobLogs(id: $id, after: 0) { cursor lines { seq message } } }`,
        { id: jobId },
      );
      const status = collect<{ jobStatus: { job: { status: string } } }>(
        ws,
        `subscription ($id: ID!) { jobStatus(id: $id) { job { status } } }`,
        { id: jobId },
      );
      await until(async () => {
        const [r] = await rows<{ n: number }>(
          cluster.db,
          `SELECT COUNT(*) AS n FROM job_log_lines WHERE job_id = ?`,
          [jobId],
        );
        return Number(r!.n) >= 100;
      }, 'a quarter of the lines');
      await redis.kill();
      await new Promise((r) => setTimeout(r, 300));
      await redis.restart();

      const got = await logs;
      const seen = await status;
      await ws.close();
      assert.equal(got.error, undefined);
      const seqs = seqsOf(got.results);
      const [stored] = await rows<{ n: number }>(
        cluster.db,
        `SELECT log_count AS n FROM jobs WHERE id = ?`,
        [jobId],
      );
      assert.deepEqual(
        seqs,
        Array.from({ length: Number(stored!.n) }, (_, i) => i + 1),
      );
      const messages = got.results.flatMap((r) => r.data!.jobLogs.lines.map((l) => l.message));
      for (let i = 1; i <= lines; i++) assert.ok(messages.includes(`line ${i}`), `line ${i}`);
      assert.equal(seen.results.at(-1)?.data?.jobStatus.job.status, 'FINISHED');
      const subscriber = cluster.processes.find((p) => p.url === other)!;
      assert.match(subscriber.output(), /Redis is back; live streams read the store again/);
    });

    it('cancelJob on one process stops a job running on the other, and both see it end', async () => {
      const jobId = await submitStep(cluster.processes[1]!.url, {
        name: 'slow',
        componentClassName: 'TestRowsProducer',
        componentArguments: { ms: 60_000 },
      });
      const [runner, other] = await runnerAndOther(jobId);
      const ws = connectWs(runner);
      const status = collect<{ jobStatus: { job: { status: string } } }>(
        ws,
        `subscription ($id: ID!) { jobStatus(id: $id) { job { status } } }`,
        { id: jobId },
      );
      await new Promise((r) => setTimeout(r, 100));
      const answer = await gql<{ cancelJob: { status: string; error: string } }>(
        other,
        `mutation ($id: ID!) { cancelJob(id: $id, reason: "from the other one") { ... on Job { status error } } }`,
        { id: jobId },
      );
      assert.deepEqual(answer.cancelJob, { status: 'CANCELLED', error: 'from the other one' });
      const seen = await status;
      await ws.close();
      assert.equal(seen.results.at(-1)?.data?.jobStatus.job.status, 'CANCELLED');
    });

    it('jobStatus and jobEvents on one process get the final state of jobs on the other that ended while Redis was away', async () => {
      const A = cluster.processes[0]!.url;
      const jobId = await submitStep(A, {
        name: 'slow',
        componentClassName: 'TestRowsProducer',
        componentArguments: { ms: 60_000 },
      });
      const [runner, other] = await runnerAndOther(jobId);
      const ws = connectWs(other);
      const status = collect<{ jobStatus: { change: string; job: { status: string } } }>(
        ws,
        `subscription ($id: ID!) { jobStatus(id: $id) { change job { status } } }`,
        { id: jobId },
      );
      const events: Array<{ id: string; status: string }> = [];
      void collect<{ jobEvents: { job: { id: string; status: string } } }>(
        ws,
        `subscription { jobEvents { job { id status } } }`,
        undefined,
        (result) => events.push(result.data!.jobEvents.job),
      );
      await new Promise((r) => setTimeout(r, 300));
      await redis.kill();
      // While Redis is away: the job is cancelled where it runs, and another one runs and ends.
      await gql(
        runner,
        `mutation ($id: ID!) { cancelJob(id: $id, reason: "while Redis was away") { __typename } }`,
        {
          id: jobId,
        },
      );
      const during = await submitStep(runner, {
        name: 'quick',
        componentClassName: 'TestRowsProducer',
      });
      await until(async () => {
        const [r] = await rows<{ n: number }>(
          cluster.db,
          `SELECT COUNT(*) AS n FROM jobs WHERE id IN (?) AND status IN ('CANCELLED', 'FINISHED')`,
          [[jobId, during]],
        );
        return Number(r!.n) === 2;
      }, 'both jobs to end in the store');
      await redis.restart();

      // Without a read of the store the final state is lost with Redis: the stream never ends.
      const seen = await Promise.race([
        status,
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('jobStatus never got the final state')), 20_000),
        ),
      ]);
      assert.equal(seen.error, undefined);
      assert.equal(seen.results.at(-1)?.data?.jobStatus.job.status, 'CANCELLED');
      await until(
        () =>
          events.some((e) => e.id === jobId && e.status === 'CANCELLED') &&
          events.some((e) => e.id === during && e.status === 'FINISHED'),
        'jobEvents to get both final states',
      );
      await ws.close();
      const subscriber = cluster.processes.find((p) => p.url === other)!;
      assert.match(subscriber.output(), /Redis is back; live streams read the store again/);
    });
  },
);
