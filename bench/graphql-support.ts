/** What the GraphQL benchmarks share: server processes, HTTP calls, autocannon, percentiles. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface BenchServer {
  url: string;
  stop(): Promise<void>;
}

/** Starts `graphql-bench-server.ts` in a child process (`app` with server.json overrides, or `bare`). */
export async function startServerProcess(
  mode: 'app' | 'bare',
  server: Record<string, unknown> = {},
): Promise<BenchServer> {
  const entry = fileURLToPath(new URL('./graphql-bench-server.ts', import.meta.url));
  // FDA_BENCH_SERVER_NODE_OPTIONS adds node flags to the server process, e.g. `--cpu-prof` to profile it.
  const extra = process.env.FDA_BENCH_SERVER_NODE_OPTIONS?.split(/\s+/).filter(Boolean) ?? [];
  const child: ChildProcess = spawn(
    process.execPath,
    [...extra, '--import', 'tsx', entry, mode, JSON.stringify(server)],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`the ${mode} server exited with code ${code}`)));
  });
  return {
    url,
    async stop() {
      child.stdin!.end();
      await exited;
    },
  };
}

export async function gql<T>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<T> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown };
  if (body.errors || !body.data) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data;
}

export async function submitSteps(url: string, steps: unknown[]): Promise<string> {
  const data = await gql<{ submitJob: { __typename: string; id?: string; message?: string } }>(
    url,
    'mutation($steps: [StepInput!]!) { submitJob(input: { steps: $steps }) { __typename ... on Job { id } ... on Error { message } } }',
    { steps },
  );
  if (!data.submitJob.id)
    throw new Error(`submitJob: ${data.submitJob.__typename} ${data.submitJob.message}`);
  return data.submitJob.id;
}

export async function cancelJob(url: string, id: string): Promise<void> {
  await gql(url, 'mutation($id: ID!) { cancelJob(id: $id) { __typename } }', { id });
}

export async function waitForStatus(
  url: string,
  id: string,
  statuses: string[],
  timeoutMs = 120_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { job } = await gql<{ job: { status: string } }>(
      url,
      'query($id: ID!) { job(id: $id) { status } }',
      { id },
    );
    if (statuses.includes(job.status)) return job.status;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${job.status}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Latencies in whole milliseconds, kept as a histogram so ten million samples cost nothing. */
export class LatencyHistogram {
  readonly #counts = new Uint32Array(600_001);
  count = 0;

  add(ms: number): void {
    this.#counts[Math.min(600_000, Math.max(0, Math.round(ms)))]!++;
    this.count++;
  }

  percentile(p: number): number {
    const rank = Math.ceil((p / 100) * this.count);
    let seen = 0;
    for (let ms = 0; ms < this.#counts.length; ms++) {
      seen += this.#counts[ms]!;
      if (seen >= rank) return ms;
    }
    return Number.NaN;
  }
}

/** Exact percentile of a list of samples (sorted in place). */
export function percentile(samples: number[], p: number): number {
  samples.sort((a, b) => a - b);
  return (
    samples[Math.min(samples.length - 1, Math.max(0, Math.ceil((p / 100) * samples.length) - 1))] ??
    Number.NaN
  );
}

export interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
}

/** Runs autocannon in its own process against `url`, POSTing one GraphQL operation. */
export async function autocannon(
  url: string,
  body: unknown,
  options: { connections: number; seconds: number },
): Promise<AutocannonResult> {
  const cli = fileURLToPath(new URL('../node_modules/autocannon/autocannon.js', import.meta.url));
  const args = [
    cli,
    '-j',
    '-c',
    String(options.connections),
    '-d',
    String(options.seconds),
    '-m',
    'POST',
    '-H',
    'content-type=application/json',
    '-b',
    JSON.stringify(body),
    `${url}/graphql`,
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`autocannon exited with ${code}`);
  return JSON.parse(out) as AutocannonResult;
}

export const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
