import { triggerInWords } from '../../dashboard/shared/trigger-in-words.js';
import { CliError, EXIT } from '../cli-errors.js';
import type { GraphQLClient } from '../graphql-client.js';
import { JOB_FIELDS, printJob, type JobView } from '../job-fields.js';
import { table, type Terminal } from '../terminal.js';

interface ScheduleView {
  name: string;
  enabled: boolean;
  paused: boolean;
  error: string | null;
  timeZone: string | null;
  trigger: { type: string; definition: unknown; timeZone: string } | null;
  nextRunTimes: string[];
  lastJob: { id: string; status: string; finishedAt: string | null } | null;
  runningJobIds: string[];
}

/** `fda schedules`: each schedule's trigger in words, next firings and last job. */
export async function schedulesCommand(client: GraphQLClient, terminal: Terminal): Promise<number> {
  const { schedules } = await client.request<{ schedules: ScheduleView[] }>(
    `{ schedules { name enabled paused error timeZone trigger { type definition timeZone }
       nextRunTimes(count: 5) lastJob { id status finishedAt } runningJobIds } }`,
  );
  if (terminal.json) {
    terminal.data(
      schedules.map((s) => ({
        ...s,
        triggerInWords: s.trigger ? triggerInWords(s.trigger.definition, s.trigger.timeZone) : null,
      })),
    );
    return EXIT.ok;
  }
  if (schedules.length === 0) {
    terminal.line('no schedules');
    return EXIT.ok;
  }
  const rows = schedules.map((s) => [
    s.name,
    s.error
      ? terminal.paint('red', 'INVALID')
      : s.paused
        ? terminal.paint('yellow', 'PAUSED')
        : s.enabled
          ? 'ACTIVE'
          : 'DISABLED',
    s.trigger ? triggerInWords(s.trigger.definition, s.trigger.timeZone) : (s.error ?? ''),
    s.nextRunTimes[0]?.replace('T', ' ').slice(0, 19) ?? '-',
    s.lastJob ? `${s.lastJob.id} ${terminal.status(s.lastJob.status)}` : '-',
  ]);
  for (const line of table(['NAME', 'STATE', 'TRIGGER', 'NEXT (UTC)', 'LAST JOB'], rows))
    terminal.line(line);
  return EXIT.ok;
}

type ScheduleAnswer =
  | ({ __typename: 'Job' } & JobView)
  | ({ __typename: 'Schedule' } & { name: string; paused: boolean })
  | { __typename: string; message: string };

/** `fda run|pause|resume SCHEDULE`. */
export async function scheduleActionCommand(
  client: GraphQLClient,
  terminal: Terminal,
  action: 'run' | 'pause' | 'resume',
  name: string,
): Promise<number> {
  const field = { run: 'runSchedule', pause: 'pauseSchedule', resume: 'resumeSchedule' }[action];
  const data = await client.request<Record<string, ScheduleAnswer>>(
    `mutation ($name: String!) { ${field}(name: $name) {
      __typename
      ... on Job { ${JOB_FIELDS} }
      ... on Schedule { name paused }
      ... on Error { message }
    } }`,
    { name },
  );
  const answer = data[field]!;
  if (terminal.json) terminal.data(answer);
  if (answer.__typename === 'Job') {
    if (!terminal.json) printJob(terminal, answer as JobView);
    return EXIT.ok;
  }
  if (answer.__typename === 'Schedule') {
    if (!terminal.json)
      terminal.line(`${name}: ${(answer as { paused: boolean }).paused ? 'paused' : 'resumed'}`);
    return EXIT.ok;
  }
  terminal.problem(
    `${action} ${name}: ${'message' in answer ? answer.message : answer.__typename}`,
  );
  return EXIT.failed;
}

/** `fda backfill`: the server's API has no backfill yet (the partitions issue brings it). */
export function backfillCommand(): never {
  throw new CliError(
    'backfill: this server has no backfill mutation yet (it comes with partitioned schedules); run the schedule for one day with "fda run SCHEDULE"',
    EXIT.invalid,
  );
}
