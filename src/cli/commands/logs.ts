import { z } from 'zod';
import { CliError, EXIT } from '../cli-errors.js';
import { followLogs } from '../follow-job.js';
import type { GraphQLClient } from '../graphql-client.js';
import { LOG_FIELDS, logLineText, type LogLineView } from '../job-fields.js';
import type { Terminal } from '../terminal.js';

const afterSchema = z.coerce.number().int().min(0);
const PAGE = 1000;

/** `fda logs ID [--follow] [--after N] [--errors]`: stored lines, or (following) until the job ends. */
export async function logsCommand(
  client: GraphQLClient,
  terminal: Terminal,
  id: string,
  options: { follow: boolean; after?: string; errors: boolean },
): Promise<number> {
  const parsed = afterSchema.safeParse(options.after ?? 0);
  if (!parsed.success)
    throw new CliError(
      `--after: must be a line number (0 or more), got "${options.after}"`,
      EXIT.invalid,
    );
  const filter = (line: LogLineView) =>
    !options.errors || line.level === 'ERROR' || line.level === 'FATAL';
  if (options.follow) {
    await followLogs(client, terminal, id, parsed.data, filter);
    return EXIT.ok;
  }
  let after = parsed.data;
  const all: LogLineView[] = [];
  for (;;) {
    const { job } = await client.request<{
      job: { logs: { cursor: number; lines: LogLineView[] } } | null;
    }>(
      `query ($id: ID!, $after: Int, $first: Int) { job(id: $id) { logs(after: $after, first: $first) { cursor lines { ${LOG_FIELDS} } } } }`,
      { id, after, first: PAGE },
    );
    if (!job) throw new CliError(`logs ${id}: no such job`, EXIT.failed);
    const lines = job.logs.lines.filter(filter);
    if (terminal.json) all.push(...lines);
    else for (const line of lines) terminal.line(logLineText(terminal, line));
    if (job.logs.lines.length < PAGE) break;
    after = job.logs.cursor;
  }
  if (terminal.json) terminal.data(all);
  return EXIT.ok;
}
