import { z } from 'zod';
import { CliError, EXIT } from '../cli-errors.js';
import type { GraphQLClient } from '../graphql-client.js';
import { JOB_FIELDS, originText, printJob, type JobView } from '../job-fields.js';
import { table, type Terminal } from '../terminal.js';

const STATUSES = ['WAITING', 'RUNNING', 'FINISHED', 'FAILED', 'CANCELLED'] as const;
const statusSchema = z.enum(STATUSES);

/** `--status` takes one status or several, comma-separated, in any case. */
export function parseStatuses(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value.split(',').map((item) => {
    const parsed = statusSchema.safeParse(item.trim().toUpperCase());
    if (!parsed.success)
      throw new CliError(`--status: "${item}" is not one of ${STATUSES.join(', ')}`, EXIT.invalid);
    return parsed.data;
  });
}

/** `fda jobs [--status S] [--origin NAME] [--first N]`: newest first. */
export async function jobsCommand(
  client: GraphQLClient,
  terminal: Terminal,
  options: { status?: string; origin?: string; first?: string },
): Promise<number> {
  const first = options.first === undefined ? 20 : Number(options.first);
  if (!Number.isInteger(first) || first < 1 || first > 100)
    throw new CliError(
      `--first: must be a whole number from 1 to 100, got "${options.first}"`,
      EXIT.invalid,
    );
  const { jobs } = await client.request<{
    jobs: { nodes: JobView[]; pageInfo: { hasNextPage: boolean } };
  }>(
    `query ($status: [JobStatus!], $origin: String, $first: Int) {
      jobs(status: $status, origin: $origin, first: $first) { nodes { ${JOB_FIELDS} } pageInfo { hasNextPage } }
    }`,
    { status: parseStatuses(options.status), origin: options.origin, first },
  );
  if (terminal.json) {
    terminal.data(jobs.nodes);
    return EXIT.ok;
  }
  if (jobs.nodes.length === 0) {
    terminal.line('no jobs');
    return EXIT.ok;
  }
  const rows = jobs.nodes.map((job) => [
    job.id,
    terminal.status(job.status),
    originText(job.origin),
    job.submittedAt.replace('T', ' ').slice(0, 19),
    `${job.progress.stepsFinished}/${job.progress.stepsTotal}`,
    job.error ?? '',
  ]);
  for (const line of table(['ID', 'STATUS', 'ORIGIN', 'SUBMITTED (UTC)', 'STEPS', 'ERROR'], rows))
    terminal.line(line);
  if (jobs.pageInfo.hasNextPage)
    terminal.line(terminal.paint('gray', `(more: --first ${Math.min(100, first * 2)})`));
  return EXIT.ok;
}

type ActionAnswer =
  | ({ __typename: 'Job' } & JobView)
  | { __typename: string; message: string; problems?: { path: string; message: string }[] };

/** `fda cancel ID` and `fda retry ID`. */
export async function jobActionCommand(
  client: GraphQLClient,
  terminal: Terminal,
  action: 'cancel' | 'retry',
  id: string,
): Promise<number> {
  const field = action === 'cancel' ? 'cancelJob' : 'retryJob';
  const data = await client.request<Record<string, ActionAnswer>>(
    `mutation ($id: ID!) { ${field}(id: $id) {
      __typename
      ... on Job { ${JOB_FIELDS} }
      ${action === 'retry' ? '... on JobSpecInvalid { problems { path message } }' : ''}
      ... on Error { message }
    } }`,
    { id },
  );
  const answer = data[field]!;
  if (terminal.json) terminal.data(answer);
  if (answer.__typename !== 'Job') {
    const message = 'message' in answer ? answer.message : answer.__typename;
    terminal.problem(`${action} ${id}: ${message}`);
    return EXIT.failed;
  }
  if (!terminal.json) printJob(terminal, answer as JobView);
  return EXIT.ok;
}
