/**
 * `npm run bench -- cluster`: short jobs per second with 1, 2 and 3 server processes on one
 * MariaDB control database and Redis, each against 1 process measured in the same run. Every job
 * is TestRecordRun (one insert into cluster_runs, whose unique key would refuse a second run), so
 * the figure is the claim, run and state-save path, not a component's work.
 *
 * Then the load benchmark's clients (bench/load-clients.ts), 200 by default, spread over the three
 * processes: each client submits to and follows its job's log lines on one process while the job
 * may run on any, so lines often come through Redis. Counted: jobs finished, lines received
 * against the stored logCount, p99 of submitJob and of the small status query.
 * FDA_BENCH_LOAD_SECONDS, FDA_BENCH_LOAD_CLIENTS and FDA_BENCH_LOAD_LINES change that part.
 */
import { performance } from 'node:perf_hooks';
import { rows, startTestCluster, submitStep } from '../test/cluster/cluster-support.js';
import type { BenchModule } from './bench-module.js';
import { fmt, percentile } from './graphql-support.js';
import { mergeReports, runClients } from './load-client-runs.js';
import type { LoadClientsReport } from './load-clients.js';

const JOBS = 150;
const COUNTS = [1, 2, 3];
const LOAD_SECONDS = Number(process.env.FDA_BENCH_LOAD_SECONDS ?? 60);
const LOAD_CLIENTS = Number(process.env.FDA_BENCH_LOAD_CLIENTS ?? 200);
const LOAD_LINES = Number(process.env.FDA_BENCH_LOAD_LINES ?? 20);
const LOAD_PROCESSES = 3;
/** Time the client processes get to start and connect before the run starts. */
const CONNECT_MS = 8000;

interface ClusterLoad {
  report: LoadClientsReport;
  /** Jobs in the control store by status once the clients are done. */
  stored: Record<string, number>;
  /** Jobs each server process ran, by its pid. */
  runsPerProcess: number[];
}

/** The load benchmark's clients, a third on each of three processes. */
async function clusterLoad(log: (line: string) => void): Promise<ClusterLoad> {
  const cluster = await startTestCluster(LOAD_PROCESSES, { log: { level: 'info', batchMs: 50 } });
  try {
    const urls = cluster.processes.map((p) => p.url);
    log(
      `${LOAD_CLIENTS} clients over ${LOAD_PROCESSES} processes for ${LOAD_SECONDS} s, jobs of ${LOAD_LINES} lines`,
    );
    const perProcess = Math.ceil(LOAD_CLIENTS / LOAD_PROCESSES);
    const startAt = Date.now() + CONNECT_MS;
    const report = mergeReports(
      await Promise.all(
        urls.map((url, i) =>
          runClients({
            url,
            clients: Math.max(0, Math.min(perProcess, LOAD_CLIENTS - i * perProcess)),
            startAt,
            seconds: LOAD_SECONDS,
            lines: LOAD_LINES,
          }),
        ),
      ),
    );
    const byStatus = await rows<{ status: string; n: number }>(
      cluster.db,
      `SELECT status, COUNT(*) AS n FROM jobs GROUP BY status`,
    );
    const stored = Object.fromEntries(byStatus.map((r) => [r.status, Number(r.n)]));
    const perClaimer = await rows<{ n: number }>(
      cluster.db,
      `SELECT COUNT(*) AS n FROM jobs GROUP BY claimed_by ORDER BY claimed_by`,
    );
    return { report, stored, runsPerProcess: perClaimer.map((r) => Number(r.n)) };
  } finally {
    await cluster.destroy();
  }
}

