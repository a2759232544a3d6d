/**
 * Overhead: `job(id)` throughput on our server as a ratio to a bare Yoga server answering
 * `{ hello }`, both measured with autocannon in its own process, one server at a time.
 */
import type { BenchContext, BenchModule, BenchOutcome } from './bench-module.js';
import {
  autocannon,
  fmt,
  startServerProcess,
  submitSteps,
  waitForStatus,
} from './graphql-support.js';

const CONNECTIONS = 10;
const SECONDS = Number(process.env.FDA_BENCH_SECONDS ?? 8);

async function run(context: BenchContext): Promise<BenchOutcome> {
  const bare = await startServerProcess('bare');
  let hello;
  try {
    await autocannon(bare.url, { query: '{ hello }' }, { connections: CONNECTIONS, seconds: 1 }); // warm-up
    hello = await autocannon(
      bare.url,
      { query: '{ hello }' },
      { connections: CONNECTIONS, seconds: SECONDS },
    );
  } finally {
    await bare.stop();
  }

  const app = await startServerProcess('app');
  let job;
  try {
    const id = await submitSteps(app.url, [
      {
        name: 'p',
        componentClassName: 'TestRowsProducer',
        componentArguments: { rows: 3, lines: 5 },
      },
    ]);
    await waitForStatus(app.url, id, ['FINISHED']);
    const body = {
      query:
        'query($id: ID!) { job(id: $id) { id status submittedAt finishedAt logCount steps { name status rowsOut } } }',
      variables: { id },
    };
    await autocannon(app.url, body, { connections: CONNECTIONS, seconds: 1 });
    job = await autocannon(app.url, body, { connections: CONNECTIONS, seconds: SECONDS });
  } finally {
    await app.stop();
  }

  const ratio = job.requests.average / hello.requests.average;
  const rows = [
    ['bare Yoga `{ hello }`', hello],
    ['`job(id)` on this server', job],
  ] as const;
  const markdown = [
    `autocannon, ${CONNECTIONS} connections, ${SECONDS} s per server (after a 1 s warm-up), in its own process; each server in its own.`,
    '',
    '| query | requests/s | p50 | p99 | non-2xx | errors |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      ([name, r]) =>
        `| ${name} | ${fmt(r.requests.average)} | ${r.latency.p50} ms | ${r.latency.p99} ms | ${r.non2xx} | ${r.errors} |`,
    ),
    '',
    `\`job(id)\` throughput is **${fmt(ratio, 2)} ×** the bare hello query's (no target set: it reads the job from the store and resolves a dozen fields).`,
  ];
  for (const line of markdown) context.log(line);
  const missed = [...rows]
    .filter(([, r]) => r.non2xx > 0 || r.errors > 0)
    .map(([name, r]) => `${name}: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
  return { markdown: markdown.join('\n'), missed };
}

export const overheadBench: BenchModule = {
  name: 'graphql-overhead',
  description: 'Throughput of the job(id) query against a bare Yoga hello query (autocannon).',
  run,
};
