/**
 * Issue 7, load: 200 concurrent clients submitting jobs and following their logs over graphql-ws
 * for 60 s against one server (the real `src/main.ts` in its own process; the clients in one or
 * two others, bench/load-clients.ts). Checks that no job and no log line is lost (each client
 * counts the lines it got against the job's `logCount`, and the server's job list is counted
 * against the submissions) and that no error other than a documented limit occurs. Prints jobs/s,
 * p50/p99 of the submit mutation and of a small query, and the server's RSS before, during, after.
 * FDA_BENCH_LOAD_SECONDS, FDA_BENCH_LOAD_CLIENTS, FDA_BENCH_LOAD_LINES and
 * FDA_BENCH_LOAD_PROCESSES change the run (e.g. FDA_BENCH_LOAD_SECONDS=10 for a quick one).
 */
import type { BenchContext, BenchModule, BenchOutcome } from './bench-module.js';
import { fmt, gql, percentile } from './graphql-support.js';
import type { LoadClientsReport } from './load-clients.js';
import { mergeReports as merge, runClients } from './load-client-runs.js';
import { mib, rssBytes, sleep, startServerUnderTest } from './server-under-test.js';

const SECONDS = Number(process.env.FDA_BENCH_LOAD_SECONDS ?? 60);
const CLIENTS = Number(process.env.FDA_BENCH_LOAD_CLIENTS ?? 200);
const LINES = Number(process.env.FDA_BENCH_LOAD_LINES ?? 20);
const PROCESSES = Number(process.env.FDA_BENCH_LOAD_PROCESSES ?? 2);
/** Idle time before the "after" reading, so the server can finish what it was doing and collect garbage. */
const SETTLE_MS = 10_000;
/** Time the clients get to start their processes and connect before the run starts. */
const CONNECT_MS = 8000;