function loadMarkdown({ report, stored, runsPerProcess }: ClusterLoad): {
  markdown: string;
  missed: string[];
} {
  const storedTotal = Object.values(stored).reduce((a, b) => a + b, 0);
  const unfinished = (stored.WAITING ?? 0) + (stored.RUNNING ?? 0);
  const errors = Object.values(report.errors).reduce((a, b) => a + b, 0);
  const limits = Object.values(report.limitErrors).reduce((a, b) => a + b, 0);
  const rowsMd = [
    `| clients (graphql-ws connections) | ${LOAD_CLIENTS}, a third on each of ${LOAD_PROCESSES} processes |`,
    `| run time | ${fmt(report.elapsedMs / 1000, 1)} s |`,
    `| jobs submitted / finished | ${fmt(report.submitted)} / ${fmt(report.finished)} |`,
    `| jobs/s (finished) | ${fmt(report.finished / (report.elapsedMs / 1000), 1)} |`,
    `| jobs in the store / still waiting or running | ${fmt(storedTotal)} / ${unfinished} |`,
    `| jobs run by each process | ${runsPerProcess.map((n) => fmt(n)).join(' / ')} |`,
    `| log lines received / expected (sum of logCount) | ${fmt(report.linesReceived)} / ${fmt(report.linesExpected)} |`,
    `| jobs with a missing, repeated or reordered line | ${report.jobsWithLineProblems} |`,
    `| submitJob latency p50 / p99 / max | ${fmt(percentile(report.submitMs, 50), 1)} / ${fmt(percentile(report.submitMs, 99), 1)} / ${fmt(percentile(report.submitMs, 100), 1)} ms |`,
    `| small query (job status) latency p50 / p99 / max | ${fmt(percentile(report.queryMs, 50), 1)} / ${fmt(percentile(report.queryMs, 99), 1)} / ${fmt(percentile(report.queryMs, 100), 1)} ms |`,
    `| refusals by a documented limit / other errors | ${limits} / ${errors}${errors > 0 ? ` (${Object.keys(report.errors).slice(0, 3).join('; ')})` : ''} |`,
  ];
  const missed: string[] = [];
  if (report.submitted !== storedTotal || report.notFinished.length > 0 || unfinished > 0)
    missed.push(
      `cluster load: ${report.submitted} submitted, ${storedTotal} stored, ${report.notFinished.length} not FINISHED, ${unfinished} still waiting or running`,
    );
  if (report.linesReceived !== report.linesExpected || report.jobsWithLineProblems > 0)
    missed.push(
      `cluster load: ${report.linesExpected - report.linesReceived} log lines lost, ${report.jobsWithLineProblems} jobs with line problems`,
    );
  if (errors > 0) missed.push(`cluster load: ${errors} errors other than the documented limits`);
  const markdown = [
    `The load benchmark's clients against three processes (MariaDB control store, Redis, 4 jobs at once each, log level info and 50 ms log batches as in the load benchmark): each client keeps one graphql-ws connection to one process and loops: submit a job of ${LOAD_LINES} log lines, follow \`jobLogs\` until it completes, query its status and \`logCount\`. The job runs wherever it is claimed, so its lines reach the client through Redis unless it ran where the client is. Latencies as the clients saw them; every process shares the machine's cores.`,
    '',
    '| what | measured |',
    '| --- | ---: |',
    ...rowsMd,
  ].join('\n');
  return { markdown, missed };
}

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
  description: `${JOBS} short jobs submitted round-robin to 1, 2 and 3 processes on one MariaDB and Redis; ${LOAD_CLIENTS} load clients spread over 3 processes for ${LOAD_SECONDS} s`,
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
    const load = loadMarkdown(await clusterLoad(log));
    log(load.markdown);
    return {
      markdown: `${JOBS} TestRecordRun jobs submitted round-robin (30 at a time) over GraphQL; time from the first submission to the last FINISHED in the store. maxConcurrentJobs 4 per process.\n\n| processes | jobs/s | against 1 process | runs recorded |\n| --- | --- | --- | --- |\n${table}\n\n${load.markdown}\n`,
      missed: [...missed, ...load.missed],
    };
  },
};
