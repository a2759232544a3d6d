/**
 * The clients of the load benchmark, in a process of their own (bench/load.ts starts one or two):
 * each client keeps one graphql-ws connection and, until the time is up, submits a job over HTTP,
 * follows its log lines over the WebSocket until the subscription completes, then asks for the
 * job's status and line count (the small query) and checks it got every line, once, in order.
 * Prints one JSON line, `LoadClientsReport`, when every client is done.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface LoadClientsOptions {
  url: string;
  clients: number;
  /** Epoch ms at which the clients start working (all connected by then, in every client process). */
  startAt: number;
  seconds: number;
  /** Lines each job logs. */
  lines: number;
  /** Stop a client after this many jobs (the warm-up runs one). */
  maxJobsPerClient?: number;
}

export interface LoadClientsReport {
  submitted: number;
  finished: number;
  /** Submitted jobs that did not end FINISHED, with their status. */
  notFinished: string[];
  linesReceived: number;
  linesExpected: number;
  /** Jobs whose subscription missed, repeated or reordered lines. */
  jobsWithLineProblems: number;
  /** Refusals by a documented limit (LIMIT_EXCEEDED, LimitExceeded), by message. */
  limitErrors: Record<string, number>;
  /** Every other error, by message. */
  errors: Record<string, number>;
  submitMs: number[];
  queryMs: number[];
  /** Time each client took to open its WebSocket and make its first HTTP request (before the start). */
  connectMs: number[];
  /** Clients that were not connected by `startAt`. */
  lateClients: number;
  /** From `startAt` to the last client done. */
  elapsedMs: number;
}

const SUBMIT =
  'mutation($steps: [StepInput!]!) { submitJob(input: { steps: $steps }) { __typename ... on Job { id } ... on Error { message code } } }';
const LOGS = 'subscription($id: ID!) { jobLogs(id: $id) { lines { seq } } }';
const STATUS = 'query($id: ID!) { job(id: $id) { status logCount } }';
const FOLLOW_TIMEOUT_MS = 60_000;

interface GraphQLAnswer<T> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/**
 * Kept-alive connections, reused as long as the server keeps them. (With `fetch`, undici opens
 * fresh connections as its pool grows and shrinks; a saturated Node server accepts about one new
 * connection per event-loop turn, so those requests wait seconds in the accept queue and the
 * latencies would measure that instead of the server's work.)
 */
const agent = new Agent({ keepAlive: true, maxSockets: Infinity });

function postOnce<T>(url: string, body: string): Promise<GraphQLAnswer<T>> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/graphql`,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          try {
            resolve(JSON.parse(text) as GraphQLAnswer<T>);
          } catch {
            reject(new Error(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`));
          }
        });
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) =>
      reject(Object.assign(error, { reusedSocket: req.reusedSocket })),
    );
    req.end(body);
  });
}

/**
 * One operation over a kept-alive connection. A request sent on a reused connection just as the
 * server closed it as idle (its keep-alive timeout) never reached the server: it is sent again, as
 * Node's documentation advises for `ECONNRESET` on a reused socket.
 */
