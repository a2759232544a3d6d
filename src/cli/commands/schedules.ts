import { triggerInWords } from '../../dashboard/shared/trigger-in-words.js';
import { CliError, EXIT } from '../cli-errors.js';
import type { GraphQLClient } from '../graphql-client.js';
import { JOB_FIELDS, printJob, type JobView } from '../job-fields.js';
import { progressBar, table, type Terminal } from '../terminal.js';

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
  // Each mutation's result union has only one of the two: a fragment on the other is refused.
  const success =
    action === 'run' ? `... on Job { ${JOB_FIELDS} }` : '... on Schedule { name paused }';
  const data = await client.request<Record<string, ScheduleAnswer>>(
    `mutation ($name: String!) { ${field}(name: $name) {
      __typename
      ${success}
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

interface BackfillView {
  id: string;
  schedule: string;
  from: string;
  to: string;
  status: string;
  total: number;
  done: number;
  failed: number;
  running: number;
  waiting: number;
  error: string | null;
}

const BACKFILL_FIELDS = 'id schedule from to status total done failed running waiting error';
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * `fda backfill SCHEDULE --from D --to D [--follow]`: one run per trading day not yet done. With
 * `--follow`, a progress line per change until it ends; exit 0 when every day finished, 1 when
 * one failed or it was cancelled.
 */
export async function backfillCommand(
  client: GraphQLClient,
  terminal: Terminal,
  schedule: string,
  options: { from?: string | undefined; to?: string | undefined; follow: boolean },
): Promise<number> {
  const { from, to } = options;
  if (!from || !to || !DAY.test(from) || !DAY.test(to))
    throw new CliError('backfill: --from and --to are required, as YYYY-MM-DD', EXIT.invalid);
  const data = await client.request<{
    backfill: ({ __typename: 'Backfill' } & BackfillView) | { __typename: string; message: string };
  }>(
    `mutation ($schedule: String!, $from: Date!, $to: Date!) {
      backfill(schedule: $schedule, from: $from, to: $to) {
        __typename ... on Backfill { ${BACKFILL_FIELDS} } ... on Error { message } } }`,
    { schedule, from, to },
  );
  const answer = data.backfill;
  if (answer.__typename !== 'Backfill') {
    if (terminal.json) terminal.data(answer);
    terminal.problem(`backfill ${schedule}: ${(answer as { message: string }).message}`);
    return answer.__typename === 'InvalidInput' ? EXIT.invalid : EXIT.failed;
  }
  let backfill = answer as BackfillView;
  // While following, one JSON document per line.
  const show = (b: BackfillView) => {
    if (terminal.json) terminal.data(b, !options.follow);
    else
      terminal.line(
        `backfill ${b.id} ${b.schedule} ${b.from}..${b.to} ${terminal.status(b.status)} ${progressBar(b.done + b.failed, b.total)} ${b.done}/${b.total} done, ${b.failed} failed, ${b.running} running, ${b.waiting} waiting${b.error ? ` — ${b.error}` : ''}`,
      );
  };
  show(backfill);
  if (!options.follow) return EXIT.ok;
  const updates = client.subscribe<{
    backfillProgress: { backfill: BackfillView };
  }>(`subscription ($id: ID!) { backfillProgress(id: $id) { backfill { ${BACKFILL_FIELDS} } } }`, {
    id: backfill.id,
  });
  for await (const update of updates) {
    backfill = update.backfillProgress.backfill;
    show(backfill);
  }
  return backfill.status === 'FINISHED' ? EXIT.ok : EXIT.failed;
}