type JobPage = {
  jobs: {
    nodes: { status: string }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
};

/** Every job the server holds, by status (paging through `jobs`). */
async function serverJobs(url: string): Promise<Record<string, number>> {
  const byStatus: Record<string, number> = {};
  let after: string | null = null;
  for (;;) {
    const page: JobPage = await gql<JobPage>(
      url,
      'query($after: String) { jobs(first: 100, after: $after) { nodes { status } pageInfo { hasNextPage endCursor } } }',
      { after },
    );
    for (const node of page.jobs.nodes) byStatus[node.status] = (byStatus[node.status] ?? 0) + 1;
    if (!page.jobs.pageInfo.hasNextPage) return byStatus;
    after = page.jobs.pageInfo.endCursor;
  }
}

async function run(context: BenchContext): Promise<BenchOutcome> {
  const server = await startServerUnderTest();
  let report: LoadClientsReport;
  const during: number[] = [];
  let rssBefore: number;
  let rssAfter: number;
  let held: Record<string, number>;
  let exitCode: number | string;
  try {
    // One job first, so "before" is a server that has loaded everything a job touches.
    const warmUp = await runClients({
      url: server.url,
      clients: 1,
      startAt: Date.now(),
      seconds: 60,
      lines: LINES,
      maxJobsPerClient: 1,
    });
    if (warmUp.finished !== 1)
      throw new Error(`the warm-up job did not finish: ${JSON.stringify(warmUp)}`);
    await sleep(2000);
    rssBefore = rssBytes(server.pid);
    context.log(
      `${CLIENTS} clients in ${PROCESSES} process(es) for ${SECONDS} s, jobs of ${LINES} lines; server RSS before: ${mib(rssBefore)}`,
    );
    const sampler = setInterval(() => during.push(rssBytes(server.pid)), 1000);
    try {
      const perProcess = Math.ceil(CLIENTS / PROCESSES);
      const startAt = Date.now() + CONNECT_MS;
      report = merge(
        await Promise.all(
          Array.from({ length: PROCESSES }, (_, i) =>
            runClients({
              url: server.url,
              clients: Math.min(perProcess, CLIENTS - i * perProcess),
              startAt,
              seconds: SECONDS,
              lines: LINES,
            }),
          ),
        ),
      );
    } finally {
      clearInterval(sampler);
    }
    held = await serverJobs(server.url);
    await sleep(SETTLE_MS);
    rssAfter = rssBytes(server.pid);
  } finally {
    exitCode = await server.stop();
  }

  const jobsPerSecond = report.finished / (report.elapsedMs / 1000);
  const heldTotal = Object.values(held).reduce((a, b) => a + b, 0);
  // The warm-up job is held too.
  const lostJobs = report.submitted + 1 - heldTotal;
  const unfinishedHeld = (held.WAITING ?? 0) + (held.RUNNING ?? 0);
  const lostLines = report.linesExpected - report.linesReceived;
  const errorCount = Object.values(report.errors).reduce((a, b) => a + b, 0);
  const limitCount = Object.values(report.limitErrors).reduce((a, b) => a + b, 0);
  const sortedDuring = [...during].sort((a, b) => a - b);
  const rows = [
    `| clients (graphql-ws connections) | ${CLIENTS} in ${PROCESSES} process(es) |`,
    `| connecting (WebSocket + first HTTP request) p50 / max; clients late for the start | ${fmt(percentile(report.connectMs, 50))} / ${fmt(percentile(report.connectMs, 100))} ms; ${report.lateClients} |`,
    `| run time | ${fmt(report.elapsedMs / 1000, 1)} s |`,
    `| jobs submitted / finished | ${fmt(report.submitted)} / ${fmt(report.finished)} |`,
    `| jobs/s (finished) | ${fmt(jobsPerSecond, 1)} |`,
    `| jobs the server holds (incl. 1 warm-up) / still waiting or running | ${fmt(heldTotal)} / ${unfinishedHeld} |`,
    `| log lines received / expected (sum of logCount) | ${fmt(report.linesReceived)} / ${fmt(report.linesExpected)} |`,
    `| jobs with a missing, repeated or reordered line | ${report.jobsWithLineProblems} |`,
    `| submitJob latency p50 / p99 / max | ${fmt(percentile(report.submitMs, 50), 1)} / ${fmt(percentile(report.submitMs, 99), 1)} / ${fmt(percentile(report.submitMs, 100), 1)} ms |`,
    `| small query (job status) latency p50 / p99 / max | ${fmt(percentile(report.queryMs, 50), 1)} / ${fmt(percentile(report.queryMs, 99), 1)} / ${fmt(percentile(report.queryMs, 100), 1)} ms |`,
    `| refusals by a documented limit | ${limitCount}${limitCount > 0 ? ` (${Object.keys(report.limitErrors).join('; ')})` : ''} |`,
    `| other errors | ${errorCount}${
      errorCount > 0
        ? ` (${Object.entries(report.errors)
            .map(([m, n]) => `${n} × ${m}`)
            .join('; ')})`
        : ''
    } |`,
    `| server RSS before | ${mib(rssBefore)} |`,
    `| server RSS during: median / max (${during.length} samples, 1 s apart) | ${mib(sortedDuring[Math.floor(sortedDuring.length / 2)] ?? 0)} / ${mib(sortedDuring.at(-1) ?? 0)} |`,
    `| server RSS after (${SETTLE_MS / 1000} s idle) | ${mib(rssAfter)} |`,
    `| server exit code on SIGTERM | ${exitCode} |`,
  ];
  const markdown = [
    `The real server (\`src/main.ts\`, SQLite control store, 4 jobs at once, log level info) in its own process; ${CLIENTS} clients in ${PROCESSES} other process(es). Each client keeps one graphql-ws connection and loops: submit a job of ${LINES} log lines over HTTP, follow \`jobLogs\` until it completes, then query the job's status and \`logCount\` (the small query). Latencies are as the clients saw them, their own event loops included; all processes share the machine's cores.`,
    '',
    '| what | measured |',
    '| --- | ---: |',
    ...rows,
    '',
    'The clients reuse kept-alive connections. A request that needs a new one (after the server closed an idle connection, 5 s) can wait seconds: a saturated Node server accepts about one new connection per event-loop turn, and under this load a turn takes tens of milliseconds; such waits are the maximums above, not the p99.',
  ].join('\n');
  context.log(markdown);
  const missed: string[] = [];
  if (lostJobs !== 0 || report.notFinished.length > 0 || unfinishedHeld > 0) {
    missed.push(
      `jobs lost or unfinished: ${lostJobs} not held by the server, ${report.notFinished.length} not FINISHED (${report.notFinished.slice(0, 5).join(', ')}), ${unfinishedHeld} still waiting or running`,
    );
  }
  if (lostLines !== 0 || report.jobsWithLineProblems > 0)
    missed.push(
      `log lines: ${lostLines} lost, ${report.jobsWithLineProblems} jobs with line problems`,
    );
  if (errorCount > 0) missed.push(`${errorCount} errors other than the documented limits`);
  if (exitCode !== 0) missed.push(`the server exited with ${exitCode} on SIGTERM`);
  return { markdown, missed };
}

export const loadBench: BenchModule = {
  name: 'load',
  description: `${CLIENTS} concurrent clients submitting jobs and following their logs over graphql-ws for ${SECONDS} s against one server process.`,
  run,
};