async function post<T>(
  url: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<GraphQLAnswer<T>> {
  const body = JSON.stringify({ query, variables });
  try {
    return await postOnce<T>(url, body);
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { reusedSocket?: boolean };
    if (e.code === 'ECONNRESET' && e.reusedSocket) return postOnce<T>(url, body);
    throw error;
  }
}

async function runLoadClients(options: LoadClientsOptions): Promise<LoadClientsReport> {
  const report: LoadClientsReport = {
    submitted: 0,
    finished: 0,
    notFinished: [],
    linesReceived: 0,
    linesExpected: 0,
    jobsWithLineProblems: 0,
    limitErrors: {},
    errors: {},
    submitMs: [],
    queryMs: [],
    connectMs: [],
    lateClients: 0,
    elapsedMs: 0,
  };
  const count = (into: Record<string, number>, message: string) =>
    (into[message] = (into[message] ?? 0) + 1);
  const fail = (error: unknown) => {
    const message = error instanceof Error ? error.message : JSON.stringify(error);
    const limit = /LIMIT_EXCEEDED|LimitExceeded/.test(message);
    count(limit ? report.limitErrors : report.errors, message.slice(0, 200));
  };
  const wsUrl = `${options.url.replace(/^http/, 'ws')}/graphql`;
  const deadline = options.startAt + options.seconds * 1000;
  const steps = [
    {
      name: 'p',
      componentClassName: 'TestRowsProducer',
      componentArguments: { rows: 5, lines: options.lines },
    },
  ];

  const follow = (client: Client, id: string): Promise<{ lines: number; inOrder: boolean }> =>
    new Promise((resolve) => {
      let next = 1;
      let inOrder = true;
      // A subscription that never completes (a job's end never reaching it) is counted, not waited for.
      const timer = setTimeout(() => {
        stop();
        fail(`jobLogs of a job did not complete within ${FOLLOW_TIMEOUT_MS / 1000} s`);
        resolve({ lines: next - 1, inOrder: false });
      }, FOLLOW_TIMEOUT_MS);
      const stop = client.subscribe<{ jobLogs: { lines: { seq: number }[] } }>(
        { query: LOGS, variables: { id } },
        {
          next: (result) => {
            if (result.errors) fail(result.errors);
            for (const line of result.data?.jobLogs.lines ?? []) {
              if (line.seq !== next) inOrder = false;
              next = line.seq + 1;
            }
          },
          error: (error) => {
            clearTimeout(timer);
            fail(error);
            resolve({ lines: next - 1, inOrder: false });
          },
          complete: () => {
            clearTimeout(timer);
            resolve({ lines: next - 1, inOrder });
          },
        },
      );
    });

  const oneClient = async (): Promise<void> => {
    // Connections first (a WebSocket, and an HTTP connection for the pool), so the run measures work, not connection set-up.
    const t = performance.now();
    let connected!: () => void;
    const open = new Promise<void>((resolve) => (connected = resolve));
    // A socket that closes before connecting ends the wait too; its subscriptions then fail and are counted.
    const client = createClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: false,
      on: { connected: () => connected(), closed: () => connected() },
    });
    try {
      await Promise.all([open, post(options.url, '{ __typename }', {}).catch(fail)]);
      report.connectMs.push(performance.now() - t);
      if (Date.now() > options.startAt) report.lateClients++;
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, options.startAt - Date.now())),
      );
      for (
        let jobs = 0;
        Date.now() < deadline && jobs < (options.maxJobsPerClient ?? Infinity);
        jobs++
      ) {
        const t0 = performance.now();
        let id: string | undefined;
        try {
          const answer = await post<{
            submitJob: { __typename: string; id?: string; message?: string; code?: string };
          }>(options.url, SUBMIT, { steps });
          report.submitMs.push(performance.now() - t0);
          const result = answer.data?.submitJob;
          if (answer.errors || !result) fail(answer.errors ?? answer);
          else if (result.__typename === 'Job') id = result.id;
          else fail(`${result.__typename} ${result.code ?? ''}: ${result.message ?? ''}`);
        } catch (error) {
          fail(error);
        }
        if (!id) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          continue;
        }
        report.submitted++;
        const followed = await follow(client, id);
        const t1 = performance.now();
        const status = await post<{ job: { status: string; logCount: number } | null }>(
          options.url,
          STATUS,
          { id },
        ).catch((error: unknown) => {
          fail(error);
          return undefined;
        });
        if (status) report.queryMs.push(performance.now() - t1);
        const job = status?.data?.job;
        if (!job) {
          if (status) fail(status.errors ?? `job ${id} not found`);
          report.notFinished.push(`${id}: missing`);
          continue;
        }
        if (job.status === 'FINISHED') report.finished++;
        else report.notFinished.push(`${id}: ${job.status}`);
        report.linesReceived += followed.lines;
        report.linesExpected += job.logCount;
        if (!followed.inOrder || followed.lines !== job.logCount) report.jobsWithLineProblems++;
      }
    } finally {
      await client.dispose();
    }
  };

  await Promise.all(Array.from({ length: options.clients }, () => oneClient()));
  report.elapsedMs = Date.now() - options.startAt;
  agent.destroy();
  return report;
}

// Options as JSON in argv[2]; the report as one JSON line on stdout. (bench/load.ts imports only the types.)
const options = JSON.parse(process.argv[2] ?? '{}') as LoadClientsOptions;
runLoadClients(options).then(
  (report) => process.stdout.write(`${JSON.stringify(report)}\n`),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
