/**
 * `npm run bench -- cluster`: short jobs per second with 1, 2 and 3 server processes on one
 * MariaDB control database and Redis, each against 1 process measured in the same run. Every job
 * is TestRecordRun (one insert into cluster_runs, whose unique key would refuse a second run), so
 * the figure is the claim, run and state-save path, not a component's work.
 */
import { performance } from 'node:perf_hooks';
import { rows, startTestCluster, submitStep } from '../test/cluster/cluster-support.js';
import type { BenchModule } from './bench-module.js';

const JOBS = 150;
const COUNTS = [1, 2, 3];

async function jobsPerSecond(processes: number): Promise<{ rate: number; runs: number }> {
  const cluster = await startTestCluster(processes);
  try {
    const urls = cluster.processes.map((p) => p.url);
    const started = performance.now();
    for (let batch = 0; batch < JOBS; batch += 30)
      await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          submitStep(urls[(batch + i) % urls.length]!, {
            name: 'record',
            componentClassName: 'TestRecordRun',
          }),
        ),
      );
    for (;;) {
      const [done] = await rows<{ n: number }>(
        cluster.db,
        `SELECT COUNT(*) AS n FROM jobs WHERE status = 'FINISHED'`,
      );
      if (Number(done!.n) >= JOBS) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const seconds = (performance.now() - started) / 1000;
    const [runs] = await rows<{ n: number }>(cluster.db, `SELECT COUNT(*) AS n FROM cluster_runs`);
    return { rate: JOBS / seconds, runs: Number(runs!.n) };
  } finally {
    await cluster.destroy();
  }
}

export const clusterBench: BenchModule = {
  name: 'cluster',
  description: `${JOBS} short jobs submitted round-robin to 1, 2 and 3 processes on one MariaDB and Redis`,
  async run({ log }) {
    const results: Array<{ processes: number; rate: number; runs: number }> = [];
    for (const processes of COUNTS) {
      const { rate, runs } = await jobsPerSecond(processes);
      results.push({ processes, rate, runs });
      log(`${processes} process(es): ${rate.toFixed(1)} jobs/s, ${runs} runs recorded`);
    }
    const base = results[0]!.rate;
    const missed = results
      .filter((r) => r.runs !== JOBS)
      .map((r) => `${r.processes} processes recorded ${r.runs} runs for ${JOBS} jobs`);
    const table = results
      .map(
        (r) =>
          `| ${r.processes} | ${r.rate.toFixed(1)} | ${(r.rate / base).toFixed(2)} | ${r.runs} |`,
      )
      .join('\n');
    return {
      markdown: `${JOBS} TestRecordRun jobs submitted round-robin (30 at a time) over GraphQL; time from the first submission to the last FINISHED in the store. maxConcurrentJobs 4 per process.\n\n| processes | jobs/s | against 1 process | runs recorded |\n| --- | --- | --- | --- |\n${table}\n`,
      missed,
    };
  },
};
