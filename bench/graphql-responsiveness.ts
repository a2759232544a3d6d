/**
 * Responsiveness: p99 latency of a small query on an idle server, then while 4 jobs run a
 * CPU-heavy step (offloaded to the worker pool, as components should), as a ratio. For contrast,
 * the same while 4 jobs burn CPU on the event loop itself, in 100 ms rounds. Queries are sent one after another
 * from this process; the server runs in its own.
 */
import { Agent, request } from 'node:http';
import { availableParallelism } from 'node:os';
import type { BenchContext, BenchModule, BenchOutcome } from './bench-module.js';
import {
  cancelJob,
  fmt,
  percentile,
  startServerProcess,
  submitSteps,
  waitForStatus,
} from './graphql-support.js';

const REQUESTS = Number(process.env.FDA_BENCH_REQUESTS ?? 1000);

/** Sends `count` queries one at a time over a kept-alive connection; returns each latency in ms. */
async function measure(url: string, body: string, count: number): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const target = new URL(`${url}/graphql`);
  const latencies: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      await new Promise<void>((resolve, reject) => {
        const req = request(
          target,
          {
            method: 'POST',
            agent,
            headers: {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
            },
          },
          (res) => {
            res.resume();
            res.once('end', () =>
              res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`)),
            );
          },
        );
        req.once('error', reject);
        req.end(body);
      });
      latencies.push(performance.now() - started);
    }
  } finally {
    agent.destroy();
  }
  return latencies;
}

const row = (name: string, samples: number[]) =>
  `| ${name} | ${samples.length} | ${fmt(percentile(samples, 50), 2)} ms | ${fmt(percentile(samples, 99), 2)} ms | ${fmt(percentile(samples, 100), 1)} ms |`;

/** The goal: p99 while jobs burn CPU below twice the idle p99. */
const GOAL_RATIO = 2;

async function run(context: BenchContext): Promise<BenchOutcome> {
  const server = await startServerProcess('app', { maxConcurrentJobs: 4 });
  try {
    const probeJob = await submitSteps(server.url, [
      { name: 'p', componentClassName: 'TestRowsProducer', componentArguments: { rows: 3 } },
    ]);
    await waitForStatus(server.url, probeJob, ['FINISHED']);
    const body = JSON.stringify({
      query: 'query($id: ID!) { job(id: $id) { id status finishedAt } }',
      variables: { id: probeJob },
    });

    await measure(server.url, body, 200); // warm-up
    const idle = await measure(server.url, body, REQUESTS);

    const cpu = [];
    for (let i = 0; i < 4; i++)
      cpu.push(
        await submitSteps(server.url, [
          {
            name: 'cpu',
            componentClassName: 'TestCpuProducer',
            componentArguments: { ms: 600_000 },
          },
        ]),
      );
    for (const id of cpu) await waitForStatus(server.url, id, ['RUNNING']);
    const busy = await measure(server.url, body, REQUESTS);
    for (const id of cpu) await cancelJob(server.url, id);

    // Contrast: the same kind of work on the event loop itself (4 jobs, each 20 rounds of 100 ms,
    // giving the loop back between rounds), starting once all four are submitted.
    const spin = [
      {
        name: 'cpu',
        componentClassName: 'TestCpuProducer',
        componentArguments: { ms: 100, times: 20, delayMs: 500, offload: false },
      },
    ];
    const blocking = await Promise.all([0, 1, 2, 3].map(() => submitSteps(server.url, spin)));
    for (const id of blocking) await waitForStatus(server.url, id, ['RUNNING']);
    await new Promise((resolve) => setTimeout(resolve, 600));
    const blocked = await measure(server.url, body, 50);
    for (const id of blocking)
      await waitForStatus(server.url, id, ['FINISHED', 'FAILED', 'CANCELLED']);

    const ratio = percentile(busy, 99) / percentile(idle, 99);
    const threads = Math.max(1, availableParallelism() - 1);
    const markdown = [
      `Sequential \`job(id)\` queries from the benchmark's process to the server in its own; the worker pool has ${threads} thread${threads === 1 ? '' : 's'} here.`,
      '',
      '| while | queries | p50 | p99 | max |',
      '| --- | ---: | ---: | ---: | ---: |',
      row('idle', idle),
      row('4 jobs burn CPU on the worker pool', busy),
      row('(contrast) 4 jobs burn CPU on the event loop, in 100 ms rounds', blocked),
      '',
      `p99 while CPU-heavy jobs run is **${fmt(ratio, 2)} ×** idle (goal: below ${GOAL_RATIO}).`,
    ];
    for (const line of markdown) context.log(line);
    return {
      markdown: markdown.join('\n'),
      missed:
        ratio < GOAL_RATIO
          ? []
          : [`p99 under CPU load is ${fmt(ratio, 2)} × idle, goal below ${GOAL_RATIO}`],
    };
  } finally {
    await server.stop();
  }
}

export const responsivenessBench: BenchModule = {
  name: 'graphql-responsiveness',
  description:
    'p99 latency of a small query while 4 jobs run a CPU-heavy step, against an idle server.',
  run,
};
