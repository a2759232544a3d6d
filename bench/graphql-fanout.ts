/**
 * Fan-out: 1,000 graphql-ws subscribers on one job writing LINES log lines. Every subscriber must
 * get every line, in order. Measured three ways in one run, each server in its own process and
 * the subscribers in this one:
 *   - baseline: a bare Yoga + graphql-ws server sending one line per event, as fast as it can;
 *   - burst: our server, the job writing all its lines at once (throughput);
 *   - paced: our server, the job writing at a steady rate (delivery latency).
 * Both sides are timed the same way: every subscriber subscribes, a query on each connection
 * comes back (so its subscription was taken in), then the clock starts and the lines are let go;
 * it stops when the last subscriber has its last line. Each subscriber gets LINES lines on both.
 * Latency is the time from the line being logged (its `time`) to its arrival at the subscriber.
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { BenchContext, BenchModule, BenchOutcome } from './bench-module.js';
import {
  cancelJob,
  fmt,
  gql,
  LatencyHistogram,
  startServerProcess,
  submitSteps,
  waitForStatus,
  type BenchServer,
} from './graphql-support.js';

const SUBSCRIBERS = Number(process.env.FDA_BENCH_SUBSCRIBERS ?? 1000);
/** Lines per subscriber, on both sides: the baseline's one event each makes more too slow. */
const LINES = Number(process.env.FDA_BENCH_LINES ?? 2000);
const PACED_PER_TICK = 50;
const PACED_TICK_MS = 50;

interface Line {
  seq: number;
  time: string;
}

interface Outcome {
  lines: number;
  seconds: number;
  latency: LatencyHistogram;
  outOfOrder: number;
  /** Subscribers that failed, or did not end on the expected last seq. */
  incomplete: number;
}

