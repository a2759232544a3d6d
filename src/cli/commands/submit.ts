import { readFile } from 'node:fs/promises';
import { CliError, EXIT } from '../cli-errors.js';
import { followJob } from '../follow-job.js';
import type { GraphQLClient } from '../graphql-client.js';
import { JOB_FIELDS, printJob, type JobView } from '../job-fields.js';
import type { Terminal } from '../terminal.js';

type SubmitAnswer =
  | ({ __typename: 'Job' } & JobView)
  | { __typename: 'JobSpecInvalid'; message: string; problems: { path: string; message: string }[] }
  | { __typename: 'LimitExceeded' | 'ShuttingDown'; message: string };

/** Reads a job file in the original format (`{ "pipeline_structure": {…}, "trigger"?: … }`). */
export async function readJobFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(`${file}: cannot read it (${(error as Error).message})`, EXIT.invalid);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CliError(`${file}: not JSON (${(error as Error).message})`, EXIT.invalid);
  }
}

/** The exit code of a job's final status. */
export function exitCodeOf(status: string): number {
  return status === 'FINISHED' ? EXIT.ok : EXIT.failed;
}

/** `fda submit FILE [--follow]`: 0 FINISHED, 1 FAILED or CANCELLED, 2 an invalid file or spec. */
export async function submitCommand(
  client: GraphQLClient,
  terminal: Terminal,
  file: string,
  follow: boolean,
): Promise<number> {
  const document = await readJobFile(file);
  const { submitJob } = await client.request<{ submitJob: SubmitAnswer }>(
    `mutation ($document: JSON!) { submitJob(input: { document: $document }) {
      __typename
      ... on Job { ${JOB_FIELDS} }
      ... on JobSpecInvalid { message problems { path message } }
      ... on Error { message }
    } }`,
    { document },
  );
  if (submitJob.__typename === 'JobSpecInvalid') {
    if (terminal.json) terminal.data({ invalid: true, problems: submitJob.problems });
    terminal.problem(`${file}: the job spec is invalid (${submitJob.problems.length} problem(s)):`);
    for (const p of submitJob.problems)
      terminal.problem(`  ${p.path || '(the document)'}: ${p.message}`);
    return EXIT.invalid;
  }
  if (submitJob.__typename !== 'Job') throw new CliError(submitJob.message, EXIT.failed);
  if (!follow) {
    if (terminal.json) terminal.data(submitJob);
    else terminal.line(`submitted job ${submitJob.id} (${submitJob.status})`);
    return EXIT.ok;
  }
  if (!terminal.json) terminal.line(`submitted job ${submitJob.id}; following it`);
  const final = await followJob(client, terminal, submitJob.id);
  if (terminal.json) terminal.data({ type: 'end', job: final }, false);
  else printJob(terminal, final);
  return exitCodeOf(final.status);
}
