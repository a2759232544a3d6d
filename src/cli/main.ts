/**
 * `fda`: the command-line client of a finance-data-api server. Every command takes `--url` (or
 * FDA_URL) and `--json`; FDA_TOKEN is sent as the API token.
 */
import { parseArgs } from 'node:util';
import { CliError, EXIT } from './cli-errors.js';
import { calendarCommand } from './commands/calendar.js';
import { jobActionCommand, jobsCommand } from './commands/jobs.js';
import { logsCommand } from './commands/logs.js';
import { backfillCommand, scheduleActionCommand, schedulesCommand } from './commands/schedules.js';
import { submitCommand } from './commands/submit.js';
import { endpointUrl, GraphQLClient } from './graphql-client.js';
import { Terminal } from './terminal.js';

export const USAGE = `usage: fda <command> [options]

  submit FILE [--follow]             submit a job file (original format); exit 0 FINISHED,
                                     1 FAILED or CANCELLED, 2 invalid spec
  jobs [--status S[,S]] [--origin NAME] [--first N]
  logs ID [--follow] [--after N] [--errors]
  cancel ID | retry ID
  schedules | run SCHEDULE | pause SCHEDULE | resume SCHEDULE
  backfill SCHEDULE --from D --to D [--follow]
  calendar [--year Y] [--target NAME]  a year of the trading calendar

options for every command:
  --url URL    the server's GraphQL endpoint (FDA_URL; default http://127.0.0.1:4000/graphql)
  --json       JSON output (one document, or one per line while following)
  FDA_TOKEN    the API token, when the server has tokens configured`;

const OPTIONS = {
  url: { type: 'string' },
  json: { type: 'boolean', default: false },
  follow: { type: 'boolean', short: 'f', default: false },
  status: { type: 'string' },
  origin: { type: 'string' },
  first: { type: 'string' },
  after: { type: 'string' },
  errors: { type: 'boolean', default: false },
  year: { type: 'string' },
  target: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export async function runCli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  isTTY: boolean,
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    process.stderr.write(`fda: ${(error as Error).message}\n${USAGE}\n`);
    return EXIT.invalid;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || command === undefined || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined && !values.help ? EXIT.invalid : EXIT.ok;
  }
  const terminal = new Terminal(values.json, isTTY && !values.json && env.NO_COLOR === undefined);
  let client: GraphQLClient | undefined;
  try {
    client = new GraphQLClient(endpointUrl(values.url, env), env.FDA_TOKEN || undefined);
    const one = (what: string): string => {
      const [value, ...extra] = rest;
      if (value === undefined || extra.length > 0)
        throw new CliError(`fda ${command}: expected one ${what}\n${USAGE}`, EXIT.invalid);
      return value;
    };
    switch (command) {
      case 'submit':
        return await submitCommand(client, terminal, one('FILE'), values.follow);
      case 'jobs':
        return await jobsCommand(client, terminal, values);
      case 'logs':
        return await logsCommand(client, terminal, one('job ID'), values);
      case 'cancel':
      case 'retry':
        return await jobActionCommand(client, terminal, command, one('job ID'));
      case 'schedules':
        return await schedulesCommand(client, terminal);
      case 'run':
      case 'pause':
      case 'resume':
        return await scheduleActionCommand(client, terminal, command, one('SCHEDULE'));
      case 'backfill':
        return await backfillCommand(client, terminal, one('SCHEDULE'), values);
      case 'calendar':
        return await calendarCommand(client, terminal, values);
      default:
        throw new CliError(`fda: unknown command "${command}"\n${USAGE}`, EXIT.invalid);
    }
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    if (terminal.json) terminal.data({ error: error.message, exitCode: error.code });
    terminal.problem(error.message);
    return error.code;
  } finally {
    await client?.close();
  }
}