async function connectAll(url: string, count: number): Promise<Client[]> {
  const clients: Client[] = [];
  for (let start = 0; start < count; start += 50) {
    const batch = Array.from({ length: Math.min(50, count - start) }, () => {
      let connected!: () => void;
      const ready = new Promise<void>((resolve) => (connected = resolve));
      const client = createClient({
        url: `${url.replace(/^http/, 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        lazy: false,
        on: { connected: () => connected() },
      });
      clients.push(client);
      return ready;
    });
    await Promise.all(batch);
  }
  return clients;
}

/**
 * Subscribes every client, waits until each connection has answered a query sent after its
 * subscription (graphql-ws handles one socket's messages in order), then starts the clock and
 * calls `start`. Resolves when all have completed, checking that each got 1..lastSeq() in order;
 * `seconds` runs from `start` to the last subscriber's last line.
 */
async function follow(
  clients: Client[],
  query: string,
  variables: Record<string, unknown>,
  start: () => Promise<void>,
  lastSeq: () => Promise<number>,
  linesOf: (data: unknown) => Line[],
): Promise<Outcome> {
  const latency = new LatencyHistogram();
  let outOfOrder = 0;
  let failed = 0;
  let delivered = 0;
  let started = 0;
  let lastArrival = 0;
  const ends: number[] = [];
  const all = Promise.all(
    clients.map(
      (client) =>
        new Promise<void>((resolve) => {
          let next = 1;
          client.subscribe(
            { query, variables },
            {
              next: ({ data }) => {
                const now = Date.now();
                for (const line of linesOf(data)) {
                  if (line.seq !== next) outOfOrder++;
                  next = line.seq + 1;
                  delivered++;
                  latency.add(now - Date.parse(line.time));
                }
                lastArrival = now;
              },
              error: (error) => {
                console.error('  subscription failed:', error);
                failed++;
                resolve();
              },
              complete: () => {
                ends.push(next - 1);
                resolve();
              },
            },
          );
        }),
    ),
  );
  await Promise.all(
    clients.map(
      (client) =>
        new Promise<void>((resolve, reject) =>
          client.subscribe(
            { query: '{ __typename }' },
            { next: () => {}, error: reject, complete: resolve },
          ),
        ),
    ),
  );
  started = Date.now();
  await start();
  return all.then(async () => {
    const seconds = (lastArrival - started) / 1000;
    const last = await lastSeq();
    return {
      lines: delivered,
      seconds,
      latency,
      outOfOrder,
      incomplete: failed + ends.filter((end) => end !== last).length,
    };
  });
}

interface Measured extends Outcome {
  name: string;
  rate: number;
}

function measured(name: string, o: Outcome): Measured {
  return { ...o, name, rate: o.lines / o.seconds };
}

const row = (m: Measured) =>
  `| ${m.name} | ${fmt(m.lines)} | ${fmt(m.seconds, 2)} s | ${fmt(m.rate)} | ${fmt(m.latency.percentile(50))} ms | ${fmt(m.latency.percentile(99))} ms | ${m.outOfOrder} | ${m.incomplete} |`;

async function baseline(): Promise<Measured> {
  const server = await startServerProcess('bare');
  const clients = await connectAll(server.url, SUBSCRIBERS);
  try {
    const outcome = await follow(
      clients,
      'subscription($n: Int!) { logLine(count: $n) { seq time message } }',
      { n: LINES },
      async () => {
        await gql(server.url, 'mutation { start }');
      },
      () => Promise.resolve(LINES),
      (data) => [(data as { logLine: Line }).logLine],
    );
    return measured('baseline: bare Yoga, one line per event', outcome);
  } finally {
    await Promise.all(clients.map(async (client) => client.dispose()));
    await server.stop();
  }
}

/** Our server: the fan-out job waits behind a blocker until every subscriber is in, then runs. */
async function ours(
  server: BenchServer,
  clients: Client[],
  name: string,
  args: Record<string, unknown>,
): Promise<Measured> {
  const blocker = await submitSteps(server.url, [
    { name: 'p', componentClassName: 'TestRowsProducer', componentArguments: { ms: 600_000 } },
  ]);
  const id = await submitSteps(server.url, [
    {
      name: 'producer_0',
      componentClassName: 'TestChattyProducer',
      componentArguments: { lines: LINES, ...args },
    },
  ]);
  const outcome = await follow(
    clients,
    'subscription($id: ID!) { jobLogs(id: $id) { cursor lines { seq time message } } }',
    { id },
    () => cancelJob(server.url, blocker),
    async () => {
      await waitForStatus(server.url, id, ['FINISHED']);
      return (
        await gql<{ job: { logCount: number } }>(
          server.url,
          'query($id: ID!) { job(id: $id) { logCount } }',
          { id },
        )
      ).job.logCount;
    },
    (data) => (data as { jobLogs: { lines: Line[] } }).jobLogs.lines,
  );
  return measured(name, outcome);
}

/** Goals: at least this many times the baseline's lines/s, with p99 latency under this. */
const GOAL_RATIO = 10;
const GOAL_P99_MS = 250;

async function run(context: BenchContext): Promise<BenchOutcome> {
  context.log(`${SUBSCRIBERS} subscribers; each gets ${LINES} lines on both sides`);
  const base = await baseline();
  context.log(row(base));
  // The production batching interval (the test configuration's is shorter).
  const server = await startServerProcess('app', {
    maxConcurrentJobs: 1,
    log: { level: 'info', batchMs: 50 },
  });
  const clients = await connectAll(server.url, SUBSCRIBERS);
  let burst: Measured;
  let paced: Measured;
  try {
    burst = await ours(server, clients, 'ours, burst: all lines at once', { tickMs: 0 });
    context.log(row(burst));
    paced = await ours(
      server,
      clients,
      `ours, paced: ${(PACED_PER_TICK * 1000) / PACED_TICK_MS} lines/s`,
      { perTick: PACED_PER_TICK, tickMs: PACED_TICK_MS },
    );
    context.log(row(paced));
  } finally {
    await Promise.all(clients.map(async (client) => client.dispose()));
    await server.stop();
  }
  const ratio = burst.rate / base.rate;
  const p99 = paced.latency.percentile(99);
  const markdown = [
    `${fmt(SUBSCRIBERS)} graphql-ws subscribers in the benchmark's process, each server in its own. Each subscriber gets ${fmt(LINES)} lines on both sides (ours: plus the job's own two): the baseline one event per line, as fast as it can; ours in the job's batches. Both are timed from the moment every subscription was taken in (a query answered on each connection after it) to the last line's arrival. Latency: from the line being logged to its arrival.`,
    '',
    '| run | lines delivered | time | lines/s | latency p50 | latency p99 | out of order | incomplete |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    row(base),
    row(burst),
    row(paced),
    '',
    `Throughput (burst) is **${fmt(ratio, 1)} ×** the one-line-per-event baseline (goal: at least ${GOAL_RATIO} ×). Latency while the job writes at a steady rate: p99 **${fmt(p99)} ms** (goal: under ${GOAL_P99_MS} ms). A burst queues: its latency is the time to deliver everything. The paced run's lines/s is capped by the job's own rate.`,
  ];
  context.log(markdown.at(-1)!);
  const missed: string[] = [];
  if (ratio < GOAL_RATIO)
    missed.push(`throughput ${fmt(ratio, 1)} × the baseline, goal ${GOAL_RATIO} ×`);
  if (p99 >= GOAL_P99_MS)
    missed.push(`paced p99 latency ${fmt(p99)} ms, goal under ${GOAL_P99_MS} ms`);
  for (const m of [base, burst, paced])
    if (m.outOfOrder > 0 || m.incomplete > 0)
      missed.push(
        `${m.name}: ${m.outOfOrder} lines out of order, ${m.incomplete} subscribers incomplete`,
      );
  return { markdown: markdown.join('\n'), missed };
}

export const fanoutBench: BenchModule = {
  name: 'graphql-fanout',
  description:
    '1,000 graphql-ws subscribers on one job writing 2,000 log lines, against one-line-per-event Yoga with the same lines, timed alike.',
  run,
};
