/**
 * What the hardening suites share: an app (or a config folder for a real process) with the
 * hardening components, job submission and waiting over GraphQL, and a snapshot of everything a
 * bad input must leave unchanged.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectSse, gql, type Result } from '../graphql/support.js';
import {
  startTestApp,
  writeTestConfig,
  type TestApp,
  type TestAppOptions,
} from '../support/test-app.js';

export const HARDENING_COMPONENTS_DIR = fileURLToPath(new URL('./components', import.meta.url));

/** A test app (in this process, on a real port) whose components include the misbehaving ones. */
export function startHardeningApp(options: TestAppOptions = {}): Promise<TestApp> {
  return startTestApp({
    ...options,
    server: { componentsDir: HARDENING_COMPONENTS_DIR, ...options.server },
  });
}

/** A config folder for `startServerProcess`, with the hardening components. */
export function hardeningConfigDir(options: TestAppOptions = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'fda-hardening-'));
  writeTestConfig(dir, {
    ...options,
    server: { componentsDir: HARDENING_COMPONENTS_DIR, ...options.server },
  });
  return dir;
}

export interface Problem {
  path: string;
  message: string;
}

export interface SubmitAnswer {
  __typename: string;
  id?: string;
  status?: string;
  message?: string;
  code?: string;
  problems?: Problem[];
}

const SUBMIT = `mutation($input: SubmitJobInput!, $timeout: Float) {
  submitJob(input: $input, timeoutSeconds: $timeout) {
    __typename
    ... on Job { id status }
    ... on JobSpecInvalid { problems { path message } }
    ... on Error { message code }
  }
}`;

export type StepTuple = [
  name: string,
  component: string,
  pre: string,
  args?: Record<string, unknown>,
];

/** The typed form from `[name, component, predecessor, arguments]` tuples. */
export function steps(...list: StepTuple[]): { steps: unknown[] } {
  return {
    steps: list.map(([name, componentClassName, preComponentName, componentArguments]) => ({
      name,
      componentClassName,
      preComponentName,
      ...(componentArguments ? { componentArguments } : {}),
    })),
  };
}

/** Submits a spec (`{ steps }` or `{ document }`) and returns the answer, whatever it is. */
export async function submit(
  url: string,
  input: unknown,
  timeoutSeconds?: number,
): Promise<SubmitAnswer> {
  return (await gql<{ submitJob: SubmitAnswer }>(url, SUBMIT, { input, timeout: timeoutSeconds }))
    .submitJob;
}

/** Submits a spec that must be accepted; returns the job's id. */
export async function submitJob(
  url: string,
  input: unknown,
  timeoutSeconds?: number,
): Promise<string> {
  const answer = await submit(url, input, timeoutSeconds);
  assert.equal(answer.__typename, 'Job', `the job was refused: ${JSON.stringify(answer)}`);
  return answer.id!;
}

export interface JobView {
  id: string;
  status: string;
  error: string | null;
  logCount: number;
  steps: { name: string; status: string; error: string | null; result: unknown }[];
}

export const JOB_VIEW = 'id status error logCount steps { name status error result }';

/** Follows the job's status over server-sent events until the server completes the stream; returns the final state. */
export async function waitForFinal(url: string, id: string): Promise<JobView> {
  const { events } = await collectSse(
    url,
    `subscription($id: ID!) { jobStatus(id: $id) { job { ${JOB_VIEW} } } }`,
    { id },
  );
  const last = events.filter((e) => e.event === 'next').at(-1);
  assert.ok(last, `no status event for job ${id}`);
  const result = JSON.parse(last.data) as Result<{ jobStatus: { job: JobView } }>;
  const job = result.data?.jobStatus.job;
  assert.ok(
    job && ['FINISHED', 'FAILED', 'CANCELLED'].includes(job.status),
    `job ${id} did not end: ${last.data}`,
  );
  return job;
}

/** The stored lines of a job, every page. */
export async function logMessages(url: string, id: string): Promise<string[]> {
  const messages: string[] = [];
  for (let after = 0; ;) {
    const { job } = await gql<{ job: { logs: { cursor: number; lines: { message: string }[] } } }>(
      url,
      'query($id: ID!, $after: Int) { job(id: $id) { logs(after: $after, first: 1000) { cursor lines { message } } } }',
      { id, after },
    );
    if (job.logs.lines.length === 0) return messages;
    messages.push(...job.logs.lines.map((l) => l.message));
    after = job.logs.cursor;
  }
}

/**
 * Everything a client can read that a refused input must not change: the jobs (id, status, line
 * count), the stored trading days in `range`, and the rows of every table of every target.
 */
export async function dataSnapshot(
  url: string,
  range: { from: string; to: string } = { from: '2024-01-01', to: '2024-12-31' },
): Promise<unknown> {
  return gql(
    url,
    `query($from: Date!, $to: Date!) {
      jobs(first: 100) { nodes { id status logCount } pageInfo { hasNextPage } }
      tradeDays(from: $from, to: $to) { date isTradingDay source }
      storageTargets { name reachable tables { table rows } }
    }`,
    range,
  );
}
