import type { GraphQLClient } from './graphql-client.js';
import {
  FINAL,
  JOB_FIELDS,
  LOG_FIELDS,
  logLineText,
  type JobView,
  type LogLineView,
} from './job-fields.js';
import { progressBar, type Terminal } from './terminal.js';

interface LogBatchData {
  jobLogs: { cursor: number; lines: LogLineView[] };
}

/**
 * Prints a job's log lines from `after` on, in order, each once, until the server completes the
 * stream (the job has ended and every line was sent). A reconnect re-subscribes from the start
 * of the operation, so lines already printed are skipped by their seq.
 */
export async function followLogs(
  client: GraphQLClient,
  terminal: Terminal,
  id: string,
  after: number,
  filter: (line: LogLineView) => boolean = () => true,
): Promise<number> {
  let last = after;
  const stream = client.subscribe<LogBatchData>(
    `subscription ($id: ID!, $after: Int) { jobLogs(id: $id, after: $after) { cursor lines { ${LOG_FIELDS} } } }`,
    { id, after },
  );
  for await (const { jobLogs } of stream) {
    for (const line of jobLogs.lines) {
      if (line.seq <= last) continue;
      last = line.seq;
      if (!filter(line)) continue;
      if (terminal.json) terminal.data({ type: 'log', ...line }, false);
      else terminal.line(logLineText(terminal, line));
    }
  }
  return last;
}

/**
 * Follows a job to its end: its log lines as they are written and, whenever a step's or
 * target's count moves, a progress bar for it. Resolves with the job's final state.
 */
export async function followJob(
  client: GraphQLClient,
  terminal: Terminal,
  id: string,
): Promise<JobView> {
  const shown = new Map<string, string>();
  let final: JobView | null = null;
  const status = (async () => {
    const stream = client.subscribe<{ jobStatus: { change: string; job: JobView } }>(
      `subscription ($id: ID!) { jobStatus(id: $id) { change job { ${JOB_FIELDS} } } }`,
      { id },
    );
    for await (const { jobStatus } of stream) {
      const job = jobStatus.job;
      if (terminal.json) terminal.data({ type: 'status', change: jobStatus.change, job }, false);
      else printProgress(terminal, job, shown);
      if (FINAL.has(job.status)) final = job;
    }
  })();
  await Promise.all([followLogs(client, terminal, id, 0), status]);
  if (!final) {
    // The status stream completed without a final state (it should not): ask once.
    const { job } = await client.request<{ job: JobView }>(
      `query ($id: ID!) { job(id: $id) { ${JOB_FIELDS} } }`,
      { id },
    );
    final = job;
  }
  return final;
}

function printProgress(terminal: Terminal, job: JobView, shown: Map<string, string>): void {
  const statusKey = `status:${job.status}`;
  if (!shown.has(statusKey)) {
    shown.set(statusKey, '');
    terminal.line(
      `${terminal.paint('bold', job.status)}  steps ${job.progress.stepsFinished}/${job.progress.stepsTotal}`,
    );
  }
  for (const item of job.progress.items) {
    const key = `${item.step}\u0000${item.label ?? ''}`;
    const bar = progressBar(item.done, item.total);
    if (shown.get(key) === bar) continue;
    shown.set(key, bar);
    const label = item.label ? ` ${item.label}` : '';
    terminal.line(`  ${terminal.paint('cyan', `${item.step}${label}`)} ${bar}`);
  }
}
